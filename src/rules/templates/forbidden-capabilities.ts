// The `forbidden-capabilities` template: Linux capabilities no container may add (`ALL` always
// counts, it holds every one). dangerous-capabilities is an instance of it. Pure: no I/O.
import { option, type OptionProblem } from "../../core/options.js";
import {
  capabilityEntries,
  capabilityOption,
  isAllCapabilities,
  removeAddedFix,
} from "../lib/capabilities.js";
import { isWindowsPod } from "../lib/pod-platform.js";
import { reportContainer } from "../lib/report.js";
import { defineTemplate } from "./template.js";

export const forbiddenCapabilitiesTemplate = defineTemplate({
  name: "forbidden-capabilities",
  summary: "Linux capabilities no container may add to `securityContext.capabilities.add` (`ALL` included).",
  defaults: {
    title: "Forbidden capability added",
    category: "security",
    severity: "high",
    description:
      "The organisation forbids these Linux capabilities: each is kernel privilege an attacker inherits when the container is compromised.",
    remediation: "Remove the capability from `securityContext.capabilities.add`.",
  },
  messages: {
    forbidden: "Container `{{container}}` adds the forbidden capability `{{capability}}`.",
    all: "Container `{{container}}` adds `{{capability}}` capabilities, nearly the power of a privileged container.",
  },
  placeholders: ["container", "capability"],
  options: {
    capabilities: option.strings(
      "Capabilities reported when added (case-insensitive, with or without `CAP_`).",
      [],
    ),
  },
  required: ["capabilities"],
  check(o) {
    const problems: OptionProblem[] = [];
    if (o.capabilities.every((c) => c.trim() === ""))
      problems.push({ path: ["capabilities"], message: "option `capabilities` lists no capability" });
    return problems;
  },
  fixKind: () => "unsafe",
  create(context) {
    const forbidden = capabilityOption(context.options.capabilities);
    return {
      container(c) {
        // Windows containers have no Linux capabilities.
        if (isWindowsPod(c.pod)) return;
        for (const e of capabilityEntries(c, "add")) {
          if (isAllCapabilities(e.name)) {
            reportContainer(context, c, e.at, "all", { capability: e.name }, removeAddedFix(c, e));
          } else if (forbidden.has(e.normalized)) {
            reportContainer(context, c, e.at, "forbidden", { capability: e.name }, removeAddedFix(c, e));
          }
        }
      },
    };
  },
  example: {
    id: "no-sys-time",
    options: { capabilities: ["SYS_TIME"] },
    invalid: `apiVersion: v1
kind: Pod
metadata:
  name: clock
spec:
  containers:
    - name: clock
      image: registry.example.com/clock:1.0.0
      securityContext:
        capabilities:
          add: [SYS_TIME] # expect: forbidden
`,
    valid: `apiVersion: v1
kind: Pod
metadata:
  name: clock
spec:
  containers:
    - name: clock
      image: registry.example.com/clock:1.0.0
      securityContext:
        capabilities:
          drop: [ALL]
`,
  },
});
