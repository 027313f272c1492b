// One linter for the whole tree: typescript-eslint's recommended rules, plus the few that
// guard this project's promises: no floating promises would lose a provider error; no import
// cycle anywhere; the SDK (loaded by every user program) takes nothing of the provider's runtime.
import importX, { createNodeResolver } from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";

/** The rule tests/lint/rules.test.ts shows failing on its fixtures. */
const sdkImportsOnlyTheTable = [
  "error",
  {
    patterns: [
      {
        group: ["**/provider/*", "!**/provider/kinds", "!**/provider/types"],
        allowTypeImports: true,
        message:
          "sdk/ takes only the kinds table and types from provider/: anything else loads the provider's runtime into every user program",
      },
    ],
  },
];

export default tseslint.config(
  {
    ignores: [
      "bin/",
      "dist/",
      "coverage/",
      "node_modules/",
      ".cache/",
      // Generated SDKs (npm run sdk:generate), checked by `npm run sdk:check` instead.
      "sdk/python/",
      "sdk/go/",
      "sdk/nodejs/",
      // Deliberate violations, linted by tests/lint/rules.test.ts.
      "tests/lint/fixtures/",
    ],
  },
  ...tseslint.configs.recommended,
  {
    plugins: { "import-x": importX },
    settings: {
      // TypeScript sources are parsed (to follow their imports) and resolved like Node would,
      // with .ts first: the cycle check needs no TypeScript resolver package.
      "import-x/extensions": [".ts", ".js"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts"] },
      "import-x/resolver-next": [
        createNodeResolver({ extensions: [".ts", ".js", ".json"] }),
      ],
    },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/no-require-imports": "off",
      "no-console": "off",
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
    },
  },
  {
    files: ["sdk/**/*.ts", "tests/lint/fixtures/sdk/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": sdkImportsOnlyTheTable,
    },
  },
);
