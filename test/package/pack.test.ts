// What `npm pack` puts in the published tarball (issue 13 item 1): a `files` list, the built
// JavaScript and type declarations without source maps, the docs, and the helm/kubectl package
// bundled so that npm never installs its unused peers (aws-cdk-lib, constructs) for our users.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { LAYER_PACKAGE } from "../../src/inputs/tools.js";

const repo = join(import.meta.dirname, "..", "..");
const built = existsSync(join(repo, "dist", "cli", "main.js"));

interface PackageJson {
  files?: string[];
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
  bundleDependencies?: string[];
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  scripts?: Record<string, string>;
}
const readPackage = (dir: string) =>
  JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PackageJson;
const pkg = readPackage(repo);

describe("package.json", () => {
  it("lists what to publish instead of relying on .npmignore", () => {
    expect(pkg.files).toEqual(expect.arrayContaining(["dist", "docs", "README.md"]));
  });

  it("runs no script when users install it (npm warns about install scripts; prepare would be one)", () => {
    for (const s of ["preinstall", "install", "postinstall", "prepare"])
      expect(pkg.scripts?.[s]).toBeUndefined();
  });

  // npm ≥ 7 installs the peers of every dependency it resolves; the repo's .npmrc (legacy-peer-deps)
  // does not travel with the package. A bundled dependency is installed from our tarball as is.
  it("bundles every dependency whose required peers kubeward does not use", () => {
    const deps = Object.keys(pkg.dependencies ?? {});
    const withUnusedPeers = deps.filter((dep) => {
      const meta = readPackage(join(repo, "node_modules", dep));
      return Object.keys(meta.peerDependencies ?? {}).some(
        (peer) => meta.peerDependenciesMeta?.[peer]?.optional !== true && !deps.includes(peer),
      );
    });
    expect(withUnusedPeers).toContain(LAYER_PACKAGE);
    expect(pkg.bundleDependencies ?? []).toEqual(expect.arrayContaining(withUnusedPeers));
  });
});

describe.skipIf(!built)("npm pack contents (needs `npm run build` first)", () => {
  const packed = () => {
    const r = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: repo,
      encoding: "utf8",
      timeout: 120_000,
    });
    if (r.status !== 0) throw new Error(`npm pack failed: ${r.stderr}`);
    const [info] = JSON.parse(r.stdout) as { files: { path: string }[]; bundled: string[]; size: number }[];
    if (info === undefined) throw new Error("npm pack printed no package");
    return { ...info, paths: info.files.map((f) => f.path) };
  };
  let info: ReturnType<typeof packed> = { files: [], paths: [], bundled: [], size: 0 };
  beforeAll(() => {
    info = packed();
  }, 120_000);
  const bundledPrefix = `node_modules/${LAYER_PACKAGE}/`;

  it("has the CLI, the library entry with its types, the docs and the README", () => {
    const bin = pkg.bin?.["kubeward"] ?? "";
    expect(info.paths).toEqual(
      expect.arrayContaining([
        bin,
        "dist/api.js",
        "dist/api.d.ts",
        "docs/helm.md",
        "README.md",
        "package.json",
      ]),
    );
    expect(readFileSync(join(repo, bin), "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  });

  it("has nothing but dist/, docs/, the bundled helm/kubectl package and the top-level files", () => {
    const stray = info.paths.filter(
      (p) =>
        !p.startsWith("dist/") &&
        !p.startsWith("docs/") &&
        !p.startsWith(bundledPrefix) &&
        !["README.md", "package.json", "LICENSE"].includes(p),
    );
    expect(stray).toEqual([]);
  });

  it("has no source maps, tests, fixtures or TypeScript sources", () => {
    const own = info.paths.filter((p) => !p.startsWith(bundledPrefix));
    expect(
      own.filter((p) => /\.map$|(^|\/)(test|tests|fixtures|__tests__)\/|^src\/|(?<!\.d)\.ts$/.test(p)),
    ).toEqual([]);
  });

  it("bundles the helm/kubectl zip, and nothing else from node_modules", () => {
    expect(info.bundled).toEqual([LAYER_PACKAGE]);
    expect(info.paths).toContain(`${bundledPrefix}lib/layer.zip`);
    expect(info.paths.filter((p) => p.startsWith("node_modules/") && !p.startsWith(bundledPrefix))).toEqual(
      [],
    );
  });
});
