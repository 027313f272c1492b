// examples/per-environment-stacks, stack prod: see tests/support/example.ts.
import { describeExample } from "../../support/example";

describeExample({
  example: "per-environment-stacks",
  stack: "prod",
  secrets: 3,
  edited: "databasePassword",
  repositories: [{ name: "api", environments: ["prod"] }],
});
