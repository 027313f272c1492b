import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { OrgSecret } from "pulumi-github-secrets";

const config = new pulumi.Config();
const frontend = new github.Repository("frontend", {
  name: "storefront",
  visibility: "private",
});
const backend = new github.Repository("backend", {
  name: "checkout-api",
  visibility: "private",
});
const docs = new github.Repository("docs", {
  name: "handbook",
  visibility: "private",
});

// Only the two deployable repositories may read the deploy token.
new OrgSecret("deployToken", {
  secretName: "DEPLOY_TOKEN",
  value: config.requireSecret("deployToken"),
  visibility: "selected",
  selectedRepositoryIds: [frontend.repoId, backend.repoId],
});

// Every private repository of the organization, the docs included, may read this one.
new OrgSecret("npmReadToken", {
  secretName: "NPM_READ_TOKEN",
  value: config.requireSecret("npmReadToken"),
  visibility: "private",
});

export const repositories = [
  frontend.fullName,
  backend.fullName,
  docs.fullName,
];
