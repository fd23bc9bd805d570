// Start-up cost of the CLI: `kubeward --version`, `scan` of a one-file manifest, `scan` of a small
// chart, and `helm template` of that chart, each run as a fresh process (the built CLI in dist/: run
// `npm run build` first). Uses hyperfine when it is on PATH (it also reports user/system CPU time),
// else a loop of N runs with the median wall time. Usage: npx tsx tools/bench-startup.ts [--runs N]
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findHelm } from "../src/inputs/tools.js";

const args = process.argv.slice(2);
const runsAt = args.indexOf("--runs");
const runs = runsAt === -1 ? 20 : Number(args[runsAt + 1]);
const repo = join(import.meta.dirname, "..");
const cli = join(repo, "dist", "cli", "main.js");
if (!existsSync(cli)) throw new Error("dist/cli/main.js is missing: run `npm run build` first");
const helm = findHelm();
if (helm === undefined) throw new Error("no helm: see src/inputs/tools.ts");
const chart = join(repo, "test", "helm", "fixtures", "web");
const tmp = mkdtempSync(join(tmpdir(), "kubeward-startup-"));
const manifest = join(tmp, "pod.yaml");
writeFileSync(
  manifest,
  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:1.25\n",
);

const commands: [name: string, argv: string[]][] = [
  ["kubeward --version", [process.execPath, cli, "--version"]],
  ["kubeward scan pod.yaml", [process.execPath, cli, "scan", manifest]],
  ["kubeward scan <small chart>", [process.execPath, cli, "scan", chart]],
  ["helm template <small chart>", [helm.command, ...helm.prefix, "template", "x", chart]],
];

const hyperfine = spawnSync("hyperfine", ["--version"], { encoding: "utf8" });
try {
  if (hyperfine.status === 0) {
    const quote = (a: string) => `'${a.replace(/'/g, "'\\''")}'`;
    const r = spawnSync(
      "hyperfine",
      [
        "-N",
        "-i",
        "-w",
        "3",
        "-r",
        String(runs),
        ...commands.flatMap(([name, argv]) => ["-n", name, argv.map(quote).join(" ")]),
      ],
      { stdio: "inherit" },
    );
    process.exitCode = r.status ?? 1;
  } else {
    for (const [name, [cmd, ...rest]] of commands) {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        spawnSync(cmd ?? "", rest, { stdio: "ignore" });
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      console.log(`${name.padEnd(30)} median ${(times[Math.floor(times.length / 2)] ?? 0).toFixed(0)} ms`);
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
