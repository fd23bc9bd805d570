// A rule is one typed object: `meta` (data) and `create` (the check). Rules report a path into
// the object and a message ID; the engine turns that into a located, suppressible finding.
import type { FixDefaultKey } from "./config.js";
import type { ContainerView, PodSpecView } from "./workloads.js";
import type { OptionsOf, OptionsSchema } from "./options.js";
import type {
  Category,
  Equivalents,
  FixProposal,
  Path,
  Resource,
  Severity,
  Standards,
  ValuePart,
} from "./types.js";

export interface RuleMeta<MessageIds extends string = string> {
  /** Stable, opaque kebab-case ID. Never derived from the title; a rename keeps the old ID in `aliases`. */
  id: string;
  aliases?: string[];
  title: string;
  category: Category;
  severity: Severity;
  /** Why it matters, in one or two sentences. */
  description: string;
  /** What to do, as one sentence. */
  remediation: string;
  /** Message templates by ID; `{{name}}` placeholders are filled from the report's data. */
  messages: Record<MessageIds, string>;
  /** Kinds the rule looks at; omitted means every kind (or the rule's own selection). */
  kinds?: readonly string[];
  /** Rules that read more than one object (selectors, references) run once over all resources. */
  scope?: "object" | "cluster";
  fix: "safe" | "unsafe" | "none";
  /** Off unless the config turns it on (opinionated or organisation-specific checks). */
  enabledByDefault?: boolean;
  standards?: Standards;
  /** Concept keys from the peer catalog (`concepts` column) that this rule covers. */
  concepts?: string[];
  equivalents: Equivalents;
  /** When the rule is wrong or not worth it. */
  notes?: string;
}

export interface ReportDescriptor<MessageIds extends string> {
  /** The object the finding is about. */
  resource: Resource;
  /** Absolute path in `resource.object`. */
  path: Path;
  messageId: MessageIds;
  data?: Record<string, string | number>;
  container?: string;
  /** Path operations that remove the finding; rejected when `meta.fix` is "none". */
  fix?: FixProposal;
  /** Why no fix is offered for this finding although the rule has fixes. */
  noFix?: string;
  /**
   * The setting the finding is about when it is not `path` itself (absolute): a missing setting
   * below `path` (the parent that lacks it), or the field whose value causes a finding reported
   * elsewhere (a binding's `roleRef.name` for a finding at one of its subjects). A rendered chart
   * maps it to the values key that would set it. A fix's field below `path` serves too.
   */
  field?: Path;
  /** The part of the field's text the finding is about (an image's repository or tag), see ValuePart. */
  part?: ValuePart;
}

export interface RuleContext<MessageIds extends string = string, Options = Record<string, unknown>> {
  report(descriptor: ReportDescriptor<MessageIds>): void;
  /** Options from the config file for this rule (already merged over the rule's defaults). */
  options: Options;
  /** Every resource of the scan; for cluster-scoped rules. */
  resources: readonly Resource[];
  /**
   * `--assume-complete` (true) / `--no-assume-complete` (false): whether a reference to an object
   * missing from the scan is a finding; undefined lets `src/rules/lib/completeness.ts` decide.
   */
  assumeComplete?: boolean;
  /** The Kubernetes release the scan targets (`--kube-version`, e.g. "1.35"); unset: DEFAULT_KUBE_VERSION. */
  kubeVersion?: string;
  /** Values the user allows fixes to use (`fix.defaults` in the config) when the object has none. */
  fixDefaults: Readonly<Partial<Record<FixDefaultKey, string | number>>>;
}

/** Handlers the engine calls during its single walk over the resources. */
export interface RuleVisitor {
  /** Each resource whose kind is in `meta.kinds` (or every resource when `kinds` is omitted). */
  resource?: (resource: Resource) => void;
  /** Each pod spec of a workload (Pod, Deployment, CronJob, ...). */
  podSpec?: (pod: PodSpecView) => void;
  /** Each container (init, regular, ephemeral) of each pod spec. */
  container?: (container: ContainerView) => void;
  /** Once, after every resource was visited: cross-object checks go here. */
  end?: (resources: readonly Resource[]) => void;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a rule without options
type NoOptions = {};

export interface Rule<MessageIds extends string = string, S extends OptionsSchema = NoOptions> {
  meta: RuleMeta<MessageIds>;
  /**
   * The schema of each option, with its default (`option.*` builders in core/options.ts). The
   * config loader checks users' options against it; the docs and JSON Schema are made from it.
   */
  options?: S;
  create(context: RuleContext<MessageIds, OptionsOf<S>>): RuleVisitor;
}

/** The one factory for rules: infers message IDs and option types so reports are type-checked. */
export function defineRule<MessageIds extends string, S extends OptionsSchema = NoOptions>(
  rule: Rule<MessageIds, S>,
): Rule<MessageIds, S> {
  return rule;
}

/** A rule with its types erased, as stored in the registry. */
export type AnyRule = Rule<string, OptionsSchema>;

/** `{{ name }}` in a message template. */
const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

/** A template cut at its placeholders: text, then each key (with its own text if the data lacks it) and the text after. */
interface CompiledTemplate {
  texts: string[];
  keys: string[];
  raws: string[];
}

/** Templates are the rules' messages: few, each used for many findings. */
const compiledTemplates = new Map<string, CompiledTemplate>();
const MAX_COMPILED = 4096;

function compileTemplate(template: string): CompiledTemplate {
  const c: CompiledTemplate = { texts: [], keys: [], raws: [] };
  let from = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    c.texts.push(template.slice(from, m.index));
    c.keys.push(m[1] ?? "");
    c.raws.push(m[0]);
    from = m.index + m[0].length;
  }
  c.texts.push(template.slice(from));
  return c;
}

/** `template` with each `{{ key }}` replaced by `data[key]` (left as written when the data has no such key). */
export function formatMessage(template: string, data: Record<string, string | number> | undefined): string {
  if (data === undefined) return template;
  let c = compiledTemplates.get(template);
  if (c === undefined) {
    c = compileTemplate(template);
    if (compiledTemplates.size < MAX_COMPILED) compiledTemplates.set(template, c);
  }
  let out = c.texts[0] ?? "";
  for (let i = 0; i < c.keys.length; i++) {
    const v = data[c.keys[i] ?? ""];
    out += (v === undefined ? (c.raws[i] ?? "") : String(v)) + (c.texts[i + 1] ?? "");
  }
  return out;
}
