import { defineRule } from "../../core/rule.js";
import type { LabelSelector } from "../../core/k8s.js";
import type { Path, Resource } from "../../core/types.js";
import { getIn, isRecord } from "../../core/workloads.js";
import {
  asLabelSelector,
  isEmptySelector,
  isKnownOperator,
  matchesRequirement,
  requiresSelector,
} from "../lib/selectors.js";

type MessageId = "noSelector" | "labelMissing" | "labelDiffers" | "expressionUnmet" | "badOperator";

/** Where the controller spec sits (the one holding `selector` and `template`). */
const SPEC_PATHS: Readonly<Record<string, Path>> = {
  Deployment: ["spec"],
  StatefulSet: ["spec"],
  DaemonSet: ["spec"],
  ReplicaSet: ["spec"],
  ReplicationController: ["spec"],
  Job: ["spec"],
  CronJob: ["spec", "jobTemplate", "spec"],
};

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(v)) return out;
  for (const [k, val] of Object.entries(v)) if (typeof val === "string") out[k] = val;
  return out;
}

export default defineRule<MessageId>({
  meta: {
    id: "selector-mismatch",
    title: "Selector does not match the pod template labels",
    category: "reliability",
    severity: "high",
    description:
      "A controller manages the pods its selector matches; when the selector does not match its own pod template, the API server rejects the object, so the manifest cannot be applied (and older API versions created pods the controller never counted).",
    remediation: "Make `spec.selector` match the labels in `spec.template.metadata.labels`.",
    messages: {
      noSelector:
        "{{kind}} has no (or an empty) `selector`; `{{apiVersion}}` requires one that matches the template labels.",
      labelMissing:
        "The selector requires label `{{key}}: {{value}}`, but the pod template has no `{{key}}` label.",
      labelDiffers:
        "The selector requires label `{{key}}: {{value}}`, but the pod template sets `{{key}}: {{actual}}`.",
      expressionUnmet:
        "The selector expression on `{{key}}` ({{operator}}) does not match the pod template labels.",
      badOperator:
        "Unknown selector operator `{{operator}}`; use In, NotIn, Exists or DoesNotExist (case-sensitive).",
    },
    kinds: Object.keys(SPEC_PATHS),
    fix: "none",
    concepts: ["M-SELECTOR"],
    equivalents: {
      "kube-linter": ["mismatching-selector"],
      kubescape: ["C-0296"],
      "kube-score": [
        "deployment-pod-selector-labels-match-template-metadata-labels",
        "statefulset-pod-selector-labels-match-template-metadata-labels",
      ],
    },
    notes:
      "Jobs are checked only with `manualSelector: true` (otherwise the API server generates the selector), and ReplicationControllers only when they set a selector (otherwise it defaults to the template labels).",
  },
  create(context) {
    const check = (
      r: Resource,
      selectorPath: Path,
      selector: LabelSelector,
      labels: Record<string, string>,
    ) => {
      for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
        const actual = labels[key];
        if (actual === value) continue;
        const rcMap = r.ref.kind === "ReplicationController";
        const path = rcMap ? [...selectorPath, key] : [...selectorPath, "matchLabels", key];
        if (actual === undefined)
          context.report({ resource: r, path, messageId: "labelMissing", data: { key, value } });
        else context.report({ resource: r, path, messageId: "labelDiffers", data: { key, value, actual } });
      }
      (selector.matchExpressions ?? []).forEach((req, i) => {
        const path = [...selectorPath, "matchExpressions", i];
        if (!isKnownOperator(req.operator)) {
          context.report({
            resource: r,
            path: [...path, "operator"],
            messageId: "badOperator",
            data: { operator: req.operator },
          });
        } else if (!matchesRequirement(req, labels)) {
          context.report({
            resource: r,
            path,
            messageId: "expressionUnmet",
            data: { key: req.key, operator: req.operator },
          });
        }
      });
    };

    return {
      resource(r) {
        const specPath = SPEC_PATHS[r.ref.kind];
        if (specPath === undefined) return;
        const spec = getIn(r.object, specPath);
        if (!isRecord(spec)) return;
        const labels = stringMap(getIn(spec, ["template", "metadata", "labels"]));
        const selectorPath = [...specPath, "selector"];
        const raw = spec["selector"];
        const present = raw !== undefined && raw !== null;
        const noSelector = () => {
          context.report({
            resource: r,
            path: present ? selectorPath : specPath,
            messageId: "noSelector",
            data: { kind: r.ref.kind, apiVersion: r.ref.apiVersion },
          });
        };

        if (r.ref.kind === "ReplicationController") {
          // A plain map; when absent or empty it defaults to the template labels.
          const map = stringMap(raw);
          if (Object.keys(map).length > 0) check(r, selectorPath, { matchLabels: map }, labels);
          return;
        }
        const selector = asLabelSelector(raw);
        // A malformed selector is the API server's to reject; no guess here.
        if (present && selector === undefined) return;
        if (r.ref.kind === "Job" || r.ref.kind === "CronJob") {
          if (spec["manualSelector"] !== true) return;
          if (selector === undefined || isEmptySelector(selector)) noSelector();
          else check(r, selectorPath, selector, labels);
          return;
        }
        if (selector === undefined || isEmptySelector(selector)) {
          if (requiresSelector(r.ref.apiVersion, r.ref.kind)) noSelector();
          return;
        }
        check(r, selectorPath, selector, labels);
      },
    };
  },
});
