// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Folders that must stay pure (run in a browser): no node:* and no I/O. */
const pureRestriction = {
  "no-restricted-imports": [
    "error",
    {
      patterns: [
        {
          group: ["node:*", "fs", "path", "child_process", "os"],
          message: "core, rules and netpol are pure: no Node built-ins.",
        },
        {
          group: ["**/cli/**", "**/inputs/**", "**/report/**", "**/api.js"],
          message: "core and rules may import core only.",
        },
      ],
    },
  ],
};

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "test/**/fixtures/**"] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
    },
  },
  {
    files: ["src/core/**/*.ts", "src/rules/**/*.ts", "src/netpol/**/*.ts", "src/diagnose/**/*.ts"],
    rules: pureRestriction,
  },
  {
    files: ["src/report/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["node:*"], message: "formatters are pure functions over results." }] },
      ],
    },
  },
  { files: ["eslint.config.js"], ...tseslint.configs.disableTypeChecked },
);
