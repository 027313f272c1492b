// `pulumi config set [--secret] <key> <value>` for the local engine's stacks: writes
// Pulumi.<stack>.yaml, a secret encrypted the way Pulumi's passphrase secrets provider does
// (PULUMI_CONFIG_PASSPHRASE; the file gains an `encryptionsalt` the first time), so the file
// works with the Pulumi CLI too. Comments and order in the file are kept.
//
// Usage: ts-node tools/local-engine/config-set.ts [--cwd DIR] [--stack NAME] [--secret] [--path] KEY VALUE
import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import { loadProject } from "./config";
import { newEncryptionSalt, passphraseCrypter } from "./passphrase";

export function configSet(options: {
  cwd: string;
  stack: string;
  key: string;
  value: string;
  secret: boolean;
  /** `--path`: `key.field.field` sets a field inside a structured value. */
  path?: boolean;
  passphrase?: string;
}): void {
  const project = loadProject(options.cwd);
  const file = path.join(options.cwd, `Pulumi.${options.stack}.yaml`);
  const doc = YAML.parseDocument(
    fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "config: {}\n",
  );
  const [first, ...fields] = options.path
    ? options.key.split(".")
    : [options.key];
  const key = first!.includes(":") ? first! : `${project.name}:${first}`;
  let value: unknown = options.value;
  if (options.secret) {
    const passphrase = options.passphrase;
    if (passphrase === undefined)
      throw new Error("set PULUMI_CONFIG_PASSPHRASE to encrypt a secret");
    let salt = doc.get("encryptionsalt") as string | undefined;
    if (!salt) {
      salt = newEncryptionSalt(passphrase);
      doc.set("encryptionsalt", salt);
    }
    value = {
      secure: passphraseCrypter(salt, passphrase).encrypt(options.value),
    };
  }
  doc.setIn(["config", key, ...fields], value);
  // Block style, as `pulumi config set` writes it, even where the file started as `config: {}`.
  const config = doc.get("config");
  if (YAML.isMap(config)) config.flow = false;
  fs.writeFileSync(file, doc.toString());
}

function main(argv: string[]): void {
  let cwd = process.cwd();
  let stack = process.env.PULUMI_STACK ?? "dev";
  let secret = false;
  let nested = false;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--cwd") cwd = argv[++i] ?? cwd;
    else if (a === "--stack" || a === "-s") stack = argv[++i] ?? stack;
    else if (a === "--secret") secret = true;
    else if (a === "--path") nested = true;
    else rest.push(a);
  }
  const [key, value] = rest;
  if (!key || value === undefined || rest.length !== 2)
    throw new Error(
      "usage: config-set [--cwd DIR] [--stack NAME] [--secret] [--path] KEY VALUE",
    );
  configSet({
    cwd,
    stack,
    key,
    value,
    secret,
    path: nested,
    ...(process.env.PULUMI_CONFIG_PASSPHRASE !== undefined
      ? { passphrase: process.env.PULUMI_CONFIG_PASSPHRASE }
      : {}),
  });
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 2;
  }
}
