import { option } from "../../core/options.js";
import { defineRule } from "../../core/rule.js";
import type { Resource } from "../../core/types.js";
import { getIn, isRecord, podSpecOf } from "../../core/workloads.js";
import { evaluatePss, PSS_LEVELS, pssVersionMinor, type PssLevel, type PssViolation } from "../lib/pss.js";

const MODES = ["enforce", "audit", "warn"] as const;
type Mode = (typeof MODES)[number];
const LABEL = "pod-security.kubernetes.io/";

interface Policy {
  mode: Mode | "scan";
  level: PssLevel;
  version: string;
  minor: number;
}

const labelText = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

/** The policies a Namespace's labels set, and the labels whose values the controller would reject. */
function namespacePolicies(ns: Resource): { policies: Policy[]; bad: { key: string; value: string }[] } {
  const labels = getIn(ns.object, ["metadata", "labels"]);
  const policies: Policy[] = [];
  const bad: { key: string; value: string }[] = [];
  if (!isRecord(labels)) return { policies, bad };
  for (const mode of MODES) {
    const rawLevel = labels[LABEL + mode];
    const rawVersion = labels[`${LABEL}${mode}-version`];
    const version = typeof rawVersion === "string" ? rawVersion : "latest";
    const minor = pssVersionMinor(version);
    if (rawVersion !== undefined && minor === undefined)
      bad.push({ key: `${LABEL}${mode}-version`, value: labelText(rawVersion) });
    if (rawLevel === undefined) continue;
    if (typeof rawLevel !== "string" || !(PSS_LEVELS as readonly string[]).includes(rawLevel)) {
      bad.push({ key: LABEL + mode, value: labelText(rawLevel) });
      continue;
    }
    if (minor !== undefined) policies.push({ mode, level: rawLevel as PssLevel, version, minor });
  }
  return { policies, bad };
}

export default defineRule({
  meta: {
    id: "pod-security-standards",
    title: "Pod violates the Pod Security Standards",
    category: "security",
    severity: "high",
    scope: "cluster",
    description:
      'The Pod Security admission controller rejects (enforce), records (audit) or warns about (warn) pods that break the Pod Security Standards level a namespace\'s `pod-security.kubernetes.io/*` labels choose. This rule runs the controller\'s checks, field by field and version by version (Kubernetes docs, "Pod Security Standards": https://kubernetes.io/docs/concepts/security/pod-security-standards/; "Pod Security Admission": https://kubernetes.io/docs/concepts/security/pod-security-admission/): for the level of `kubeward scan --pss baseline|restricted [--pss-version v1.35]` on every pod, and for the labels of every Namespace in the scan on the pods of that namespace.',
    remediation:
      "Change the pod as the message says (the Pod Security Standards page lists the allowed values of each field), or run it in a namespace whose level allows it.",
    messages: {
      violation: 'Pod Security "{{level}}:{{version}}" check {{check}}: {{detail}}.',
      enforce:
        'Namespace `{{namespace}}` enforces Pod Security "{{level}}:{{version}}", and check {{check}} rejects this pod: {{detail}}.',
      audit:
        'Namespace `{{namespace}}` audits Pod Security "{{level}}:{{version}}", and check {{check}} records this pod: {{detail}}.',
      warn: 'Namespace `{{namespace}}` warns on Pod Security "{{level}}:{{version}}", and check {{check}} flags this pod: {{detail}}.',
      badLabel:
        "Label `{{key}}: {{value}}` is not valid: levels are privileged, baseline and restricted; versions are `latest` or `v1.<minor>`.",
    },
    fix: "none",
    concepts: [],
    equivalents: {},
    notes:
      "One finding per offending field, where the controller gives one message per check listing the containers. The checks and their versions follow k8s.io/pod-security-admission up to v1.35 (and the v1.37 sysctls); `latest` means v1.35. Pods of workload kinds (Deployment, CronJob, …) are checked through their template, as the controller's warnings do. A pod is matched to a Namespace of the scan by its `metadata.namespace`; pods without one are checked only against `--pss`. The controller's exemptions (users, RuntimeClasses, namespaces in its AdmissionConfiguration) are not known to the scan. Windows pods (`spec.os.name: windows`) are exempt from the Linux-only restricted checks from v1.25 on, and pods with `hostUsers: false` from runAsNonRoot, runAsUser and procMount from v1.35 on, as upstream.",
  },
  options: {
    level: option.string(
      "The Pod Security Standards level to check every pod against (`baseline` or `restricted`; what `--pss` sets); empty checks only namespaces' labels.",
      "",
    ),
    version: option.string(
      "The standards' version: `latest` or `v1.<minor>` (what `--pss-version` sets).",
      "latest",
    ),
  },
  create(context) {
    const optLevel: unknown = context.options.level;
    const optVersion: unknown = context.options.version;
    const flagVersion = typeof optVersion === "string" ? optVersion : "latest";
    const flagMinor = pssVersionMinor(flagVersion);
    const flag: Policy | undefined =
      typeof optLevel === "string" &&
      (PSS_LEVELS as readonly string[]).includes(optLevel) &&
      flagMinor !== undefined
        ? { mode: "scan", level: optLevel as PssLevel, version: flagVersion, minor: flagMinor }
        : undefined;
    return {
      end(resources) {
        const byNamespace = new Map<string, Policy[]>();
        for (const r of resources) {
          if (r.ref.kind !== "Namespace" || r.ref.apiVersion !== "v1") continue;
          const { policies, bad } = namespacePolicies(r);
          byNamespace.set(r.ref.name, policies);
          for (const b of bad)
            context.report({
              resource: r,
              path: ["metadata", "labels", b.key],
              messageId: "badLabel",
              data: b,
            });
        }
        for (const r of resources) {
          const pod = podSpecOf(r);
          if (pod === undefined) continue;
          const ns = r.ref.namespace;
          const policies = [
            ...(flag ? [flag] : []),
            ...(ns === undefined ? [] : (byNamespace.get(ns) ?? [])),
          ];
          const seen = new Set<string>();
          for (const policy of policies) {
            for (const found of evaluatePss(policy.level, policy.minor, pod.podMeta, pod.spec)) {
              const key = `${found.check}\0${found.at}\0${found.path.join("\0")}`;
              if (seen.has(key)) continue;
              seen.add(key);
              report(r, policy, found, pod.path, pod.podMetaPath, ns ?? "");
            }
          }
        }
      },
    };
    function report(
      r: Resource,
      policy: Policy,
      found: PssViolation,
      specPath: readonly (string | number)[],
      metaPath: readonly (string | number)[],
      namespace: string,
    ): void {
      context.report({
        resource: r,
        path: [...(found.at === "spec" ? specPath : metaPath), ...found.path],
        messageId: policy.mode === "scan" ? "violation" : policy.mode,
        data: {
          level: policy.level,
          version: policy.version,
          check: found.check,
          detail: found.detail,
          namespace,
        },
      });
    }
  },
});
