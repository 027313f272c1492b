// The main example: one stack per environment, secrets declared beside the repositories they
// belong to. Values come from the stack config (`pulumi config set --secret deployKey …`).
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import {
  AgentSecret,
  CodespacesSecret,
  EnvironmentSecret,
  OrgSecret,
  RepoSecret,
} from "pulumi-github-secrets";

const config = new pulumi.Config();
const environment = pulumi.getStack(); // "dev" or "prod"

const api = new github.Repository("api", {
  name: `api-${environment}`,
  visibility: "private",
});
const web = new github.Repository("web", {
  name: `web-${environment}`,
  visibility: "private",
});
const deployments = new github.RepositoryEnvironment("deployments", {
  repository: api.name,
  environment,
});

new RepoSecret("deploy-key", {
  repository: api.name,
  secretName: config.get("deployKeyName") ?? "DEPLOY_KEY",
  value: config.requireSecret("deployKey"),
});

new EnvironmentSecret("database-url", {
  repository: api.name,
  environment: deployments.environment,
  secretName: "DATABASE_URL",
  value: config.requireSecret("databaseUrl"),
});

// Shared by the organization's repositories; which ones is a stack setting.
const npmVisibility = config.get("npmTokenVisibility") ?? "selected";
new OrgSecret("npm-token", {
  secretName: `NPM_TOKEN_${environment.toUpperCase()}`,
  value: config.requireSecret("npmToken"),
  visibility: npmVisibility as "all" | "private" | "selected",
  selectedRepositoryIds:
    npmVisibility === "selected" ? [api.repoId, web.repoId] : undefined,
});

new CodespacesSecret("registry-password", {
  repository: web.name,
  secretName: "REGISTRY_PASSWORD",
  value: config.requireSecret("registryPassword"),
});

new AgentSecret("agent-api-key", {
  repository: api.name,
  secretName: "AGENT_API_KEY",
  value: config.requireSecret("agentApiKey"),
});

export const repositories = [api.fullName, web.fullName];
