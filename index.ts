// The main example: one stack per environment, the secrets of each environment declared for
// the repositories they belong to. Values come from the stack config
// (`pulumi config set --secret deployKey …`). The repositories exist already (created by
// @pulumi/github in the same program, by hand or by another stack: `npm run demo` creates them in
// the local GitHub emulator); their names are stack config with per-environment defaults.
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
const api = config.get("apiRepository") ?? `api-${environment}`;
const web = config.get("webRepository") ?? `web-${environment}`;

new RepoSecret("deploy-key", {
  repository: api,
  secretName: config.get("deployKeyName") ?? "DEPLOY_KEY",
  value: config.requireSecret("deployKey"),
});

new EnvironmentSecret("database-url", {
  repository: api,
  environment,
  secretName: "DATABASE_URL",
  value: config.requireSecret("databaseUrl"),
});

// Shared by the organization's repositories; which ones is a stack setting. Repository names
// are resolved to ids by the provider.
const npmVisibility = config.get("npmTokenVisibility") ?? "selected";
new OrgSecret("npm-token", {
  secretName: `NPM_TOKEN_${environment.toUpperCase()}`,
  value: config.requireSecret("npmToken"),
  visibility: npmVisibility as "all" | "private" | "selected",
  selectedRepositories: npmVisibility === "selected" ? [api, web] : undefined,
});

new CodespacesSecret("registry-password", {
  repository: web,
  secretName: "REGISTRY_PASSWORD",
  value: config.requireSecret("registryPassword"),
});

new AgentSecret("agent-api-key", {
  repository: api,
  secretName: "AGENT_API_KEY",
  value: config.requireSecret("agentApiKey"),
});

const owner = new pulumi.Config("github").require("owner");
export const repositories = [api, web].map((name) => `${owner}/${name}`);
