// Bundles the CLI (issue 8, start-up): `npm run build` compiles src/ with tsc into dist/ (the library,
// dist/api.js with its types), then this replaces dist/cli/ with an esbuild bundle: dist/cli/main.js
// (the bin) and dist/cli/worker.js (the unit pool's worker thread) with the chunks they share. A scan
// then loads a few dozen files instead of about 240 modules, and each command is still its own chunk,
// imported only once the command is known. @kubernetes/client-node stays outside (an optional
// dependency, imported only by `scan --cluster` and `diagnose`); yaml and picomatch are inside.
// Usage: npx tsx tools/bundle.ts [DIST-DIR]   (default dist)
import { readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";

const repo = join(import.meta.dirname, "..");

/** Replaces DIST/cli with the bundled CLI and worker. */
export async function bundleCli(dist: string): Promise<void> {
  const out = join(dist, "cli");
  // tsc's per-module CLI output: the library does not import it, and the bundle replaces it.
  for (const f of readdirSync(out)) if (/\.(js|d\.ts)$/.test(f)) rmSync(join(out, f));
  await build({
    absWorkingDir: repo,
    entryPoints: [
      { in: "src/cli/main.ts", out: "main" },
      // The pool starts `./worker.js` next to its own module: here, dist/cli/worker.js.
      { in: "src/units/worker.ts", out: "worker" },
    ],
    outdir: out,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    chunkNames: "chunk-[hash]",
    external: ["@kubernetes/client-node"],
    // picomatch is CommonJS: its require() of Node built-ins needs a real require in an ES module.
    banner: {
      js: 'import { createRequire as __kubewardRequire } from "node:module"; const require = __kubewardRequire(import.meta.url);',
    },
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: "warning",
  });
}

if (resolve(process.argv[1] ?? "") === resolve(import.meta.filename)) {
  await bundleCli(resolve(process.argv[2] ?? join(repo, "dist")));
}
