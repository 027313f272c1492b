// The stack config keys and environment variables a README block may name: those the provider
// reads. The dynamic provider's `github:*` keys and variables come from its own tables
// (provider/config.ts settingKeys, provider/credentials.ts appKeys); the plugin's
// `github-secrets:*` keys, `accounts` and `appAuth` fields from its schema (sdk/schema.json),
// which is its contract with every SDK; a project's own keys are those a program of the README
// (or of this repository: index.ts, examples/) reads.
import * as fs from "node:fs";
import * as path from "node:path";
import { settingKeys } from "../../provider/config";
import { appKeys } from "../../provider/credentials";
import { repositoryRoot } from "../../tools/pulumi-cli";
import { allBlocks } from "./blocks";

interface SchemaProperty {
  secret?: boolean;
}
export interface Schema {
  name: string;
  config: { variables: Record<string, SchemaProperty> };
  provider: {
    inputProperties: Record<string, SchemaProperty>;
    requiredInputs?: string[];
  };
  types: Record<string, { properties?: Record<string, SchemaProperty> }>;
  resources: Record<
    string,
    {
      inputProperties?: Record<string, SchemaProperty>;
      requiredInputs?: string[];
    }
  >;
}

export function readSchema(): Schema {
  return JSON.parse(
    fs.readFileSync(path.join(repositoryRoot, "sdk", "schema.json"), "utf8"),
  ) as Schema;
}

/** A config key a program reads, and whether it reads it as a secret. */
export interface ProjectKey {
  key: string;
  secret: boolean;
}

/** `config.requireSecret("x")`, `config.require_secret("x")`, `cfg.RequireSecret("x")`… */
const configReads =
  /\.(require|get|Require|Get|Try)(_?[Ss]ecret)?(?:_?(?:Number|Boolean|Object|Int|Bool|Float64|int|bool|float|object))?\(\s*["'`]([\w.-]+)["'`]/g;

/** The project keys read by the README's programs and this repository's (index.ts, examples/). */
export function projectKeys(): Map<string, ProjectKey> {
  const sources = allBlocks()
    .filter((b) => ["typescript", "python", "go"].includes(b.language ?? ""))
    .map((b) => b.code);
  const programs = [path.join(repositoryRoot, "index.ts")];
  const examples = path.join(repositoryRoot, "examples");
  for (const entry of fs.readdirSync(examples, { withFileTypes: true }))
    if (entry.isDirectory())
      programs.push(path.join(examples, entry.name, "index.ts"));
  for (const file of programs)
    if (fs.existsSync(file)) sources.push(fs.readFileSync(file, "utf8"));
  const keys = new Map<string, ProjectKey>();
  for (const source of sources)
    for (const match of source.matchAll(configReads)) {
      const key = match[3]!;
      const secret = Boolean(match[2]) || (keys.get(key)?.secret ?? false);
      keys.set(key, { key, secret });
    }
  return keys;
}

/** Environment variables the provider reads (GITHUB_TOKEN…), from its own tables. */
export function providerEnvironment(): Set<string> {
  return new Set([
    ...Object.values(settingKeys).map((k) => k.envVar),
    appKeys.id,
    appKeys.installationId,
    appKeys.pemFile,
  ]);
}

export interface KeyUse {
  /** As written: `github:token`, `github-secrets:accounts.acme.token`, `deployKey`. */
  key: string;
  /** `--path`: the key is a path into a structured value. */
  path: boolean;
  /** `--secret` (or a secure value). */
  secret: boolean;
}

/** `ns:a.b[0].c` → ["a", "b", "0", "c"] (Pulumi's --path syntax, simple forms). */
function pathParts(name: string): string[] {
  return name
    .replace(/\[["']?([^\]"']+)["']?\]/g, ".$1")
    .split(".")
    .filter(Boolean);
}

const accountName = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Why the provider (or a program of the README) would not read `use`, or undefined when it
 * does. Credentials (what the schema marks secret, and what a program reads as a secret) must be
 * set with --secret: a plain value is saved in the state in plain text (README: Configuration).
 */
export function configKeyProblem(
  use: KeyUse,
  schema: Schema,
  projects: Map<string, ProjectKey>,
): string | undefined {
  const colon = use.key.indexOf(":");
  const namespace = colon === -1 ? "" : use.key.slice(0, colon);
  const name = colon === -1 ? use.key : use.key.slice(colon + 1);
  const parts = use.path ? pathParts(name) : [name];
  const [top, ...rest] = parts;
  const type = (t: string) =>
    schema.types[`${schema.name}:index:${t}`]?.properties ?? {};
  const appAuth = type("AppAuth");
  const account = type("Account");
  let secret = false;
  const fail = (why: string) => `${use.key}: ${why}`;

  if (namespace === "github" || namespace === schema.name) {
    const settings =
      namespace === "github"
        ? new Set([
            ...Object.values(settingKeys).map((k) =>
              k.configKey.replace(/^github:/, ""),
            ),
            appKeys.config.replace(/^github:/, ""),
          ])
        : new Set(Object.keys(schema.config.variables));
    if (!settings.has(top!))
      return fail(
        `the provider reads no ${namespace}:${top} (it reads ${[...settings].join(", ")})`,
      );
    secret = schema.config.variables[top!]?.secret ?? false;
    if (top === "appAuth" && rest.length) {
      if (rest.length !== 1 || !(rest[0]! in appAuth))
        return fail(
          `appAuth takes ${Object.keys(appAuth).join(", ")} (got ${rest.join(".")})`,
        );
      secret = appAuth[rest[0]!]!.secret ?? false;
    } else if (top === "accounts" && namespace === schema.name && rest.length) {
      const [accountKey, field, ...deeper] = rest;
      if (!accountName.test(accountKey!))
        return fail(`"${accountKey}" is no account name the provider accepts`);
      if (field !== undefined) {
        if (!(field in account))
          return fail(
            `an account takes ${Object.keys(account).join(", ")} (got ${field})`,
          );
        secret = account[field]!.secret ?? false;
        if (deeper.length) {
          if (
            field !== "appAuth" ||
            deeper.length !== 1 ||
            !(deeper[0]! in appAuth)
          )
            return fail(`no such setting ${rest.join(".")}`);
          secret = appAuth[deeper[0]!]!.secret ?? false;
        }
      }
    } else if (rest.length) {
      return fail(`${top} is a single value, not a structure --path goes into`);
    }
  } else {
    const read = projects.get(top!);
    if (!read)
      return fail(
        `no program of the README (nor index.ts, examples/) reads ${top}: it reads ${[...projects.keys()].join(", ")}`,
      );
    secret = read.secret;
  }
  if (secret && !use.secret)
    return fail(
      "a secret: set it with --secret (a plain value is saved in the state in plain text)",
    );
  return undefined;
}
