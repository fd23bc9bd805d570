// Progress on stderr for long scans: only where a person watches (stderr is a terminal, not in CI,
// not with --quiet), only once a scan has run for a second, redrawn in place and cleared at the end.
import type { ScanProgress } from "../api.js";

export interface ProgressOptions {
  write: (s: string) => void;
  isTTY: boolean;
  env: Record<string, string | undefined>;
  quiet: boolean;
  now?: () => number;
  /** Nothing is shown before this many milliseconds (default: KUBEWARD_PROGRESS_AFTER_MS, else 1000). */
  delayMs?: number;
}

export interface Progress {
  /** Units of a `--unit` scan: `done` of `total` scanned. */
  update: (done: number, total: number) => void;
  /** Where a single scan is (files read, charts rendered, objects checked). */
  scan: (p: ScanProgress) => void;
  done: () => void;
}

const CLEAR = "\r\u001b[K";

/** Whether progress is shown at all: a terminal, no --quiet, not in CI. */
export function progressWanted(o: Pick<ProgressOptions, "isTTY" | "env" | "quiet">): boolean {
  const ci = o.env["CI"] !== undefined && o.env["CI"] !== "" && o.env["CI"] !== "false";
  return o.isTTY && !o.quiet && !ci;
}

export function progressReporter(o: ProgressOptions): Progress {
  const on = progressWanted(o);
  const now = o.now ?? (() => performance.now());
  const fromEnv = Number(o.env["KUBEWARD_PROGRESS_AFTER_MS"]);
  const delay = o.delayMs ?? (Number.isFinite(fromEnv) && fromEnv >= 0 ? fromEnv : 1000);
  const start = now();
  let shown = false;
  let last = -Infinity;
  let lastText = "";
  const show = (text: string, urgent: boolean) => {
    if (!on) return;
    const t = now();
    // Redraw at most 10 times a second, except for the last step of a phase or a new phase.
    if (t - start < delay || (t - last < 100 && !urgent) || text === lastText) return;
    last = t;
    lastText = text;
    shown = true;
    o.write(`${CLEAR}kubeward: ${text}`);
  };
  let phase = "";
  return {
    update(done, total) {
      show(`${done}/${total} units scanned`, done === total);
    },
    scan(p) {
      const fresh = p.phase !== phase;
      phase = p.phase;
      const n = p.total.toLocaleString("en-US");
      if (p.phase === "read") show(`${p.done}/${n} files read`, fresh || p.done === p.total);
      else if (p.phase === "render")
        show(
          p.done < p.total
            ? `rendering ${n} charts and kustomizations`
            : `${n} charts and kustomizations rendered`,
          true,
        );
      else show(`${p.done.toLocaleString("en-US")}/${n} objects checked`, fresh);
    },
    done() {
      if (shown) o.write(CLEAR);
      shown = false;
    },
  };
}
