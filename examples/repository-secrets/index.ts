import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import {
  AgentSecret,
  CodespacesSecret,
  RepoSecret,
} from "pulumi-github-secrets";

const config = new pulumi.Config();
const repository = new github.Repository("service", {
  name: "payments-service",
  visibility: "private",
});

new RepoSecret("sentryDsn", {
  repository: repository.name,
  secretName: "SENTRY_DSN",
  value: config.requireSecret("sentryDsn"),
});
new CodespacesSecret("registryToken", {
  repository: repository.name,
  secretName: "REGISTRY_TOKEN",
  value: config.requireSecret("registryToken"),
});
new AgentSecret("agentApiKey", {
  repository: repository.name,
  secretName: "AGENT_API_KEY",
  value: config.requireSecret("agentApiKey"),
});

export const repositoryName = repository.fullName;
