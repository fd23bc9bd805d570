// `kubeward netpol` in-process through run(argv, io): output shapes and exit codes.
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli/main.js";
import type { Io } from "../../src/cli/io.js";
import { FIXTURES } from "./helpers.js";

async function kw(argv: string[], stdin = ""): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: Io = {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    readStdin: () => stdin,
    cwd: FIXTURES,
    isTTY: false,
    env: {},
  };
  const code = await run(argv, io);
  return { code, out, err };
}

describe("netpol can", () => {
  it("exits 0 on allow and prints the issue's JSON shape", async () => {
    const r = await kw([
      "netpol",
      "can",
      "--from",
      "shop/frontend-1",
      "--to",
      "shop/backend",
      "--port",
      "http",
      "--format",
      "json",
      "shop",
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as Record<string, unknown>;
    expect(Object.keys(j).sort()).toEqual(["egress", "ingress", "verdict"]);
    expect(j).toMatchObject({
      verdict: "allow",
      egress: { tier: "Default", action: "Allow" },
      ingress: {
        tier: "NetworkPolicy",
        action: "Allow",
        policy: "shop/backend",
        rule: "ingress[0]",
        policies: ["shop/backend"],
      },
    });
  });

  it("exits 1 on deny, with the isolating policies", async () => {
    const r = await kw([
      "netpol",
      "can",
      "--from",
      "shop/frontend-1",
      "--to",
      "shop/db",
      "--port",
      "5432",
      "--format",
      "json",
      "shop",
    ]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({
      verdict: "deny",
      ingress: { action: "Deny", policies: ["shop/db"] },
    });
  });

  it("exits 1 on ambiguous", async () => {
    const anp = (name: string, action: string) =>
      `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n  priority: 1\n  subject: {namespaces: {}}\n  ingress: [{name: r, action: ${action}, from: [{namespaces: {}}]}]\n`;
    const stdin = `${anp("x", "Allow")}---\n${anp("'y'", "Deny")}`;
    const r = await kw(
      [
        "netpol",
        "can",
        "--from",
        "shop/frontend-1",
        "--to",
        "shop/db",
        "--port",
        "5432",
        "--format",
        "json",
        "shop/cluster.yaml",
        "-",
      ],
      stdin,
    );
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ verdict: "ambiguous" });
  });

  it("accepts an IP on either side; the outside side is n/a", async () => {
    const r = await kw([
      "netpol",
      "can",
      "--from",
      "203.0.113.7",
      "--to",
      "10.20.0.3",
      "--port",
      "9000",
      "--format",
      "json",
      "shop",
    ]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({
      verdict: "deny",
      egress: { tier: "n/a" },
      ingress: { action: "Deny" },
    });
  });

  it("prints text by default", async () => {
    const r = await kw([
      "netpol",
      "can",
      "--from",
      "shop/backend",
      "--to",
      "shop/db",
      "--port",
      "pg",
      "shop",
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("ALLOW  shop/backend -> shop/db  pg=5432/TCP");
    expect(r.out).toContain("ingress (shop/db): NetworkPolicy Allow");
  });

  it("exits 2 on usage errors and unknown pods", async () => {
    expect((await kw(["netpol", "can", "--from", "shop/backend", "shop"])).code).toBe(2);
    const r = await kw(["netpol", "can", "--from", "shop/ghost", "--to", "shop/db", "--port", "1", "shop"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('no pod "shop/ghost"');
    expect(
      (await kw(["netpol", "can", "--from", "shop/db", "--to", "shop/backend", "--port", "x", "shop"])).code,
    ).toBe(2);
    expect(
      (
        await kw([
          "netpol",
          "can",
          "--from",
          "shop/db",
          "--to",
          "shop/backend",
          "--port",
          "1",
          "--protocol",
          "ICMP",
          "shop",
        ])
      ).code,
    ).toBe(2);
  });

  it("exits 2 when an input does not parse", async () => {
    const r = await kw(
      ["netpol", "can", "--from", "shop/db", "--to", "shop/backend", "--port", "1", "shop", "-"],
      "a: [b\n",
    );
    expect(r.code).toBe(2);
  });

  it("answers --queries in order, echoing each query", async () => {
    const r = await kw(["netpol", "can", "--queries", "queries.yaml", "shop", "--format", "json"]);
    const j = JSON.parse(r.out) as { query: { from: string }; verdict?: string; error?: string }[];
    expect(j.map((x) => [x.query.from, x.verdict ?? "error"])).toEqual([
      ["shop/frontend-1", "allow"],
      ["shop/frontend-1", "deny"],
      ["shop/backend", "allow"],
      ["shop/nope", "error"],
    ]);
    expect(j[3]?.error).toContain("shop/nope");
    expect(r.code).toBe(2);
  });

  it("exits 0 for --queries when every query is allowed", async () => {
    const stdin = JSON.stringify([{ from: "shop/backend", to: "shop/db", port: 5432 }]);
    const r = await kw(["netpol", "can", "--queries", "-", "shop/cluster.yaml", "shop/policies.yaml"], stdin);
    expect(r.code).toBe(0);
    expect(r.out).toContain("ALLOW");
  });
});

describe("netpol matrix / explain / who-can-reach / diff / lint", () => {
  it("matrix prints the table in the requested format", async () => {
    const r = await kw(["netpol", "matrix", "shop", "--port", "5432/TCP", "--format", "csv"]);
    expect(r.code).toBe(0);
    expect(r.out.split("\n")[0]).toBe("port,protocol,from,to,verdict,from_pods,to_pods");
    expect(r.out).toContain("5432,TCP,G3,G2,deny");
    expect((await kw(["netpol", "matrix", "shop", "--format", "svg"])).code).toBe(2);
    expect((await kw(["netpol", "matrix", "shop", "--port", "http"])).code).toBe(2);
  });

  it("matrix says when pods are representative", async () => {
    const stdin = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: a}\nspec: {template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c}]}}}\n`;
    const r = await kw(["netpol", "matrix", "-", "--port", "80"], stdin);
    expect(r.out).toContain("one representative pod per workload");
  });

  it("explain one pod in JSON", async () => {
    const r = await kw(["netpol", "explain", "shop", "--pod", "shop/db", "--format", "json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { pod: string; sides: { direction: string; isolatedBy: string[] }[] }[];
    expect(j.map((e) => e.pod)).toEqual(["shop/db"]);
    expect(j[0]?.sides.map((s) => [s.direction, s.isolatedBy])).toEqual([
      ["ingress", ["shop/db"]],
      ["egress", []],
    ]);
  });

  it("who-can-reach lists sources", async () => {
    const r = await kw(["netpol", "who-can-reach", "shop/backend", "--port", "9000/TCP", "shop"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("shop/frontend-1, shop/frontend-2");
    expect(r.out).not.toMatch(/^\s+shop\/db$/m);
  });

  it("diff exits 1 and lists the change when connections change, 0 otherwise", async () => {
    const r = await kw(["netpol", "diff", "shop", "shop-v2", "--format", "json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({
      changes: [{ to: ["shop/db"], port: 5432, before: "deny", after: "allow" }],
    });
    expect((await kw(["netpol", "diff", "shop", "shop"])).code).toBe(0);
  });

  it("lint exits 1 with findings, 0 without", async () => {
    const r = await kw(["netpol", "lint", "shop/cluster.yaml", "lint/policies.yaml"]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("lint/policies.yaml:22:3  high");
    expect((await kw(["netpol", "lint", "shop"])).code).toBe(0);
  });

  it("prints help and rejects unknown subcommands", async () => {
    expect((await kw(["netpol", "--help"])).out).toContain("who-can-reach");
    expect((await kw(["netpol", "frobnicate"])).code).toBe(2);
    expect((await kw(["--help"])).out).toContain("kubeward netpol");
  });
});
