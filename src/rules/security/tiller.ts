import { defineRule } from "../../core/rule.js";
import { containersOf, isRecord } from "../../core/workloads.js";
import { containerImageRef, imageName } from "../lib/image.js";
import { reportContainer } from "../lib/report.js";

/** The labels `helm init` puts on the Tiller pods and the `tiller-deploy` Service selects. */
const isTillerLabels = (labels: Record<string, string> | undefined): boolean =>
  labels?.["app"] === "helm" && labels["name"] === "tiller";

export default defineRule({
  meta: {
    id: "tiller",
    title: "Tiller (Helm v2) deployed",
    category: "security",
    severity: "critical",
    description:
      "Tiller, the in-cluster server of Helm v2, usually runs with cluster-admin rights and by default accepts unauthenticated gRPC on port 44134 from any pod, so any compromised pod can take over the cluster; Helm v2 has had no security fixes since November 2020.",
    remediation:
      "Migrate the releases to Helm 3 (the `helm-2to3` plugin), then delete the Tiller Deployment, Service and service account.",
    messages: {
      tillerImage: "Container `{{container}}` runs Tiller (`{{image}}`), the Helm v2 server.",
      tillerLabels: "{{kind}} `{{name}}` carries the Tiller labels `app: helm` and `name: tiller`.",
      tillerService:
        "Service `{{name}}` selects the Tiller pods (`app: helm`, `name: tiller`), exposing Tiller's gRPC API inside the cluster.",
    },
    fix: "none",
    standards: { mitre: ["T1133"] },
    concepts: ["K-TILLER"],
    equivalents: {
      trivy: ["KSV-0102"],
      checkov: ["CKV_K8S_34", "CKV_K8S_45", "CKV_K8S_44"],
      kics: [
        "6d173be7-545a-46c6-a81d-2ae52ed1605d",
        "8b862ca9-0fbd-4959-ad72-b6609bdaa22d",
        "e17fa86a-6222-4584-a914-56e8f6c87e06",
      ],
      terrascan: ["AC_K8S_0071", "AC_K8S_0110"],
    },
    notes:
      "There is no safe modern use: Helm v2 is end-of-life. Workloads are recognised by an image named `tiller` or by the labels `helm init` sets; a renamed mirror without those labels is not found.",
  },
  create(context) {
    return {
      podSpec(pod) {
        let found = false;
        for (const c of containersOf(pod)) {
          const ref = containerImageRef(c.container);
          if (ref === undefined || imageName(ref) !== "tiller") continue;
          found = true;
          reportContainer(context, c, ["image"], "tillerImage", { image: ref.raw });
        }
        if (found || !isTillerLabels(pod.podMeta.labels)) return;
        context.report({
          resource: pod.resource,
          path: [...pod.podMetaPath, "labels"],
          messageId: "tillerLabels",
          data: { kind: pod.resource.ref.kind, name: pod.resource.ref.name },
        });
      },
      resource(r) {
        if (r.ref.kind !== "Service") return;
        const spec = r.object["spec"];
        if (!isRecord(spec)) return;
        const selector = spec["selector"];
        if (!isRecord(selector) || !isTillerLabels(selector as Record<string, string>)) return;
        context.report({
          resource: r,
          path: ["spec", "selector"],
          messageId: "tillerService",
          data: { name: r.ref.name },
        });
      },
    };
  },
});
