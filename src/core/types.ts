// The data shapes shared by the engine, rules, inputs and reports. Pure: no I/O.

export const SEVERITIES = ["info", "low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CATEGORIES = [
  "security",
  "reliability",
  "efficiency",
  "rbac",
  "network",
  "supply-chain",
  "input",
] as const;
export type Category = (typeof CATEGORIES)[number];

/** A path into a Kubernetes object: keys and array indexes, as in `spec.template.spec.containers[0]`. */
export type Path = readonly (string | number)[];

export type KObject = Record<string, unknown>;

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** 1-based line and column of a node in its source file. */
export interface SourceLoc {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** Where a finding points in a Helm chart (issue: Helm mapping); filled by inputs that know it. */
export interface TemplateLoc {
  file: string;
  line: number;
  column: number;
  /** Why no values key is given although values may control the field (the mapping is unsure). */
  valuesUnknown?: string;
}
/**
 * The part of a field's text a finding is about, when a template may compose the text from several
 * values keys: an image reference's repository (its name and owner) or its tag.
 */
export type ValuePart = "repository" | "tag";

export interface ValuesLoc {
  path: string;
  file?: string;
  line?: number;
  /** Set on the command line instead of in a file: the flag and assignment (`--set replicaCount=1`). */
  setBy?: string;
}

/**
 * Resolves a path in the object to a location. `exact` is false when the path does not exist
 * (a missing key) and the location is that of the deepest ancestor that does.
 */
export interface SourceLocator {
  locate(path: Path): { loc: SourceLoc; exact: boolean };
  /** Extra mapping for rendered sources (Helm): template and values locations. */
  origin?(path: Path, part?: ValuePart): { template?: TemplateLoc; values?: ValuesLoc } | undefined;
}

/** One Kubernetes object as read from a source. */
export interface Resource {
  ref: ResourceRef;
  object: KObject;
  /** The file (relative to the scan root, or `<stdin>`) and the document's position. */
  file: string;
  docIndex: number;
  /** The item's index when the document is a `kind: List` (the object is `items[listIndex]`). */
  listIndex?: number;
  source: SourceLocator;
  /**
   * Set when a renderer filled in this namespace because the user named none (helm renders
   * `.Release.Namespace` as "default"): the author did not choose it, so rules about it stay quiet.
   */
  defaultedNamespace?: string;
  /** The Helm release or GitOps object that rendered this resource (`HelmRelease flux-system/app`). */
  release?: string;
  /**
   * Set on objects read from a live cluster (`scan --cluster`): findings on them carry this kubectl
   * reference and the field path instead of a file position.
   */
  cluster?: { ref: string; context?: string };
}

export interface TextEdit {
  range: [start: number, end: number];
  text: string;
}
/**
 * A change to one object, as data (src/fix turns it into text edits). `set` writes a value (creating
 * missing parent maps), `add` writes it only where the key is absent, `remove` deletes a key or list
 * item, `append` adds an item to the end of a list (creating the list).
 */
export type PathOp =
  | { op: "set"; path: Path; value: unknown }
  | { op: "add"; path: Path; value: unknown }
  | { op: "remove"; path: Path }
  | { op: "append"; path: Path; value: unknown };
/** What a rule reports: the engine adds `kind` from the rule's metadata. */
export interface FixProposal {
  /** What the fix changes, in one sentence ("Set readOnlyRootFilesystem: true on container web"). */
  description: string;
  ops: PathOp[];
}
export interface Fix {
  kind: "safe" | "unsafe";
  /** What the fix changes, in one sentence ("Set readOnlyRootFilesystem: true on container web"). */
  description: string;
  ops: PathOp[];
}

export interface Suppression {
  kind: "annotation" | "config";
  reason?: string;
  until?: string;
}

/**
 * Where a finding points in a live cluster (`scan --cluster`): the object as kubectl names it and the
 * field path in it, instead of a file position.
 */
export interface ClusterLoc {
  /** kubectl-style reference: `deployment/web -n shop`, `clusterrole/admin` (cluster-scoped). */
  ref: string;
  /** The field in the object, `spec.template.spec.containers[0].securityContext` ("" for the object). */
  fieldPath: string;
  /** The kubeconfig context read, when known. */
  context?: string;
}

/** A finding's location in a file: 1-based line and column (0 for a finding about the file as a whole). */
export interface FilePosition {
  /** Absent or "file": the finding points into a file. */
  source?: "file";
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  cluster?: never;
}
/** A finding's location in a live cluster. */
export interface ClusterPosition {
  source: "cluster";
  cluster: ClusterLoc;
  file?: never;
  line?: never;
  column?: never;
  endLine?: never;
  endColumn?: never;
}
/** Where a finding points: one of two kinds, told apart by `source`. */
export type FindingLocation = FilePosition | ClusterPosition;

export interface FindingBase {
  ruleId: string;
  severity: Severity;
  category: Category;
  message: string;
  messageId: string;
  remediation: string;
  resource?: ResourceRef;
  path: Path;
  /** False when the path does not exist in the source (a missing key); the location is its nearest ancestor. */
  exact?: boolean;
  template?: TemplateLoc;
  values?: ValuesLoc;
  container?: string;
  /** The Helm release or GitOps object that produced the resource (`Application argocd/shop`). */
  release?: string;
  fix?: Fix;
  /** Why a rule that has fixes offers none here ("no request or limit to derive a value from"). */
  noFix?: string;
  suppressed?: Suppression;
}

/** A finding in a file (manifests, charts, kustomizations). */
export type FileFinding = FindingBase & FilePosition;
/** A finding on an object of a live cluster (`scan --cluster`). */
export type ClusterFinding = FindingBase & ClusterPosition;
export type Finding = FileFinding | ClusterFinding;

export type Standards = {
  /** Pod Security Standards level whose controls this rule enforces. */
  pss?: "baseline" | "restricted";
  /** CIS Kubernetes Benchmark section IDs, e.g. "5.2.2". */
  cis?: string[];
  /** NSA-CISA Kubernetes Hardening Guide topics. */
  nsa?: string[];
  /** MITRE ATT&CK for containers technique IDs. */
  mitre?: string[];
};

export const PEER_TOOLS = [
  "trivy",
  "kube-linter",
  "kubescape",
  "checkov",
  "polaris",
  "kube-score",
  "kics",
  "kubeaudit",
  "terrascan",
] as const;
export type PeerTool = (typeof PEER_TOOLS)[number];
export type Equivalents = Partial<Record<PeerTool, string[]>>;
