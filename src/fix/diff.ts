// Unified diff of two texts (line-based, Myers' O(ND) algorithm), as `diff -u` and `git apply` read it. Pure.

type Op = { kind: " " | "-" | "+"; line: string };

/** Lines with their terminators, so CRLF and a missing final newline survive. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  // Common prefix and suffix first: fixes touch few lines of long files.
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf])
    suf++;
  const A = a.slice(pre, a.length - suf);
  const B = b.slice(pre, b.length - suf);
  const n = A.length;
  const m = B.length;
  const max = n + m;
  // V[k] is stored at V[k + off]; trace[d] is V's entries for k in [-d-1, d+1] as step d found them.
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice(off - d - 1, off + d + 2));
    for (let k = -d; k <= d; k += 2) {
      const left = v[off + k - 1] as number;
      const right = v[off + k + 1] as number;
      let x = k === -d || (k !== d && left < right) ? right : left + 1;
      let y = x - k;
      while (x < n && y < m && A[x] === B[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) break outer;
    }
  }
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d] as Int32Array;
    // k's entry in vd is at k + d + 1.
    const k = x - y;
    const down = k === -d || (k !== d && (vd[k + d] as number) < (vd[k + d + 2] as number));
    const pk = down ? k + 1 : k - 1;
    const px = vd[pk + d + 1] as number;
    const py = px - pk;
    while (x > px && y > py) {
      ops.push({ kind: " ", line: A[--x] as string });
      y--;
    }
    if (d === 0) break;
    if (down) ops.push({ kind: "+", line: B[--y] as string });
    else ops.push({ kind: "-", line: A[--x] as string });
  }
  ops.reverse();
  return [
    ...a.slice(0, pre).map((line): Op => ({ kind: " ", line })),
    ...ops,
    ...a.slice(a.length - suf).map((line): Op => ({ kind: " ", line })),
  ];
}

/**
 * The parts of two different texts that hold their differences, each with `context` whole lines
 * before and after (cut at the same line boundaries in both), and how many lines precede them.
 */
function middle(before: string, after: string, context: number): { skipped: number; a: string; b: string } {
  const n = Math.min(before.length, after.length);
  // Blocks compared as strings first (one native comparison each; the fixed text is a rope of
  // edits and slicing flattens it once, where reading it char by char does not).
  const B = 512;
  let p = 0;
  while (p + B <= n && before.slice(p, p + B) === after.slice(p, p + B)) p += B;
  while (p < n && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  let q = 0;
  while (
    q + B <= n - p &&
    before.slice(before.length - q - B, before.length - q) ===
      after.slice(after.length - q - B, after.length - q)
  )
    q += B;
  while (q < n - p && before.charCodeAt(before.length - 1 - q) === after.charCodeAt(after.length - 1 - q))
    q++;
  let start = before.lastIndexOf("\n", p - 1) + 1;
  for (let k = 0; k < context && start > 0; k++)
    start = start < 2 ? 0 : before.lastIndexOf("\n", start - 2) + 1;
  // The tail starts after a newline inside the common suffix, `context` lines after the change.
  let end = before.length - q;
  for (let k = 0; k <= context && end < before.length; k++) {
    const nl = before.indexOf("\n", end);
    end = nl === -1 ? before.length : nl + 1;
  }
  let skipped = 0;
  for (let i = before.indexOf("\n"); i !== -1 && i < start; i = before.indexOf("\n", i + 1)) skipped++;
  const tail = before.length - end;
  return { skipped, a: before.slice(start, end), b: after.slice(start, after.length - tail) };
}

/** `--- a/FILE` / `+++ b/FILE` and hunks with `context` lines around each change; "" when equal. */
export function unifiedDiff(file: string, before: string, after: string, context = 3): string {
  if (before === after) return "";
  // Only the lines from `context` lines before the first difference to `context` lines after the
  // last are split and compared (the lines around them are the same in both texts).
  const { skipped, a, b } = middle(before, after, context);
  const ops = diffLines(splitLines(a), splitLines(b));
  const out = [`--- a/${file}\n`, `+++ b/${file}\n`];
  let i = 0;
  // Line numbers at ops[at] (the hunks come in order: counted once over the whole list).
  let at = 0;
  let oldLine = 1 + skipped;
  let newLine = 1 + skipped;
  while (i < ops.length) {
    while (i < ops.length && ops[i]?.kind === " ") i++;
    if (i >= ops.length) break;
    const start = Math.max(0, i - context);
    let end = i;
    // Extend the hunk while changes are within 2*context lines of each other.
    for (;;) {
      while (end < ops.length && ops[end]?.kind !== " ") end++;
      let next = end;
      while (next < ops.length && ops[next]?.kind === " ") next++;
      if (next < ops.length && next - end <= 2 * context) end = next;
      else break;
    }
    end = Math.min(ops.length, end + context);
    for (; at < start; at++) {
      if (ops[at]?.kind !== "+") oldLine++;
      if (ops[at]?.kind !== "-") newLine++;
    }
    const hunk = ops.slice(start, end);
    const oldCount = hunk.filter((o) => o.kind !== "+").length;
    const newCount = hunk.filter((o) => o.kind !== "-").length;
    out.push(
      `@@ -${String(oldCount === 0 ? oldLine - 1 : oldLine)},${String(oldCount)} +${String(newCount === 0 ? newLine - 1 : newLine)},${String(newCount)} @@\n`,
    );
    for (const o of hunk) {
      out.push(o.kind + o.line);
      if (!o.line.endsWith("\n")) out.push("\n\\ No newline at end of file\n");
    }
    i = end;
  }
  return out.join("");
}
