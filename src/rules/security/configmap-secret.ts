import { defineRule } from "../../core/rule.js";
import { isRecord } from "../../core/workloads.js";

/** Credential formats recognisable by their shape alone. */
const CREDENTIAL_VALUES: readonly [what: string, pattern: RegExp][] = [
  ["a private key", /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY( BLOCK)?-----/],
  ["an AWS access key ID", /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/],
  ["a GitHub token", /\bgh[pousr]_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{50,}\b/],
  ["a GitLab token", /\bglpat-[A-Za-z0-9_-]{20,}\b/],
  ["a Slack token", /\bxox[abposr]-[0-9A-Za-z-]{10,}\b/],
  ["a Google API key", /\bAIza[0-9A-Za-z_-]{35}\b/],
  ["a Stripe secret key", /\b[sr]k_live_[0-9A-Za-z]{20,}\b/],
];
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:([^\s@/]+)@[^\s/]/gi;

/**
 * Text every credential format above needs (its literal prefix, or `://` for a URL): one test that
 * rules out most values before the patterns run (a ConfigMap may have a million keys).
 */
const MAYBE_CREDENTIAL =
  /-----BEGIN |AKIA|ASIA|gh[pousr]_|github_pat_|glpat-|xox[abposr]-|AIza|[sr]k_live_|:\/\//;

/** What kind of credential `value` contains, if any. */
function credentialIn(value: string): string | undefined {
  if (!MAYBE_CREDENTIAL.test(value)) return undefined;
  const known = CREDENTIAL_VALUES.find(([, pattern]) => pattern.test(value));
  if (known !== undefined) return known[0];
  for (const m of value.matchAll(URL_PASSWORD)) {
    if (m[1] !== undefined && !isPlaceholder(m[1])) return "a URL with an embedded password";
  }
  return undefined;
}

/** Name words that say the value is a credential (the name must end with one). */
const SENSITIVE_NAME =
  /(?:^|_)(?:password|passwd|pwd|passphrase|secret|secret_?key|client_?secret|token|auth_?token|access_?token|refresh_?token|bearer_?token|api_?key|apikey|private_?key|access_?key|secret_?access_?key|credentials?)$/;

/** Values that are not a credential even under a credential's name. */
function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return (
    v === "" ||
    /^(true|false|yes|no|on|off|none|null|nil|enabled?|disabled?|required|optional|\*+|x+|-+)$/i.test(v) ||
    /^\d{1,6}$/.test(v) || // lengths, ports, TTLs
    /^[{[]/.test(v) || // the start of a nested structure
    // Variables and templates filled in later: ${VAR}, $(cmd), $VAR, {{ tpl }}, {% tpl %}, <%= erb %>, %VAR%, <fill-me>
    /\$\{|\$\(|\{\{|\{%|<%|^\$\w+$|^%[^%]+%$|^<[^>]+>$/.test(v) ||
    /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(v) || // an ALL_CAPS token that a script substitutes
    /(?:^|[-_.])secrets?(?:[-_.]|$)/i.test(v) || // the name of a Secret object, e.g. "app-db-secret"
    /^(\/|\.\/|~\/|file:|vault:|ref\+|secret:|arn:aws:secretsmanager:|projects\/[^/]+\/secrets\/)/i.test(v) // a path or a secret-store reference
  );
}

/** Data keys that hold a configuration file whose `name = value` lines are worth reading (not scripts). */
const CONFIG_FILE = /\.(properties|conf|cfg|ini|env|ya?ml|json|toml|config)$|^\.env$/i;

/** "dbPassword", "DB_PASSWORD", "db-password", "spring.datasource.password" → "db_password", … */
function normalise(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/**
 * A word every sensitive name ends with, in the name lower-cased (normalising only lower-cases and
 * puts `_` between words): one test that rules out most names before normalising them.
 */
const MAYBE_SENSITIVE = /pass|pwd|secret|token|key|credential/;

const isSensitiveName = (name: string): boolean =>
  MAYBE_SENSITIVE.test(name.toLowerCase()) && SENSITIVE_NAME.test(normalise(name));

/** `name = value` or `name: value` lines of an embedded config file (properties, YAML, env, ini). */
const ASSIGNMENT =
  /^\s*(?:export\s+)?["']?([A-Za-z_][\w.-]*)["']?\s*[=:]\s*["']?([^"'#\s][^"'#]*?)["']?\s*,?\s*$/;

export default defineRule({
  meta: {
    id: "configmap-secret",
    title: "Credential in a ConfigMap",
    category: "security",
    severity: "high",
    description:
      "ConfigMaps are not treated as secret: they are readable by far more service accounts and users, printed by `kubectl describe`, kept unencrypted in etcd and committed to Git with the rest of the manifests; a password or key in one is as good as published.",
    remediation:
      "Move the value into a Secret (or an external secret store) and reference it with `secretKeyRef`/`envFrom.secretRef` or a secret volume, then rotate the exposed credential.",
    messages: {
      credentialValue: "ConfigMap `{{name}}` key `{{key}}` holds {{what}}.",
      sensitiveKey: "ConfigMap `{{name}}` key `{{key}}` looks like a credential stored in plain text.",
      credentialInFile:
        "ConfigMap `{{name}}` key `{{key}}` is a config file that sets `{{setting}}` in plain text.",
    },
    kinds: ["ConfigMap"],
    fix: "none",
    concepts: ["S-CM-SECRET"],
    equivalents: {
      trivy: ["KSV-0109", "KSV-01010"],
      kubescape: ["C-0012"],
      polaris: ["sensitiveConfigmapContent"],
    },
    notes:
      "Heuristic. A name counts only when it ends with a credential word (`DB_PASSWORD`, `apiKey`, `spring.datasource.password`; not `PASSWORD_MIN_LENGTH` or `token_url`), and values that are placeholders (`${DB_PASSWORD}`, `$(cat /secrets/x)`, `{{ .Values.x }}`, `<changeme>`, `ALL_CAPS_TOKEN`), booleans, small numbers, file paths, names of Secret objects or secret-store references are ignored. Multi-line values are searched for known credential formats everywhere, but for `name = value` settings only when their key names a config file (`.properties`, `.conf`, `.ini`, `.env`, `.yaml`, `.json`, `.toml`, …), not scripts. Test fixtures and example keys are still reported: suppress them with a reason. `binaryData` is not inspected.",
  },
  create(context) {
    return {
      resource(r) {
        const data = r.object["data"];
        if (!isRecord(data)) return;
        for (const [key, raw] of Object.entries(data)) {
          if (typeof raw !== "string") continue;
          const report = (messageId: "credentialValue" | "sensitiveKey" | "credentialInFile", extra = {}) => {
            context.report({
              resource: r,
              path: ["data", key],
              messageId,
              data: { name: r.ref.name, key, ...extra },
            });
          };
          const what = credentialIn(raw);
          if (what !== undefined) {
            report("credentialValue", { what });
            continue;
          }
          if (!raw.trim().includes("\n")) {
            if (isSensitiveName(key) && !isPlaceholder(raw)) report("sensitiveKey");
            continue;
          }
          // Scripts are code, where `token = response.token` is no credential: read config files only.
          if (!CONFIG_FILE.test(key)) continue;
          for (const line of raw.split("\n")) {
            const m = ASSIGNMENT.exec(line);
            const [, setting, value] = m ?? [];
            if (setting === undefined || value === undefined) continue;
            if (!isSensitiveName(setting) || isPlaceholder(value)) continue;
            report("credentialInFile", { setting });
            break;
          }
        }
      },
    };
  },
});
