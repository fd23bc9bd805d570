// The `field` template: a field of the object, of each pod spec, or of each container is tested
// against a condition, and reported where it holds (`forbidden`) or where it does not (`required`).
// host-pid, host-ipc, host-network and privileged-container are instances of it.
// Pure: no I/O.
import { option, type OptionProblem, type OptionsOf, type Scalar } from "../../core/options.js";
import type { Path, Resource } from "../../core/types.js";
import type { ContainerView, PodSpecView } from "../../core/workloads.js";
import { formatFieldPath, matchFieldPath, parseFieldPath, type PatternSegment } from "./path.js";
import { defineTemplate } from "./template.js";

export const CONDITIONS = ["exists", "absent", "equals", "oneOf", "matches", "gt", "lt"] as const;
type Condition = (typeof CONDITIONS)[number];

const OPTIONS = {
  target: option.string(
    "Where `path` starts: the object (`object`), each pod spec of a workload (`pod`), or each container, init container and ephemeral container (`container`).",
    "object",
    ["object", "pod", "container"],
  ),
  path: option.string(
    'The field, dot-separated: `hostPID`, `securityContext.privileged`, `ports[*].hostPort`; `*` or `[*]` matches every item of a list or value of a mapping, `["a.b/c"]` quotes a key that holds dots.',
    "",
  ),
  condition: option.string(
    "The test at the field: set (`exists`), not set (`absent`), `equals` `value`, `oneOf` `values`, `matches` the regular expression `value`, or a number greater (`gt`) or less (`lt`) than `value`.",
    "exists",
    CONDITIONS,
  ),
  value: option.scalar("The value for `equals`, `matches` (a regular expression), `gt` and `lt` (a number)."),
  values: option.strings("The values for `oneOf`, compared as text.", []),
  mode: option.string(
    "`forbidden` reports where the condition holds; `required` reports where it does not (a missing field included).",
    "forbidden",
    ["forbidden", "required"],
  ),
  kinds: option.strings(
    "Kinds to check; empty means every kind (every workload kind for `pod` and `container`).",
    [],
  ),
  fixValue: option.scalar("When set, findings carry an unsafe fix that sets the field to this value."),
};
type FieldOptions = OptionsOf<typeof OPTIONS>;

const text = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

/** A scalar as quoted in a message (long strings cut); a list or mapping is not quoted. */
function quoted(v: unknown): string | undefined {
  if (typeof v === "string") return v.length > 60 ? `${v.slice(0, 57)}...` : v;
  if (typeof v === "number" || typeof v === "boolean" || v === null) return String(v);
  return undefined;
}

/** How the condition reads in a message: "equal `true`", "be one of `a`, `b`". */
function expectation(o: FieldOptions): string {
  switch (o.condition as Condition) {
    case "exists":
      return "be set";
    case "absent":
      return "be absent";
    case "equals":
      return `equal \`${text(o.value)}\``;
    case "oneOf":
      return `be one of ${o.values.map((v) => `\`${v}\``).join(", ")}`;
    case "matches":
      return `match \`${text(o.value)}\``;
    case "gt":
      return `be greater than ${text(o.value)}`;
    case "lt":
      return `be less than ${text(o.value)}`;
  }
}

/** The test, compiled once per scan. */
function compile(o: FieldOptions): (value: unknown, present: boolean) => boolean {
  const set = (value: unknown, present: boolean) => present && value !== null;
  const isScalar = (v: unknown): v is string | number | boolean =>
    typeof v === "string" || typeof v === "number" || typeof v === "boolean";
  switch (o.condition as Condition) {
    case "exists":
      return set;
    case "absent":
      return (v, p) => !set(v, p);
    case "equals":
      return (v, p) => set(v, p) && v === o.value;
    case "oneOf": {
      const values = new Set(o.values);
      return (v, p) => set(v, p) && isScalar(v) && values.has(String(v));
    }
    case "matches": {
      const re = new RegExp(typeof o.value === "string" ? o.value : "(?!)", "u");
      return (v, p) => set(v, p) && isScalar(v) && re.test(String(v));
    }
    case "gt":
      return (v, p) => set(v, p) && typeof v === "number" && v > Number(o.value);
    case "lt":
      return (v, p) => set(v, p) && typeof v === "number" && v < Number(o.value);
  }
}

export const fieldTemplate = defineTemplate({
  name: "field",
  summary:
    "A field of the object, of each pod spec or of each container, forbidden or required under a condition.",
  defaults: {
    title: "Field fails a configured condition",
    category: "security",
    severity: "medium",
    description: "The organisation's policy constrains this field (declared in the configuration file).",
    remediation: "Change the field as the policy requires.",
  },
  messages: {
    forbidden: "{{subject}}: `{{field}}` {{found}}; it must not {{expected}}.",
    required: "{{subject}}: `{{field}}` {{found}}; it must {{expected}}.",
  },
  placeholders: ["subject", "kind", "name", "container", "field", "found", "value", "expected"],
  options: OPTIONS,
  required: ["path"],
  check(o) {
    const problems: OptionProblem[] = [];
    const parsed = parseFieldPath(o.path);
    if (typeof parsed === "string") problems.push({ path: ["path"], message: `option \`path\`: ${parsed}` });
    const c = o.condition as Condition;
    if ((c === "equals" || c === "matches" || c === "gt" || c === "lt") && o.value === null)
      problems.push({ path: ["condition"], message: `condition \`${c}\` needs option \`value\`` });
    if ((c === "gt" || c === "lt") && o.value !== null && typeof o.value !== "number")
      problems.push({ path: ["value"], message: `condition \`${c}\` needs a number as \`value\`` });
    if (c === "matches" && typeof o.value === "string") {
      try {
        new RegExp(o.value, "u");
      } catch (err) {
        problems.push({
          path: ["value"],
          message: `option \`value\` is not a valid regular expression: ${(err as Error).message}`,
        });
      }
    }
    if (c === "matches" && o.value !== null && typeof o.value !== "string")
      problems.push({
        path: ["value"],
        message: "condition `matches` needs a regular expression as `value`",
      });
    if (c === "oneOf" && o.values.length === 0)
      problems.push({ path: ["condition"], message: "condition `oneOf` needs option `values`" });
    return problems;
  },
  fixKind: (o) => (o.fixValue === null ? "none" : "unsafe"),
  create(context) {
    const o = context.options;
    const parsed = parseFieldPath(o.path);
    // The config loader rejects a bad path; a Config built in code reports nothing.
    if (typeof parsed === "string") return {};
    const pattern: readonly PatternSegment[] = parsed;
    const holds = compile(o);
    const forbidden = o.mode !== "required";
    const messageId = forbidden ? "forbidden" : "required";
    const expected = expectation(o);
    const kinds = o.kinds.length === 0 ? undefined : new Set(o.kinds);
    const fixValue: Scalar = o.fixValue;

    /** Report every match of the pattern under `root` (at `base` in the object) that breaks the policy. */
    const check = (
      resource: Resource,
      root: unknown,
      base: Path,
      subject: string,
      container: string | undefined,
      fixWhere: string,
    ) => {
      for (const m of matchFieldPath(root, pattern)) {
        if (holds(m.value, m.present) !== forbidden) continue;
        const field = formatFieldPath(m.path);
        const shown = m.present ? quoted(m.value) : undefined;
        const found = !m.present ? "is missing" : shown === undefined ? "is set" : `is \`${shown}\``;
        const path = [...base, ...m.path];
        const data = {
          subject,
          kind: resource.ref.kind,
          name: resource.ref.name,
          field,
          found,
          value: shown ?? "",
          expected,
          ...(container === undefined ? {} : { container }),
        };
        context.report({
          resource,
          path,
          messageId,
          data,
          ...(container === undefined ? {} : { container }),
          ...(fixValue === null
            ? {}
            : {
                fix: {
                  description: `Set ${field}: ${text(fixValue)} ${fixWhere}.`,
                  ops: [{ op: "set" as const, path, value: fixValue }],
                },
              }),
        });
      }
    };
    const objectSubject = (r: Resource) => `${r.ref.kind} \`${r.ref.name}\``;
    switch (o.target) {
      case "pod":
        return {
          podSpec(pod: PodSpecView) {
            if (kinds !== undefined && !kinds.has(pod.resource.ref.kind)) return;
            check(
              pod.resource,
              pod.spec,
              pod.path,
              objectSubject(pod.resource),
              undefined,
              "in the pod spec",
            );
          },
        };
      case "container":
        return {
          container(c: ContainerView) {
            if (kinds !== undefined && !kinds.has(c.resource.ref.kind)) return;
            check(
              c.resource,
              c.container,
              c.path,
              `Container \`${c.name}\``,
              c.name,
              `on container ${c.name}`,
            );
          },
        };
      default:
        return {
          resource(r: Resource) {
            if (kinds !== undefined && !kinds.has(r.ref.kind)) return;
            check(r, r.object, [], objectSubject(r), undefined, `in ${r.ref.kind} ${r.ref.name}`);
          },
        };
    }
  },
  example: {
    id: "run-as-non-root-required",
    options: {
      target: "container",
      path: "securityContext.runAsNonRoot",
      condition: "equals",
      value: true,
      mode: "required",
    },
    invalid: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: registry.example.com/web:1.4.2
      securityContext:
        runAsNonRoot: false # expect: required
`,
    valid: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: registry.example.com/web:1.4.2
      securityContext:
        runAsNonRoot: true
`,
  },
});
