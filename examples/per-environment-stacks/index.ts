import * as pulumi from "@pulumi/pulumi";
import { EnvironmentSecret, RepoSecret } from "pulumi-github-secrets";

// The repository and its deployment environments exist already (created by hand or by another
// stack); each stack manages the secrets of its own environment.
const config = new pulumi.Config();
const repository = config.get("repository") ?? "api";
const environment = pulumi.getStack();

new EnvironmentSecret("databasePassword", {
  repository,
  environment,
  secretName: "DATABASE_PASSWORD",
  value: config.requireSecret("databasePassword"),
});
new EnvironmentSecret("stripeKey", {
  repository,
  environment,
  secretName: "STRIPE_KEY",
  value: config.requireSecret("stripeKey"),
});
new RepoSecret("slackWebhook", {
  repository,
  secretName: `SLACK_WEBHOOK_${environment.toUpperCase()}`,
  value: config.requireSecret("slackWebhook"),
});
