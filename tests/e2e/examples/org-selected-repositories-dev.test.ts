// examples/org-selected-repositories, stack dev: see tests/support/example.ts.
import { describeExample } from "../../support/example";

describeExample({
  example: "org-selected-repositories",
  stack: "dev",
  secrets: 2,
  edited: "deployToken",
  repositories: [
    { name: "storefront" },
    { name: "checkout-api" },
    { name: "handbook" },
  ],
});
