// Kustomize directories as input: built by `kustomize build` or `kubectl kustomize`, with kustomize's
// own `originAnnotations` recording which base or overlay file defines each object. We wrap the
// user's directory in a temporary kustomization that turns them on (their files stay untouched),
// then point findings at the object in its origin file.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { notScanned, renderError } from "../core/builtin.js";
import { inputFinding } from "../core/findings.js";
import type { KObject, Path, Resource, SourceLoc } from "../core/types.js";
import { isRecord } from "../core/workloads.js";
import { displayName, toPosix, type Loaded } from "./files.js";
import { DEFAULT_TOOL_TIMEOUT_MS, type HelmOptions } from "./helm.js";
import { KUSTOMIZATION_NAMES, KustomizeSandbox, type SandboxIssue } from "./kustomize-sandbox.js";
import { DEFAULT_MAX_FILE_SIZE } from "./files.js";
import { runJobs, sizeText } from "./run.js";
import { findKustomize, NO_KUSTOMIZE, NO_NETWORK_ENV } from "./tools.js";
import { parseYaml } from "./yaml.js";

export { KUSTOMIZATION_NAMES };

export function isKustomizeDir(dir: string): boolean {
  return KUSTOMIZATION_NAMES.some((n) => existsSync(join(dir, n)));
}

const ORIGIN = "config.kubernetes.io/origin";

export interface KustomizeInput {
  dir: string;
  reportAt?: SourceLoc;
}

export function buildKustomizations(
  inputs: readonly KustomizeInput[],
  options: HelmOptions,
  cwd: string,
  loaded: Loaded,
): void {
  if (inputs.length === 0) return;
  const env = options.env ?? process.env;
  const tool = findKustomize(env);
  const locOf = (input: KustomizeInput): SourceLoc =>
    input.reportAt ?? {
      file: displayName(
        cwd,
        join(input.dir, KUSTOMIZATION_NAMES.find((n) => existsSync(join(input.dir, n))) ?? ""),
      ),
      line: 1,
      column: 1,
    };
  if (tool === undefined) {
    for (const i of inputs)
      loaded.findings.push(inputFinding(renderError, "kustomize", { detail: NO_KUSTOMIZE }, locOf(i)));
    return;
  }
  const tmp = mkdtempSync(join(tmpdir(), "kubeward-kustomize-"));
  const maxFileSize = options.maxOutputBytes ?? DEFAULT_MAX_FILE_SIZE;
  try {
    // Each input is built from its own sandbox copy (see kustomize-sandbox.ts); what the copy left
    // out is reported at the kustomization's line.
    const sandboxes = inputs.map((input, i) => {
      const dir = resolve(input.dir);
      const root = isInside(resolve(cwd), dir) ? resolve(cwd) : dir;
      const box = new KustomizeSandbox(root, join(tmp, String(i), "tree"), {
        maxFileSize,
        maxTotalBytes: 4 * maxFileSize,
      });
      const ok = box.addDir(dir);
      for (const issue of box.issues) loaded.findings.push(issueFinding(issue, cwd));
      if (!ok) return undefined;
      const w = join(tmp, String(i), "wrap");
      mkdirSync(w, { recursive: true });
      const rel = toPosix(relative(w, box.toSandbox(dir)));
      writeFileSync(
        join(w, "kustomization.yaml"),
        `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ${JSON.stringify(rel)}\nbuildMetadata: [originAnnotations]\n`,
      );
      return { box, wrapper: w };
    });
    const home = join(tmp, "home");
    mkdirSync(home);
    const built = sandboxes.flatMap((s, i) =>
      s === undefined ? [] : [{ s, input: inputs[i] as KustomizeInput }],
    );
    const results = runJobs(
      built.map(({ s }) => ({
        command: tool.command,
        // kustomize's default load restrictor (files only under each kustomization's root); no PATH
        // (so no git), an empty HOME, and a proxy nobody listens on: nothing is fetched.
        args: [...tool.prefix, s.wrapper],
        env: isolatedEnv(home),
        cwd: s.wrapper,
        timeoutMs: options.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS,
        maxOutputBytes: maxFileSize,
      })),
    );
    results.forEach((r, i) => {
      const { s, input } = built[i] as (typeof built)[number];
      if (r.status !== 0) {
        const detail = r.tooLarge
          ? `the built output is over the ${sizeText(maxFileSize)} file-size limit (raise it with --max-file-size)`
          : r.timedOut
            ? "kustomize did not finish in time (raise it with --timeout)"
            : cleanError(r.stderr, s.wrapper, s.box, cwd);
        loaded.findings.push(
          inputFinding(renderError, "kustomize", { detail }, refLoc(locOf(input), detail, cwd)),
        );
        return;
      }
      addBuilt(r.stdout, s.wrapper, s.box, input, cwd, loaded);
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The environment kustomize runs in: nothing of the user's, no way out to the network. */
export function isolatedEnv(home: string): Record<string, string> {
  return {
    PATH: "",
    HOME: home,
    XDG_CONFIG_HOME: join(home, "config"),
    KUBECONFIG: join(home, "none"),
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_TERMINAL_PROMPT: "0",
    GIT_ALLOW_PROTOCOL: "file",
    ...NO_NETWORK_ENV,
  };
}

function isInside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

function issueFinding(issue: SandboxIssue, cwd: string) {
  const loc = { file: displayName(cwd, issue.file), line: issue.line, column: issue.column };
  const e = JSON.stringify(issue.entry);
  switch (issue.kind) {
    case "remote":
      return inputFinding(
        notScanned,
        "notice",
        { detail: `not scanned: remote kustomize resource ${e} (kubeward never fetches)` },
        loc,
      );
    case "symlink":
      return inputFinding(
        notScanned,
        "notice",
        { detail: `not followed: ${e} is a symlink that leaves the scanned tree` },
        loc,
      );
    case "outside":
      return inputFinding(
        renderError,
        "kustomize",
        { detail: `refused to load ${e}: it is outside the scanned tree` },
        loc,
      );
    case "limit":
      return inputFinding(
        renderError,
        "kustomize",
        { detail: `refused to load ${e}: it is over the file-size limit` },
        loc,
      );
  }
}

/** The line of the kustomization that names the entry kustomize could not read, when it says which. */
function refLoc(loc: SourceLoc, detail: string, cwd: string): SourceLoc {
  const refs = [...detail.matchAll(/from '([^']+)'/g)].map((m) => m[1] ?? "");
  const ref = refs.at(-1);
  if (ref === undefined || ref === "") return loc;
  try {
    const lines = readFileSync(resolve(cwd, loc.file), "utf8").split("\n");
    const i = lines.findIndex((l) => l.includes(ref));
    return i === -1 ? loc : { ...loc, line: i + 1, column: (lines[i]?.indexOf(ref) ?? 0) + 1 };
  } catch {
    return loc;
  }
}

function cleanError(stderr: string, wrapper: string, box: KustomizeSandbox, cwd: string): string {
  // Drop the layer about our wrapper kustomization, and show paths relative to the scan root.
  let msg = stderr.replace(/^Error: /m, "").trim();
  const inner = /recursed accumulation of path '[^']*': ([\s\S]*)$/.exec(msg);
  if (inner?.[1] !== undefined) msg = inner[1];
  msg = msg.replace(/': must build at directory: [\s\S]*$/, "'");
  const rootPrefix = displayName(cwd, box.root) === "." ? "" : `${displayName(cwd, box.root)}/`;
  return msg
    .split(`${wrapper}/`)
    .join("")
    .split(`${box.into}/`)
    .join(rootPrefix)
    .split(`${resolve(cwd)}/`)
    .join("");
}

interface OriginFile {
  name: string;
  resources: Resource[];
}

function addBuilt(
  stdout: string,
  wrapper: string,
  box: KustomizeSandbox,
  input: KustomizeInput,
  cwd: string,
  loaded: Loaded,
): void {
  const kustFile = locDisplay(input, cwd);
  const parsed = parseYaml(stdout, kustFile);
  const origins = new Map<string, OriginFile | undefined>();
  const originOf = (path: string): OriginFile | undefined => {
    if (!origins.has(path)) {
      // The origin is in the sandbox copy: read the user's file it was copied from.
      const full = box.toReal(resolve(wrapper, path));
      try {
        const text = readFileSync(full, "utf8");
        const name = displayName(cwd, full);
        loaded.texts.set(name, text);
        origins.set(path, { name, resources: parseYaml(text, name).resources });
      } catch {
        origins.set(path, undefined);
      }
    }
    return origins.get(path);
  };
  parsed.resources.forEach((r, n) => {
    const meta = isRecord(r.object["metadata"]) ? r.object["metadata"] : undefined;
    const ann = meta !== undefined && isRecord(meta["annotations"]) ? meta["annotations"] : undefined;
    const raw = ann?.[ORIGIN];
    if (ann !== undefined && typeof raw === "string") {
      Reflect.deleteProperty(ann, ORIGIN);
      if (Object.keys(ann).length === 0 && meta !== undefined) delete meta["annotations"];
    }
    const path = typeof raw === "string" ? /(?:^|\n)path:\s*(.+)/.exec(raw)?.[1]?.trim() : undefined;
    const file = path !== undefined ? originOf(path) : undefined;
    const match = file === undefined ? undefined : findOriginal(file.resources, r.object);
    if (file === undefined || match === undefined) {
      loaded.resources.push({ ...r, docIndex: n });
      return;
    }
    loaded.resources.push({
      ...r,
      file: file.name,
      docIndex: match.docIndex,
      // Located in the base/overlay file that defines it (paths added by patches fall back to the
      // nearest existing ancestor there).
      source: { locate: (p: Path) => match.source.locate(p) },
    });
  });
  loaded.findings.push(...parsed.findings);
  loaded.skipped += parsed.skipped;
  loaded.texts.set(kustFile, stdout);
  loaded.files++;
}

function locDisplay(input: KustomizeInput, cwd: string): string {
  return displayName(cwd, input.dir) + "/(kustomize build)";
}

/** The object in the origin file: same kind, and the name that survives prefixes/suffixes. */
function findOriginal(candidates: readonly Resource[], obj: KObject): Resource | undefined {
  const kind = obj["kind"];
  const meta = isRecord(obj["metadata"]) ? obj["metadata"] : {};
  const name = typeof meta["name"] === "string" ? meta["name"] : "";
  const same = candidates.filter((c) => c.ref.kind === kind);
  return (
    same.find((c) => c.ref.name === name) ??
    same.find((c) => c.ref.name !== "" && name.includes(c.ref.name)) ??
    same[0]
  );
}
