// SecretSet: many secrets of one scope, from a map and/or a .env file, as one component. Each
// secret is an ordinary child resource of the kind's class; `prune: true` adds one more child
// that deletes the scope's secrets the set does not declare (see provider/prune.ts). With
// `envFileValuesFrom` the program reads only the file's names and each child reads its value
// through the provider (`valueFrom`), so no value of the file enters the state.

import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "dotenv";
import { kinds, pruneType, type KindName } from "../provider/kinds";
import { forwarder } from "./forwarder";
import * as resources from "./resources";
import { refuseImport } from "./options";
import {
  typeModule,
  type SecretResource,
  type SecretValueArgs,
} from "./resources";

/** A secret of the set whose value the provider reads (see `valueFrom` of the resource classes). */
export type SecretSetSource = Required<Pick<SecretValueArgs, "valueFrom">> &
  Pick<SecretValueArgs, "valueVersion">;

export interface SecretSetArgs {
  /** Which kind of secret, by class name: "RepoSecret", "EnvironmentSecret", "OrgSecret"… */
  kind: KindName;
  /**
   * Arguments shared by every secret of the set: the scope (`owner`, `repository`,
   * `environment`, `org`) and, for organization kinds, `visibility`, `selectedRepositories`…
   */
  scope?: Record<string, pulumi.Input<unknown>>;
  /**
   * Secret name → value, or `{ valueFrom, valueVersion? }` for a value the provider reads. Wins
   * over the same name in `envFile`.
   */
  secrets?: Record<string, pulumi.Input<string> | SecretSetSource>;
  /** The account of every secret of the set (stack config `github-secrets:accounts`). */
  account?: pulumi.Input<string>;
  /** Path of a .env file (KEY=value lines, parsed with dotenv), read when the program runs. */
  envFile?: string;
  /**
   * Let the provider read `envFile`'s values: the program takes only the names from the file, and
   * each secret gets `valueFrom: { file: envFile, key: NAME }`, so the values never enter the
   * state. The path is then read by the program and the provider alike, relative to the folder
   * Pulumi runs the program in.
   */
  envFileValuesFrom?: boolean;
  /**
   * Delete the scope's secrets that the set does not declare (exclusive management, opt-in).
   * `pulumi preview --diff` lists them in the prune resource's `willDelete` before anything is
   * deleted.
   */
  prune?: boolean;
}

/** Many secrets of one scope. */
export class SecretSet extends pulumi.ComponentResource {
  /** The secret resources, by secret name (upper case). */
  readonly secrets: Record<string, SecretResource>;
  /** Names the set declares (upper case). */
  readonly names: string[];

  constructor(
    name: string,
    args: SecretSetArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("pulumi-github-secrets:index:SecretSet", name, {}, opts);
    const kind = kinds[args.kind];
    if (!kind)
      throw new Error(
        `SecretSet "${name}": unknown kind "${String(args.kind)}" (known: ${Object.keys(kinds).join(", ")})`,
      );
    const byName = new Map<string, pulumi.Input<string> | SecretSetSource>();
    const sources = [
      args.envFile
        ? readEnvFile(name, args.envFile, args.envFileValuesFrom === true)
        : {},
      args.secrets ?? {},
    ];
    for (const source of sources) {
      // Within one source a name may appear once; the map then overrides the file.
      const seen = new Set<string>();
      for (const [secretName, value] of Object.entries(source)) {
        const key = secretName.toUpperCase();
        if (seen.has(key))
          throw new Error(
            `SecretSet "${name}": ${key} is declared twice (names compare without regard to case)`,
          );
        seen.add(key);
        byName.set(key, value);
      }
    }
    const cls = (
      resources as unknown as Record<
        string,
        new (
          n: string,
          a: object,
          o?: pulumi.CustomResourceOptions,
        ) => SecretResource
      >
    )[kind.name]!;
    this.names = [...byName.keys()].sort();
    this.secrets = {};
    for (const secretName of this.names) {
      const given = byName.get(secretName)!;
      this.secrets[secretName] = new cls(
        `${name}-${secretName}`,
        {
          ...(args.scope ?? {}),
          ...(args.account !== undefined ? { account: args.account } : {}),
          secretName,
          ...(isSource(given) ? given : { value: pulumi.secret(given) }),
        },
        { parent: this },
      );
    }
    if (args.prune) {
      const scopeArgs: Record<string, unknown> = {};
      for (const key of kind.scope) scopeArgs[key.arg] = args.scope?.[key.arg];
      new SecretSetPrune(
        `${name}-prune`,
        {
          kind: kind.name,
          keep: this.names,
          ...scopeArgs,
          ...(args.account !== undefined ? { account: args.account } : {}),
        },
        { parent: this, dependsOn: Object.values(this.secrets) },
      );
    }
    this.registerOutputs({ names: this.names });
  }
}

/** Deletes the secrets of one scope that `keep` does not name; a SecretSet makes it. */
export class SecretSetPrune extends pulumi.dynamic.Resource {
  declare readonly willDelete: pulumi.Output<string[]>;

  constructor(
    name: string,
    args: Record<string, unknown>,
    opts?: pulumi.CustomResourceOptions,
  ) {
    refuseImport(
      pruneType,
      name,
      opts,
      "declare the SecretSet with prune: true",
    );
    super(
      forwarder(pruneType),
      name,
      { willDelete: undefined, ...args },
      opts,
      typeModule,
      pruneType,
    );
  }
}

/** An entry of `secrets` that names a source rather than a value. */
function isSource(
  entry: pulumi.Input<string> | SecretSetSource,
): entry is SecretSetSource {
  return (
    typeof entry === "object" &&
    entry !== null &&
    !pulumi.Output.isInstance(entry) &&
    "valueFrom" in entry
  );
}

/**
 * KEY=value lines, read when the program runs: their values become Pulumi secrets, or with
 * `valuesFrom` only their names are used and each becomes a source the provider reads.
 */
function readEnvFile(
  name: string,
  path: string,
  valuesFrom: boolean,
): Record<string, pulumi.Input<string> | SecretSetSource> {
  let text: string;
  try {
    text = fs.readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(
      `SecretSet "${name}": cannot read envFile ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
    );
  }
  const entries = parse(text);
  if (!valuesFrom) return entries;
  return Object.fromEntries(
    Object.keys(entries).map((key) => [
      key,
      { valueFrom: { file: path, key } },
    ]),
  );
}
