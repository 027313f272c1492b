// examples/repository-secrets, stack dev: see tests/support/example.ts.
import { describeExample } from "../../support/example";

describeExample({
  example: "repository-secrets",
  stack: "dev",
  secrets: 3,
  edited: "sentryDsn",
  repositories: [{ name: "payments-service" }],
});
