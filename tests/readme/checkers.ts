// Which test checks the blocks of each language, and which blocks a test runs through the real
// Pulumi CLI: the inventory (inventory.test.ts) holds every block to one of them, or to a skip
// with its reason.
import type { Language } from "./blocks";

export const checkers: Record<
  Language,
  { test: string; how: string } | undefined
> = {
  typescript: {
    test: "tests/readme/typescript.test.ts",
    how: "type-checked in the commonjs+node and nodenext layouts against the packed package",
  },
  python: {
    test: "tests/readme/python.test.ts",
    how: "compiled, then run under Pulumi's mocks with the generated SDK in the tests' virtualenv",
  },
  go: {
    test: "tests/readme/go.test.ts",
    how: "go vet against the generated Go SDK",
  },
  yaml: {
    test: "tests/readme/yaml.test.ts",
    how: "parsed; resources, plugins and config keys checked against sdk/schema.json and the packed package",
  },
  json: {
    test: "tests/readme/yaml.test.ts",
    how: "parsed",
  },
  shell: {
    test: "tests/readme/shell.test.ts",
    how: "each command: npm scripts and packages, config keys the provider reads, pulumi commands and flags of the pinned CLI, import ids the plugin reads",
  },
  // Output samples and the like: nothing to run them with. A text block needs a skip marker.
  text: undefined,
};

/** Blocks (by marker id) that a test runs through the real Pulumi CLI against the emulator. */
export const runs: Record<string, string> = {
  "a-program": "tests/readme/run-dynamic.test.ts",
  "secret-set": "tests/readme/run-dynamic.test.ts",
  "accounts-config": "tests/readme/run-accounts.test.ts",
  "accounts-program": "tests/readme/run-accounts.test.ts",
  "plugin-project": "tests/readme/run-plugin.test.ts",
  "plugin-program": "tests/readme/run-plugin.test.ts",
};
