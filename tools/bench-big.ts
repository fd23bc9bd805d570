// Scaling benchmark (issue 9 item 4; not a timed test): one generated file of many documents,
// scanned end to end by the built CLI in every output format; prints wall time, user CPU and peak
// RSS per format, and the load average around each run (the machine may be shared).
// Usage: npm run build && npx tsx tools/bench-big.ts [--docs N] [--mix varied|pods|keys] [--formats a,b] [--file F]
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { devNull, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generate, type Mix } from "./gen-big.js";

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, "..", "dist", "cli", "main.js");
const args = process.argv.slice(2);
const value = (flag: string) => {
  const at = args.indexOf(flag);
  return at === -1 ? undefined : args[at + 1];
};
const docs = Number(value("--docs") ?? 50_000);
const mix = (value("--mix") ?? "varied") as Mix;
const formats = (value("--formats") ?? "stylish,json,sarif,junit,github,markdown").split(",");

if (!existsSync(cli)) {
  process.stderr.write(`no ${cli}: run npm run build first\n`);
  process.exit(2);
}
const tmp = mkdtempSync(join(tmpdir(), "kubeward-bench-big-"));
let file = value("--file");
if (file === undefined) {
  file = join(tmp, `${mix}-${docs}.yaml`);
  writeFileSync(file, generate(docs, mix));
}
const jsonOut = join(tmp, "out.json");
const mb = statSync(file).size / 1e6;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

console.log(`file: ${file === value("--file") ? file : `${docs} documents (${mix})`}, ${mb.toFixed(2)} MB`);
console.log(`command: node dist/cli/main.js scan FILE --no-config --format F -o ${devNull}`);
console.log("");
console.log(
  "| format | wall | CPU (user + sys) | peak RSS | exit | findings (json) | load avg before → after |",
);
console.log("|---|---|---|---|---|---|---|");
for (const format of formats) {
  const before = load();
  const t0 = performance.now();
  // /usr/bin/time -v reports the child's peak RSS; without it, only wall time is known.
  const r = spawnSync(
    "/usr/bin/time",
    [
      "-v",
      process.execPath,
      cli,
      "scan",
      file,
      "--no-config",
      "--format",
      format,
      "-o",
      format === "json" ? jsonOut : devNull,
    ],
    { encoding: "utf8", maxBuffer: 64 << 20 },
  );
  const wall = (performance.now() - t0) / 1000;
  const stderr = r.stderr;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1];
  const user = /User time \(seconds\): ([\d.]+)/.exec(stderr)?.[1];
  const sys = /System time \(seconds\): ([\d.]+)/.exec(stderr)?.[1];
  const cpu = user === undefined || sys === undefined ? "?" : (Number(user) + Number(sys)).toFixed(1);
  const exit = /Exit status: (\d+)/.exec(stderr)?.[1] ?? String(r.status);
  let findings = "";
  if (format === "json" && existsSync(jsonOut)) {
    const summary = (JSON.parse(readFileSync(jsonOut, "utf8")) as { summary?: { findings?: number } })
      .summary;
    findings = String(summary?.findings ?? "?");
    rmSync(jsonOut);
  }
  console.log(
    `| ${format} | ${wall.toFixed(1)} s | ${cpu} s (${user ?? "?"} + ${sys ?? "?"}) | ${rss === undefined ? "?" : (Number(rss) / 1024).toFixed(0)} MB | ${exit} | ${findings} | ${before} → ${load()} |`,
  );
}
rmSync(tmp, { recursive: true, force: true });
