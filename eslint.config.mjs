// One linter for the whole tree: typescript-eslint's recommended rules, plus the few that
// guard this project's promises (no floating promises would lose a provider error).
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["bin/", "coverage/", "node_modules/", ".pulumi-local/"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/no-require-imports": "off",
      "no-console": "off",
    },
  },
);
