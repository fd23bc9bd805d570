// Issue 9 item 8: no output format prints a Secret's data/stringData value or a value a
// secret-detecting rule flagged, in a normal scan and in a scan by units (`--unit`). Every secret
// value below is a unique canary; none may appear anywhere in stdout or stderr.
import { describe, expect, it } from "vitest";
import { runCli, tempTree } from "./helpers.js";

const CANARY = {
  data: "canary-01-data-value",
  stringData: "canary-02-stringdata",
  block: "canary-03-block-line",
  configMap: "canary-04-configmap-pw",
  env: "canary-05-env-secret-key",
  envNumber: "918273645",
  image: "canary-06-shared-with-image",
  broken: "canary-07-broken-secret",
  decoded: "canary-08-decoded-b64",
};
const b64 = (s: string) => Buffer.from(s).toString("base64");

const files = {
  // `app: 12` is an invalid label next to the data: its frame's context lines show the data.
  "secret.yaml": `apiVersion: v1
kind: Secret
metadata:
  name: creds
  labels:
    app: 12
data:
  password: ${CANARY.data}
  decoded: ${b64(CANARY.decoded)}
stringData:
  token: ${CANARY.stringData}
  registry: ${CANARY.image}
  cert: |
    ${CANARY.block}
    second line
`,
  "cm.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: app
data:
  DB_PASSWORD: ${CANARY.configMap}
`,
  "deploy.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: ${CANARY.image}
          env:
            - name: AWS_SECRET_ACCESS_KEY
              value: ${CANARY.env}
            - name: DB_PASSWORD
              value: ${CANARY.envNumber}
`,
  // yaml's message for this error quotes the source text after the header.
  "broken.yaml": `apiVersion: v1
kind: Secret
metadata:
  name: broken
stringData:
  key: |x ${CANARY.broken}
    v
`,
};

const FORMATS = ["stylish", "json", "sarif", "junit", "github", "markdown"];
const MODES: [string, string[]][] = [
  ["one scope", []],
  ["--unit file", ["--unit", "file", "--jobs", "1"]],
  ["--unit dir", ["--unit", "dir", "--jobs", "1"]],
];

describe("no secret value in any output, any format, any mode (issue 9 item 8)", () => {
  const dir = tempTree(files);
  for (const [mode, flags] of MODES) {
    it.each(FORMATS)(`%s, ${mode}`, async (format) => {
      const r = await runCli(["scan", "--no-config", ".", "--format", format, ...flags], { cwd: dir });
      expect(r.code).toBe(2); // broken.yaml cannot be parsed
      const out = r.stdout + r.stderr;
      // The scan did report on each file (so the outputs have frames and messages to leak through).
      for (const f of ["secret.yaml", "cm.yaml", "deploy.yaml", "broken.yaml"]) expect(out).toContain(f);
      for (const [name, value] of Object.entries(CANARY)) {
        expect(out.includes(value), `${name} canary in ${format} (${mode})`).toBe(false);
      }
      expect(out).not.toContain(b64(CANARY.decoded));
    });
  }

  it("stylish in worker threads (--unit file --jobs 2) masks the frames as one process does", async () => {
    const r = await runCli(["scan", "--no-config", ".", "--unit", "file", "--jobs", "2"], { cwd: dir });
    expect(r.stdout).toContain("****");
    for (const value of Object.values(CANARY)) expect(r.stdout + r.stderr).not.toContain(value);
  }, 60_000);

  it("the findings that could quote a value are there, with the value masked", async () => {
    const r = await runCli(["scan", "--no-config", ".", "--format", "json"], { cwd: dir });
    const report = JSON.parse(r.stdout) as { findings: { file: string; ruleId: string; message: string }[] };
    const messages = report.findings.map((f) => `${f.file} ${f.ruleId}: ${f.message}`);
    expect(messages).toContain(
      "deploy.yaml invalid-object: `spec.template.spec.containers[0].env[1].value` must be a string, not a number.",
    );
    expect(messages.some((m) => m.startsWith("deploy.yaml") && m.includes("****"))).toBe(true);
    expect(messages).toContain("broken.yaml parse-error: Not a YAML token");
  });
});
