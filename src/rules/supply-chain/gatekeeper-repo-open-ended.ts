import { defineRule } from "../../core/rule.js";
import { getIn } from "../../core/workloads.js";

export default defineRule({
  meta: {
    id: "gatekeeper-repo-open-ended",
    title: "Gatekeeper allowed repository is an open-ended prefix",
    category: "supply-chain",
    severity: "medium",
    description:
      "Gatekeeper's `K8sAllowedRepos` compares images with each entry as a plain string prefix. An entry without a trailing `/` admits every registry or repository whose name merely starts the same: `quay.io` also lets in `quay.io.attacker.example/x`, `docker.io/acme` also `docker.io/acme-evil/x`.",
    remediation:
      "End every entry of `spec.parameters.repos` with `/` (or with `:` or `@` when it names one image), e.g. `quay.io/` or `docker.io/acme/`.",
    messages: {
      openEnded:
        "Allowed repository `{{repo}}` has no trailing `/`: it also admits any image whose name merely starts with it (e.g. `{{example}}`).",
    },
    kinds: ["K8sAllowedRepos"],
    fix: "none",
    concepts: ["K-GATEKEEPER"],
    equivalents: { trivy: ["KSV-0124"] },
  },
  create(context) {
    return {
      resource(r) {
        if (!r.ref.apiVersion.startsWith("constraints.gatekeeper.sh/")) return;
        const repos = getIn(r.object, ["spec", "parameters", "repos"]);
        if (!Array.isArray(repos)) return;
        repos.forEach((repo: unknown, i) => {
          if (typeof repo !== "string" || repo === "" || /[/:@]$/.test(repo)) return;
          const example = repo.includes("/") ? `${repo}-evil/app` : `${repo}.attacker.example/app`;
          context.report({
            resource: r,
            path: ["spec", "parameters", "repos", i],
            messageId: "openEnded",
            data: { repo, example },
          });
        });
      },
    };
  },
});
