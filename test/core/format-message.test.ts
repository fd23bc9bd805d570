// Messages are filled from templates for every finding: the template is cut at its placeholders
// once and reused. The result must be what a regular-expression replace gives.
import { describe, expect, it } from "vitest";
import { formatMessage } from "../../src/core/rule.js";

/** The replace formatMessage used to do for every finding, as the reference. */
function byReplace(template: string, data: Record<string, string | number>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, key: string) => {
    const v = data[key];
    return v === undefined ? m : String(v);
  });
}

const data = { name: "web", count: 3, empty: "", dollar: "$& $1 $$", braces: "{{name}}" };

const templates = [
  "no placeholders",
  "",
  "{{name}}",
  "Container {{ name }} has {{count}} ports",
  "{{name}}{{count}}{{name}}",
  "missing {{ nothere }} stays, {{name}} filled",
  "{{empty}}|{{ empty }}|",
  "not a placeholder: {{ two words }}, { {name} }, {{name}",
  "values are not templates: {{dollar}} {{braces}}",
  "{{  name\t}} and {{\nname\n}}",
];

describe("formatMessage", () => {
  for (const template of templates) {
    it(`fills ${JSON.stringify(template)} as a replace would`, () => {
      expect(formatMessage(template, data)).toBe(byReplace(template, data));
      // Twice: the second use reads the cut template back.
      expect(formatMessage(template, data)).toBe(byReplace(template, data));
    });
  }

  it("fills the same template with different data", () => {
    expect(formatMessage("{{a}}-{{b}}", { a: 1, b: "x" })).toBe("1-x");
    expect(formatMessage("{{a}}-{{b}}", { a: "y" })).toBe("y-{{b}}");
  });

  it("returns the template as it is without data", () => {
    expect(formatMessage("{{name}} stays", undefined)).toBe("{{name}} stays");
  });
});
