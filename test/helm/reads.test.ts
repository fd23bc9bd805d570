// What the static analysis of templates counts as read (src/inputs/helm-reads.ts): precise where
// it can be, and "everything below is read" wherever it cannot tell.
import { describe, expect, it } from "vitest";
import { ChartReads, ReadTree } from "../../src/inputs/helm-reads.js";

function reads(...texts: string[]): { tree: ReadTree; names: Set<string> } {
  const tree = new ReadTree();
  const r = new ChartReads();
  for (const t of texts)
    r.scan(t, (p, w) => {
      tree.add(p, w);
    });
  r.finish();
  return { tree, names: r.dynamicNames };
}
const covers = (t: ReadTree, path: string) => t.covers(path.split("."));

describe("template reads", () => {
  it("a plain reference reads its subtree; a `with` head reads only its key, and `.x` inside is under it", () => {
    const { tree } = reads(
      "{{ .Values.a.b }}{{- with .Values.image }}{{ .repository }}:{{ .tag }}{{- end }}{{ .unrelated }}",
    );
    expect(covers(tree, "a.b.c")).toBe(true);
    expect(covers(tree, "image.repository")).toBe(true);
    expect(covers(tree, "image.tagg")).toBe(false);
    expect(covers(tree, "image")).toBe(false);
    expect(tree.at(["image"])).toBeDefined();
    expect(covers(tree, "unrelated")).toBe(false);
  });

  it("`toYaml .` inside `with` reads the whole subtree; `else` gives the outer dot back", () => {
    const { tree } = reads(
      "{{ with .Values.podAnnotations }}{{ toYaml . }}{{ end }}{{ with .Values.x }}{{ .y }}{{ else }}{{ .z }}{{ end }}",
    );
    expect(covers(tree, "podAnnotations.anything")).toBe(true);
    expect(covers(tree, "x.y")).toBe(true);
    expect(covers(tree, "x.z")).toBe(false);
  });

  it("`index`, `get`, `hasKey` and `pluck` with literal keys name the key; `range` reads the whole list", () => {
    const { tree } = reads(
      '{{ index .Values "grafana.ini" "paths" }}{{ (get .Values "b").c }}{{ if hasKey .Values "d" }}{{ end }}{{ pluck "e" $.Values | first }}{{ range .Values.list }}{{ .name }}{{ end }}',
    );
    for (const p of [["grafana.ini", "paths", "x"], ["b", "c"], ["d"], ["e", "f"], ["list", "0"]])
      expect(tree.covers(p), p.join(".")).toBe(true);
    expect(tree.covers(["grafana.ini", "other"])).toBe(false);
    expect(tree.covers(["other"])).toBe(false);
  });

  it("`.Values` passed whole, or indexed with a computed key, makes everything read", () => {
    for (const t of [
      '{{ include "x" .Values }}',
      "{{ toYaml .Values }}",
      "{{ index .Values $key }}",
      "{{ $v := .Values }}",
    ])
      expect(covers(reads(t).tree, "anything.at.all"), t).toBe(true);
  });

  it("a named template that computes keys makes its callers' string keys read, not everything", () => {
    const { tree, names } = reads(
      '{{- define "get" -}}{{- $o := $.context.Values -}}{{- range splitList "." .key }}{{ $o = index $o . }}{{ end }}{{- end -}}',
      '{{- define "pw" -}}{{ include "get" (dict "key" (printf "%s.auth.password" .prefix) "context" .context) }}{{- end -}}',
      '{{ include "get" (dict "key" "auth.username" "context" $) }}{{ include "pw" (dict "prefix" "db" "context" $) }}',
    );
    expect(covers(tree, "auth.username")).toBe(true);
    expect(covers(tree, "replicaCont")).toBe(false);
    expect(names.has("password")).toBe(true);
    expect(names.has("replicaCont")).toBe(false);
  });

  it('`(dict "root" .Values)`: the named template\'s `.root.x` is the key x', () => {
    const { tree } = reads(
      '{{- define "img" -}}{{ .root.registry }}/{{ .image.name }}{{- end -}}',
      '{{ include "img" (dict "root" .Values "image" .Values.agent.image) }}',
    );
    expect(covers(tree, "registry")).toBe(true);
    expect(covers(tree, "agent.image.name")).toBe(true);
    expect(covers(tree, "registri")).toBe(false);
  });
});
