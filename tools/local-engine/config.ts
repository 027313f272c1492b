// Project and stack configuration: Pulumi.yaml, Pulumi.<stack>.yaml and the environment.
import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import { passphraseCrypter, type Crypter } from "./passphrase";

export interface Project {
  name: string;
  /** Program entry relative to the project folder (Pulumi.yaml `main`), default ".". */
  main: string;
  dir: string;
}

export function loadProject(cwd: string): Project {
  const file = path.join(cwd, "Pulumi.yaml");
  if (!fs.existsSync(file)) throw new Error(`no Pulumi.yaml in ${cwd}`);
  const doc = YAML.parse(fs.readFileSync(file, "utf8")) as {
    name?: unknown;
    main?: unknown;
  };
  if (typeof doc?.name !== "string" || doc.name === "") {
    throw new Error(`${file}: missing project name`);
  }
  return {
    name: doc.name,
    main: typeof doc.main === "string" ? doc.main : ".",
    dir: cwd,
  };
}

export interface StackConfig {
  /** Namespaced keys ("proj:key", "github:token") to string values, as PULUMI_CONFIG holds them. */
  values: Record<string, string>;
  /** Keys whose value is a secret (secure: in the stack file, or a credential). */
  secretKeys: string[];
}

/** `github:token` → `PULUMI_CONFIG_GITHUB_TOKEN`. */
export function configEnvName(key: string): string {
  return "PULUMI_CONFIG_" + key.replace(/[^A-Za-z0-9]/g, "_").toUpperCase();
}

/**
 * Environment variables @pulumi/github (and this package) read when config is absent; here
 * they can also supply a `secure:` value of the stack file, which the local engine cannot
 * decrypt.
 */
export const GITHUB_ENV: { key: string; env: string; secret: boolean }[] = [
  { key: "github:token", env: "GITHUB_TOKEN", secret: true },
  { key: "github:baseUrl", env: "GITHUB_BASE_URL", secret: false },
  { key: "github:owner", env: "GITHUB_OWNER", secret: false },
];

/**
 * Reads Pulumi.<stack>.yaml. Plain values are used as they are (objects and lists as JSON, like
 * Pulumi). A `secure:` value is decrypted with PULUMI_CONFIG_PASSPHRASE when the file has
 * Pulumi's `encryptionsalt` (passphrase.ts); otherwise it must be supplied through the
 * environment as PULUMI_CONFIG_<KEY> (e.g. PULUMI_CONFIG_GITHUB_TOKEN), or for github:* keys
 * through the variable @pulumi/github reads (GITHUB_TOKEN…). Any PULUMI_CONFIG_<KEY> variable
 * overrides the file's value for that key; it does not add a key the file lacks.
 */
export function loadStackConfig(
  project: Project,
  stack: string,
  env: NodeJS.ProcessEnv,
): StackConfig {
  const values: Record<string, string> = {};
  const secret = new Set<string>();
  const file = path.join(project.dir, `Pulumi.${stack}.yaml`);
  const missing: string[] = [];
  if (fs.existsSync(file)) {
    const doc = (YAML.parse(fs.readFileSync(file, "utf8")) ?? {}) as {
      config?: Record<string, unknown>;
      encryptionsalt?: string;
    };
    let crypter: Crypter | undefined;
    const decrypt = (ciphertext: string): string | undefined => {
      const passphrase = env.PULUMI_CONFIG_PASSPHRASE;
      if (!doc.encryptionsalt || passphrase === undefined) return undefined;
      crypter ??= passphraseCrypter(doc.encryptionsalt, passphrase);
      try {
        return crypter.decrypt(ciphertext);
      } catch {
        throw new Error(
          `${path.basename(file)}: cannot decrypt a secure value`,
        );
      }
    };
    for (const [rawKey, raw] of Object.entries(doc.config ?? {})) {
      const key = rawKey.includes(":") ? rawKey : `${project.name}:${rawKey}`;
      if (isSecure(raw)) {
        secret.add(key);
        const envValue =
          env[configEnvName(key)] ??
          decrypt(raw.secure) ??
          envFallback(key, env);
        if (envValue === undefined) {
          missing.push(
            `${key} (set ${configEnvName(key)}${githubEnvHint(key)})`,
          );
          continue;
        }
        values[key] = envValue;
        continue;
      }
      if (typeof raw === "string") {
        values[key] = raw;
        continue;
      }
      // A structured value (`pulumi config set --path`) may hold secure leaves: the whole key
      // is then a secret, passed decrypted as JSON text, as Pulumi does.
      let secure = false;
      let undecryptable = false;
      const open = (v: unknown): unknown => {
        if (isSecure(v)) {
          secure = true;
          const plain = decrypt(v.secure);
          if (plain === undefined) undecryptable = true;
          return plain;
        }
        if (Array.isArray(v)) return v.map(open);
        if (v !== null && typeof v === "object")
          return Object.fromEntries(
            Object.entries(v).map(([k, x]) => [k, open(x)]),
          );
        return v;
      };
      const opened = open(raw);
      if (secure) secret.add(key);
      if (undecryptable && env[configEnvName(key)] === undefined) {
        missing.push(`${key} (set ${configEnvName(key)} to its JSON)`);
        continue;
      }
      values[key] = JSON.stringify(opened);
    }
  }
  if (missing.length > 0) {
    throw new Error(
      `${path.basename(file)}: secure values cannot be decrypted without PULUMI_CONFIG_PASSPHRASE (and the file's encryptionsalt); ` +
        `or supply them through the environment: ${missing.join(", ")}`,
    );
  }
  // PULUMI_CONFIG_<KEY> overrides only keys the stack file names (the name is not reversible).
  for (const key of Object.keys(values)) {
    const v = env[configEnvName(key)];
    if (v !== undefined) values[key] = v;
  }
  // Credentials are secret wherever they came from. GITHUB_TOKEN and the like are *not* copied
  // into the config when the stack file lacks the key: Pulumi does not do that either, the
  // provider process inherits the environment and reads them itself, and config is what the
  // state saves for refresh and destroy.
  for (const g of GITHUB_ENV)
    if (g.secret && values[g.key] !== undefined) secret.add(g.key);
  return { values, secretKeys: [...secret].sort() };
}

function isSecure(v: unknown): v is { secure: string } {
  return (
    v !== null && typeof v === "object" && !Array.isArray(v) && "secure" in v
  );
}

function envFallback(key: string, env: NodeJS.ProcessEnv): string | undefined {
  const g = GITHUB_ENV.find((x) => x.key === key);
  return g ? env[g.env] : undefined;
}

function githubEnvHint(key: string): string {
  const g = GITHUB_ENV.find((x) => x.key === key);
  return g ? ` or ${g.env}` : "";
}
