// Exit codes and the process surface handed to commands (so tests can run them in-process).
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readStdin: () => string;
  cwd: string;
  isTTY: boolean;
  /** Whether stderr is a terminal (progress is shown only there); false when absent. */
  errIsTTY?: boolean;
  env: Record<string, string | undefined>;
}
