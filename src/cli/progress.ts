// Progress on stderr for long scans: only where a person watches (stderr is a terminal, not in CI,
// not with --quiet), only once a scan has run for a second, redrawn in place and cleared at the end.
export interface ProgressOptions {
  write: (s: string) => void;
  isTTY: boolean;
  env: Record<string, string | undefined>;
  quiet: boolean;
  now?: () => number;
  /** Nothing is shown before this many milliseconds. */
  delayMs?: number;
}

export interface Progress {
  update: (done: number, total: number) => void;
  done: () => void;
}

const CLEAR = "\r\u001b[K";

export function progressReporter(o: ProgressOptions): Progress {
  const ci = o.env["CI"] !== undefined && o.env["CI"] !== "" && o.env["CI"] !== "false";
  const on = o.isTTY && !o.quiet && !ci;
  const now = o.now ?? (() => performance.now());
  const start = now();
  let shown = false;
  let last = -Infinity;
  return {
    update(done, total) {
      if (!on) return;
      const t = now();
      if (t - start < (o.delayMs ?? 1000) || (t - last < 100 && done < total)) return;
      last = t;
      shown = true;
      o.write(`${CLEAR}kubeward: ${done}/${total} units scanned`);
    },
    done() {
      if (shown) o.write(CLEAR);
      shown = false;
    },
  };
}
