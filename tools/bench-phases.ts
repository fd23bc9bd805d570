// Where the time of one scan goes (issue 9 item 4; a benchmark, not a timed test): scans a file
// in-process and prints the CPU time (user + sys, from process.cpuUsage) of each phase: reading and
// parsing, validation, rule visitors, cross-object rules, building located findings, the result
// (sorting, masking secret values) and writing each format (to a sink that keeps nothing). CPU time
// is what to compare on a shared machine; the load average is printed beside it.
// Usage: npx tsx tools/bench-phases.ts --file big.yaml [--formats a,b]
import { loadavg } from "node:os";
import { loadResources, resolveConfig, resultOf, type ScanPhase } from "../src/api.js";
import { streamerFor } from "../src/report/index.js";

const args = process.argv.slice(2);
const value = (flag: string) => {
  const at = args.indexOf(flag);
  return at === -1 ? undefined : args[at + 1];
};
const file = value("--file");
if (file === undefined) {
  process.stderr.write("usage: npx tsx tools/bench-phases.ts --file FILE [--formats a,b]\n");
  process.exit(2);
}
const formats = (value("--formats") ?? "stylish,json,sarif,junit,github,markdown").split(",");

const rows: [string, number][] = [];
let last = process.cpuUsage();
const mark = (name: string) => {
  const now = process.cpuUsage(last);
  rows.push([name, (now.user + now.system) / 1e6]);
  last = process.cpuUsage();
};

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
const loadBefore = load();
const cwd = process.cwd();
const { config } = resolveConfig({ cwd, configFile: false });
const loaded = loadResources({ paths: [file], cwd });
mark("read + parse");
const result = resultOf(
  loaded,
  {
    paths: [file],
    cwd,
    onPhase: (phase: ScanPhase) => {
      mark(phase);
    },
  },
  config,
  undefined,
);
for (const format of formats) {
  const streamer = streamerFor(format);
  if (streamer === undefined) throw new Error(`unknown format ${format}`);
  let bytes = 0;
  streamer(result, { color: false, version: "bench" }, (chunk) => {
    bytes += chunk.length;
  });
  mark(`write ${format} (${(bytes / 1e6).toFixed(0)} M chars)`);
}

console.log(`${file}: ${result.summary.resources} objects, ${result.summary.findings} findings`);
console.log(
  `load average ${loadBefore} → ${load()}; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
);
console.log("");
console.log("| phase | CPU (user + sys) |");
console.log("|---|---|");
for (const [name, s] of rows) console.log(`| ${name} | ${s.toFixed(2)} s |`);
const check = rows.filter(([n]) => !n.startsWith("write") && n !== "read + parse");
console.log(
  `| (checking, all phases after parsing) | ${check.reduce((a, [, s]) => a + s, 0).toFixed(2)} s |`,
);
