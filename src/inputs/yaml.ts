// Text → resources, each with a lazy source locator over the `yaml` package's node ranges.
// Pure (no node:*): runs in a browser too. Problems become findings, never exceptions.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from "yaml";
import { invalidObject, parseError } from "../core/builtin.js";
import { inputFinding } from "../core/findings.js";
import type {
  Finding,
  KObject,
  Path,
  Resource,
  ResourceRef,
  SourceLoc,
  SourceLocator,
} from "../core/types.js";
import { isRecord } from "../core/workloads.js";

export interface ParsedText {
  resources: Resource[];
  findings: Finding[];
  /** Documents that are not Kubernetes objects (no apiVersion/kind): counted, not reported. */
  skipped: number;
}

/** Beyond this many alias expansions a document is treated as a "billion laughs" attack. */
const MAX_ALIAS_COUNT = 1000;

export function parseYaml(text: string, file: string): ParsedText {
  const out: ParsedText = { resources: [], findings: [], skipped: 0 };
  const nul = text.indexOf("\0");
  if (nul !== -1) {
    out.findings.push(inputFinding(parseError, "binary", { offset: nul }, { file, line: 1, column: 1 }));
    return out;
  }
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, keepSourceTokens: false });
  const docList = Array.isArray(docs) ? docs : [];
  const posOf = (offset: number): { line: number; column: number } => {
    const p = lineCounter.linePos(offset);
    return { line: Math.max(p.line, 1), column: p.col };
  };

  docList.forEach((doc, docIndex) => {
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        // Errors found at end of input (an unclosed bracket) point at the last line with content.
        const { line, column } = posOf(Math.min(err.pos[0], Math.max(text.trimEnd().length - 1, 0)));
        out.findings.push(
          inputFinding(
            parseError,
            "syntax",
            { detail: cleanYamlMessage(err.message) },
            { file, line, column },
          ),
        );
      }
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      const start = doc.contents?.range[0] ?? 0;
      const message = err instanceof Error ? err.message : String(err);
      const bomb = /alias/i.test(message);
      out.findings.push(
        inputFinding(
          parseError,
          bomb ? "aliasBomb" : "syntax",
          { detail: message },
          { file, ...posOf(start) },
        ),
      );
      return;
    }
    if (value === null || value === undefined) return;
    const root = doc.contents;
    if (!isRecord(value) || root === null) {
      out.skipped++;
      return;
    }
    const makeLocator = (node: Node): SourceLocator => ({
      locate: (path) => locateInNode(node, path, file, posOf),
    });
    if (!isKubernetesObject(value)) {
      out.skipped++;
      return;
    }
    const kind = value["kind"] as string;
    const items = value["items"];
    if ((kind === "List" || kind.endsWith("List")) && Array.isArray(items)) {
      const itemsNode = isMap(root) ? root.get("items", true) : undefined;
      items.forEach((item: unknown, i) => {
        const itemNode = isSeq(itemsNode) ? (itemsNode.items[i] as Node | undefined) : undefined;
        const locator = makeLocator(itemNode ?? root);
        if (!isKubernetesObject(item)) {
          const { loc } = locator.locate([]);
          out.findings.push(
            inputFinding(
              invalidObject,
              "listItem",
              { index: i, field: "items", detail: "a List may only hold Kubernetes objects" },
              loc,
            ),
          );
          return;
        }
        out.resources.push({ ref: refOf(item), object: item, file, docIndex, source: locator });
      });
      return;
    }
    out.resources.push({ ref: refOf(value), object: value, file, docIndex, source: makeLocator(root) });
  });
  return out;
}

function isKubernetesObject(v: unknown): v is KObject {
  return (
    isRecord(v) && typeof v["apiVersion"] === "string" && typeof v["kind"] === "string" && v["kind"] !== ""
  );
}

export function refOf(obj: KObject): ResourceRef {
  const meta = isRecord(obj["metadata"]) ? obj["metadata"] : {};
  const name =
    typeof meta["name"] === "string"
      ? meta["name"]
      : typeof meta["generateName"] === "string"
        ? meta["generateName"]
        : "";
  const ref: ResourceRef = { apiVersion: String(obj["apiVersion"]), kind: String(obj["kind"]), name };
  if (typeof meta["namespace"] === "string") ref.namespace = meta["namespace"];
  return ref;
}

/**
 * Walk `path` down the YAML node tree. A found key points at the key (where a reader looks);
 * a missing one at the deepest ancestor that exists, with exact: false.
 */
export function locateInNode(
  root: Node,
  path: Path,
  file: string,
  posOf: (offset: number) => { line: number; column: number },
): { loc: SourceLoc; exact: boolean } {
  let node: unknown = root;
  let start: number = root.range?.[0] ?? 0;
  let end: number = root.range?.[1] ?? start;
  let exact = true;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyMatches(p.key, key));
      if (pair === undefined) {
        exact = false;
        break;
      }
      const keyNode = pair.key as Node | null;
      const valueNode = pair.value as Node | null;
      start = keyNode?.range?.[0] ?? valueNode?.range?.[0] ?? start;
      end = valueNode?.range?.[1] ?? keyNode?.range?.[1] ?? end;
      node = valueNode;
    } else if (isSeq(node) && typeof key === "number") {
      const item = node.items[key] as Node | undefined;
      if (item?.range == null) {
        exact = false;
        break;
      }
      start = item.range[0];
      end = item.range[1];
      node = item;
    } else {
      exact = false;
      break;
    }
  }
  const a = posOf(start);
  const b = posOf(end);
  return { loc: { file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column }, exact };
}

function keyMatches(keyNode: unknown, key: string | number): boolean {
  if (isScalar(keyNode)) return String(keyNode.value) === String(key);
  return false;
}

/** The yaml package's messages end with a code frame when prettyErrors is on; keep the first line. */
function cleanYamlMessage(message: string): string {
  return message.split("\n")[0] ?? message;
}
