// The linter's guards fail where they should: a deliberate import cycle and an SDK file taking a
// value from the provider's runtime (tests/lint/fixtures, which the project's own lint skips).
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { repositoryRoot } from "../support/serialized-provider";

test("an import cycle and an SDK import of provider runtime are lint errors", () => {
  const eslint = path.join(repositoryRoot, "node_modules/eslint/bin/eslint.js");
  const run = spawnSync(
    process.execPath,
    [eslint, "--no-ignore", "--format", "json", "tests/lint/fixtures"],
    { cwd: repositoryRoot, encoding: "utf8" },
  );
  expect(run.status).toBe(1);
  const results = JSON.parse(run.stdout) as {
    filePath: string;
    messages: { ruleId: string; message: string }[];
  }[];
  const found = results
    .flatMap((r) =>
      r.messages.map(
        (m) => `${path.relative(repositoryRoot, r.filePath)} ${m.ruleId}`,
      ),
    )
    .sort();
  expect(found).toEqual([
    "tests/lint/fixtures/cycle/a.ts import-x/no-cycle",
    "tests/lint/fixtures/cycle/b.ts import-x/no-cycle",
    "tests/lint/fixtures/sdk/uses-runtime.ts @typescript-eslint/no-restricted-imports",
  ]);
});
