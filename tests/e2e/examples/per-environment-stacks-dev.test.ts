// examples/per-environment-stacks, stack dev: see tests/support/example.ts.
import { describeExample } from "../../support/example";

describeExample({
  example: "per-environment-stacks",
  stack: "dev",
  secrets: 3,
  edited: "stripeKey",
  repositories: [{ name: "api", environments: ["dev"] }],
});
