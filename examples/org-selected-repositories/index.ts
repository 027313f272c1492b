import * as pulumi from "@pulumi/pulumi";
import { OrgSecret } from "pulumi-github-secrets";

// Organization secrets and which of the organization's repositories may read them. Repositories
// are named; the provider resolves each name to its id once per run (ids, such as an @pulumi/github
// Repository's `repoId`, work too: `selectedRepositoryIds`).
const config = new pulumi.Config();

// Only the two deployable repositories may read the deploy token.
new OrgSecret("deployToken", {
  secretName: "DEPLOY_TOKEN",
  value: config.requireSecret("deployToken"),
  visibility: "selected",
  selectedRepositories: ["storefront", "checkout-api"],
});

// Every private repository of the organization, the docs included, may read this one.
new OrgSecret("npmReadToken", {
  secretName: "NPM_READ_TOKEN",
  value: config.requireSecret("npmReadToken"),
  visibility: "private",
});
