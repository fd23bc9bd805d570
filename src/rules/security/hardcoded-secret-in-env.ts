import { defineRule } from "../../core/rule.js";
import { isRecord } from "../../core/workloads.js";
import { reportContainer } from "../lib/report.js";

/** Name words that, as the last word of a variable name, say its value is a credential. */
const SECRET_WORDS: ReadonlySet<string> = new Set([
  "PASSWORD",
  "PASSWD",
  "PASS",
  "PASSPHRASE",
  "SECRET",
  "TOKEN",
  "CREDENTIAL",
  "CREDENTIALS",
  "APIKEY",
  "PRIVATEKEY",
  "ACCESSKEY",
  "SECRETKEY",
  "AUTHTOKEN",
]);
/** `<word>_KEY` names that are credentials (`API_KEY`, `AWS_SECRET_ACCESS_KEY`, ...). */
const KEY_QUALIFIERS: ReadonlySet<string> = new Set([
  "API",
  "PRIVATE",
  "ACCESS",
  "SECRET",
  "ENCRYPTION",
  "SIGNING",
  "MASTER",
  "AUTH",
]);
/** Well-known credential names that end in another word. */
const KNOWN_NAMES: ReadonlySet<string> = new Set(["SECRET_KEY_BASE"]);
/**
 * Names that end like a credential but hold an identifier: etcd's initial cluster token only
 * keeps two clusters from joining each other by mistake and is not a secret (etcd's docs).
 */
const NOT_SECRETS: readonly string[] = ["INITIAL_CLUSTER_TOKEN"];

/** `dbPassword`, `DB-PASSWORD`, `db.password` → ["DB", "PASSWORD"]. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== "")
    .map((w) => w.toUpperCase());
}

/**
 * True when the variable's name says it holds a credential. Only the last word counts, so
 * `TOKEN_FILE`, `PASSWORD_PATH`, `SECRET_NAME` and `AUTH_TOKEN_ENABLED` (which hold a path, a
 * name or a flag) are not credentials.
 */
export function isSecretName(name: string): boolean {
  const w = words(name);
  const joined = w.join("_");
  if (KNOWN_NAMES.has(joined)) return true;
  if (NOT_SECRETS.some((n) => joined === n || joined.endsWith(`_${n}`))) return false;
  const last = w[w.length - 1];
  if (last === undefined) return false;
  if (SECRET_WORDS.has(last)) return true;
  const before = w[w.length - 2];
  return last === "KEY" && before !== undefined && KEY_QUALIFIERS.has(before);
}

/** Values that are not the credential itself: references, templates, file paths, flags. */
export function isLiteralSecretValue(value: string): boolean {
  const v = value.trim();
  if (v === "") return false;
  if (v.includes("$(")) return false; // Kubernetes dependent variable: the secret comes from elsewhere
  if (/^\$\{[^}]*\}$/.test(v) || /^\{\{.*\}\}$/s.test(v)) return false; // unrendered placeholder
  if (/^(\/[^\s/]+)+\/?$/.test(v) || v.startsWith("file://")) return false; // a path to the secret
  if (/^(true|false|yes|no|on|off|enabled|disabled)$/i.test(v)) return false;
  return true;
}

export default defineRule({
  meta: {
    id: "hardcoded-secret-in-env",
    title: "Hard-coded secret in an environment variable",
    category: "security",
    severity: "high",
    description:
      "A credential written into the manifest is stored in plain text in Git, in the cluster's object store and in every `kubectl get -o yaml`, and anyone who can read the workload can read it.",
    remediation:
      "Move the value into a Secret (or an external secret store) and reference it with `valueFrom.secretKeyRef` or, better, a mounted Secret volume.",
    messages: {
      hardcoded:
        "Container `{{container}}` sets `{{name}}` to a literal value; credentials do not belong in the manifest.",
    },
    fix: "none",
    standards: { nsa: ["Secrets"], mitre: ["T1552"] },
    concepts: ["S-ENV-HARDCODED"],
    equivalents: {
      "kube-linter": ["env-var-secret"],
      kubescape: ["C-0012"],
      polaris: ["sensitiveContainerEnvVar"],
    },
    notes:
      "The rule guesses from the variable's name (last word PASSWORD, PASS, SECRET, TOKEN, CREDENTIALS, API_KEY, PRIVATE_KEY, ACCESS_KEY, ...) and never prints the value. It skips empty values, `$(VAR)` references, unrendered `${...}`/`{{...}}` placeholders, file paths and boolean flags. Public values with secret-sounding names (a demo password, a public token endpoint) are false positives: suppress them with a reason.",
  },
  create(context) {
    return {
      container(c) {
        (c.container.env ?? []).forEach((e, i) => {
          if (
            !isRecord(e) ||
            typeof e.value !== "string" ||
            !isSecretName(e.name) ||
            !isLiteralSecretValue(e.value)
          )
            return;
          reportContainer(context, c, ["env", i, "value"], "hardcoded", { name: e.name });
        });
      },
    };
  },
});
