import * as pulumi from "@pulumi/pulumi";
import {
  AgentSecret,
  CodespacesSecret,
  RepoSecret,
} from "pulumi-github-secrets";

// One repository's Actions, Codespaces and Copilot agent secrets. The repository exists already
// (an @pulumi/github Repository of another stack, or made by hand); it is named in stack config.
const config = new pulumi.Config();
const repository = config.get("repository") ?? "payments-service";

new RepoSecret("sentryDsn", {
  repository,
  secretName: "SENTRY_DSN",
  value: config.requireSecret("sentryDsn"),
});
new CodespacesSecret("registryToken", {
  repository,
  secretName: "REGISTRY_TOKEN",
  value: config.requireSecret("registryToken"),
});
new AgentSecret("agentApiKey", {
  repository,
  secretName: "AGENT_API_KEY",
  value: config.requireSecret("agentApiKey"),
});

export const repositoryName = repository;
