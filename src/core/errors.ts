// Typed errors. The CLI turns them into exit code 2 and a one-line message, in one place.

/** Wrong flags, arguments or config: the user must change the command. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** An input cannot be read at all (missing path, unreadable directory). */
export class InputError extends Error {
  override name = "InputError";
}
