// A YAML block is a Pulumi project or program (Pulumi.yaml: `plugins`, `config`, `resources`) or
// a stack file (Pulumi.<stack>.yaml: `config`). Checked against what the plugin serves and
// what the package ships: resources of this package by their type tokens, properties and
// required inputs in sdk/schema.json; a plugin entry by its name and the folder its path names
// in a project with the packed package installed; config keys as `pulumi config set` would
// name them (config-keys.ts).
import * as fs from "node:fs";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import { configKeyProblem, type ProjectKey, type Schema } from "./config-keys";

export interface YamlContext {
  schema: Schema;
  projects: Map<string, ProjectKey>;
  /** A project folder with the packed package in its node_modules: plugin paths resolve from it. */
  projectDir: string;
}

export interface YamlResult {
  problems: string[];
  /** What was not checked, and why (resources of other packages): listed in the inventory. */
  unchecked: string[];
}

const topLevel = new Set([
  "name",
  "runtime",
  "description",
  "main",
  "config",
  "plugins",
  "resources",
  "variables",
  "outputs",
  "packages",
  "options",
  "stackConfigDir",
  "template",
  "backend",
  "encryptionsalt",
  "secretsprovider",
]);

/** `github-secrets:RepoSecret` (Pulumi YAML's short form) → `github-secrets:index:RepoSecret`. */
function typeToken(type: string, schema: Schema): string {
  const parts = type.split(":");
  return parts.length === 2 && parts[0] === schema.name
    ? `${parts[0]}:index:${parts[1]}`
    : type;
}

export function checkYaml(code: string, context: YamlContext): YamlResult {
  const problems: string[] = [];
  const unchecked: string[] = [];
  const { schema } = context;
  for (const document of parseAllDocuments(code)) {
    if (document.errors.length) {
      problems.push(...document.errors.map((e) => `YAML: ${e.message}`));
      continue;
    }
    const value = document.toJS() as unknown;
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      problems.push("not a Pulumi project, program or stack file (a mapping)");
      continue;
    }
    const doc = value as Record<string, unknown>;
    const unknownKeys = Object.keys(doc).filter((k) => !topLevel.has(k));
    if (unknownKeys.length)
      problems.push(
        `${unknownKeys.join(", ")}: not a key of a Pulumi project, program or stack file`,
      );
    const isProject = "name" in doc || "runtime" in doc;

    for (const [key, entry] of Object.entries(
      (doc.config ?? {}) as Record<string, unknown>,
    )) {
      // A project declares its own keys (`config: { deployKey: { type: string } }`).
      if (isProject && !key.includes(":")) continue;
      const secure =
        typeof entry === "object" && entry !== null && "secure" in entry;
      const problem = configKeyProblem(
        { key, path: false, secret: secure },
        schema,
        context.projects,
      );
      if (problem) problems.push(`config ${problem}`);
    }

    const plugins = doc.plugins as
      { providers?: { name?: string; path?: string }[] } | undefined;
    for (const provider of plugins?.providers ?? []) {
      if (provider.name !== schema.name) {
        unchecked.push(`plugin ${provider.name}: another package's`);
        continue;
      }
      if (!provider.path) continue;
      const dir = path.resolve(context.projectDir, provider.path);
      const executable = path.join(dir, `pulumi-resource-${schema.name}`);
      if (!fs.existsSync(path.join(dir, "PulumiPlugin.yaml")))
        problems.push(
          `plugins.providers ${provider.name}: ${provider.path} holds no PulumiPlugin.yaml in a project with the package installed`,
        );
      try {
        fs.accessSync(executable, fs.constants.X_OK);
      } catch {
        problems.push(
          `plugins.providers ${provider.name}: ${provider.path} holds no executable pulumi-resource-${schema.name}`,
        );
      }
    }

    for (const [name, resource] of Object.entries(
      (doc.resources ?? {}) as Record<
        string,
        { type?: string; properties?: Record<string, unknown> }
      >,
    )) {
      const type = resource?.type ?? "";
      const token = typeToken(type, schema);
      const ours = token.startsWith(`${schema.name}:`);
      const provider = token === `pulumi:providers:${schema.name}`;
      if (!ours && !provider) {
        unchecked.push(
          `resource ${name}: ${type || "no type"}, another package's`,
        );
        continue;
      }
      const spec = provider ? schema.provider : schema.resources[token];
      if (!spec) {
        problems.push(
          `resource ${name}: the schema has no ${type} (it has ${Object.keys(schema.resources).join(", ")})`,
        );
        continue;
      }
      const inputs = spec.inputProperties ?? {};
      const given = Object.keys(resource.properties ?? {});
      for (const property of given)
        if (!(property in inputs))
          problems.push(
            `resource ${name}: ${type} has no input ${property} (it takes ${Object.keys(inputs).join(", ")})`,
          );
      for (const required of spec.requiredInputs ?? [])
        if (!given.includes(required))
          problems.push(`resource ${name}: ${type} requires ${required}`);
    }

    if (!("plugins" in doc || "resources" in doc || "config" in doc))
      problems.push(
        "neither plugins, config nor resources: nothing to check (mark the block skip with a reason if it is something else)",
      );
  }
  return { problems, unchecked };
}
