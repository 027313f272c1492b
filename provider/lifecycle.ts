// check/diff/create/read/update/delete for any row of the kinds table. The plaintext value is
// sealed and sent, never returned: outputs carry a salted digest so diff can still tell a change.

import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { SecretsApi, WriteRequest, WriteResult } from "./api";
import type { SecretKind } from "./kinds";
import { settingsFailures } from "./credentials";
import { resolveRepositoryNames } from "./repositories";
import { digest, newSalt } from "./seal";
import { claimantInput, selectionIdentities, type Claims } from "./claims";
import { deleteSecretUnlessHeld } from "./deletion";
import { describeSecret, scopeOf, secretId } from "./scope";
import type { ConfigSource, Settings } from "./settings";
import {
  checkInputs,
  isUnknown,
  type CheckFailure,
  type SecretInputs,
  type Visibility,
} from "./validate";

/** What a resource's state holds after create, update or read. */
export interface SecretOutputs {
  owner?: string;
  org?: string;
  repository?: string;
  environment?: string;
  /** As GitHub stores it: upper case. */
  secretName: string;
  /** key_id of the public key the value was sealed for. */
  keyId: string;
  createdAt: string;
  updatedAt: string;
  /** GitHub's clock at this provider's last write: a later updatedAt means someone else wrote. */
  writtenAt: string;
  visibility?: Visibility;
  selectedRepositoryIds?: number[];
  /** True when the user supplied encryptedValue: only they can seal it again. */
  userSealed: boolean;
  /** HMAC of the value keyed with digestSalt (a secret output). */
  valueDigest: string;
  digestSalt: string;
  /** Why the next up must write the value again, set by refresh. */
  drift?: string;
}

/** What the lifecycle needs from the provider process: config, environment, the shared API. */
export interface ProviderContext {
  config(): ConfigSource | undefined;
  env(): NodeJS.ProcessEnv;
  settings(): Settings;
  api(): SecretsApi;
  claims(): Claims;
  /** A line for the user: the engine shows what a provider prints (plugin.go `runtrace`). */
  log(message: string): void;
}

// The Date header of our write and GitHub's updated_at come from different clocks; an edit
// within this window of our own write is not reported as drift.
const driftToleranceMs = 2000;

export class SecretLifecycle implements dynamic.ResourceProvider {
  constructor(
    readonly kind: SecretKind,
    private readonly context: ProviderContext,
  ) {}

  async check(
    _olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<dynamic.CheckResult> {
    const { inputs, failures } = checkInputs(
      this.kind,
      news,
      this.context.config(),
      this.context.env(),
    );
    failures.push(...this.settingsFailures());
    if (failures.length === 0) failures.push(...this.claim(inputs));
    if (this.kind.selectedRepositories && failures.length === 0) {
      failures.push(
        ...(await resolveRepositoryNames(
          inputs,
          "selectedRepositories",
          "selectedRepositoryIds",
          inputs.org ?? this.context.settings().owner,
          () => this.context.api(),
        )),
      );
    }
    return { inputs, failures };
  }

  /** Two resources of one program must not aim at the same secret. */
  private claim(inputs: Record<string, unknown>): CheckFailure[] {
    const claimant = inputs[claimantInput];
    const identity = [
      ...this.kind.scope.map((key) => inputs[key.arg]),
      inputs.secretName,
    ];
    if (typeof claimant !== "string" || identity.some(isUnknown)) return [];
    const scope = scopeOf(this.kind, inputs);
    const name = String(inputs.secretName);
    const holder = this.context.claims().claim(secretId(scope, name), claimant);
    if (holder === undefined) return [];
    return [
      {
        property: "secretName",
        reason: `${describeSecret(scope, name)} is also declared by resource "${holder}"; two resources would overwrite each other (names compare without regard to case)`,
      },
    ];
  }

  private settingsFailures(): CheckFailure[] {
    return settingsFailures(() => this.context.settings());
  }

  async diff(
    _id: string,
    olds: SecretOutputs,
    news: Record<string, unknown>,
  ): Promise<dynamic.DiffResult> {
    return diffSecret(this.kind, olds, news);
  }

  async create(inputs: SecretInputs): Promise<dynamic.CreateResult> {
    const scope = scopeOf(
      this.kind,
      inputs as unknown as Record<string, unknown>,
    );
    const api = this.context.api();
    const id = secretId(scope, inputs.secretName);
    const written = await api.write(scope, writeRequest(inputs));
    this.context.claims().markWritten(...writtenIdentities(id, inputs));
    let createdAt = written.at;
    if (!written.created) {
      // PUT is an upsert: the secret existed and is now adopted. Keep GitHub's creation time.
      createdAt =
        (await api.find(scope, inputs.secretName))?.created_at ?? written.at;
    }
    return {
      id,
      outs: outputsOf(this.kind, inputs, written, createdAt, newSalt()),
    };
  }

  async update(
    _id: string,
    olds: SecretOutputs,
    news: SecretInputs,
  ): Promise<dynamic.UpdateResult> {
    const scope = scopeOf(
      this.kind,
      news as unknown as Record<string, unknown>,
    );
    const written = await this.context.api().write(scope, writeRequest(news));
    this.context
      .claims()
      .markWritten(
        ...writtenIdentities(secretId(scope, news.secretName), news),
      );
    return {
      outs: outputsOf(
        this.kind,
        news,
        written,
        olds.createdAt,
        olds.digestSalt ?? newSalt(),
      ),
    };
  }

  async read(id: string, props: SecretOutputs): Promise<dynamic.ReadResult> {
    const scope = scopeOf(
      this.kind,
      props as unknown as Record<string, unknown>,
    );
    const api = this.context.api();
    const listed = await api.find(scope, props.secretName);
    // An empty id tells the engine the secret is gone; the next up creates it again.
    if (!listed) return { id: "", props: {} };

    const outputs: SecretOutputs = {
      ...props,
      createdAt: listed.created_at,
      updatedAt: listed.updated_at,
    };
    delete outputs.drift;
    if (this.kind.visibility && listed.visibility)
      outputs.visibility = listed.visibility;
    // A selection the program leaves out is someone else's (…Repositories resources): not read.
    if (this.kind.selectedRepositories && props.selectedRepositoryIds) {
      if (!this.kind.visibility || outputs.visibility === "selected") {
        outputs.selectedRepositoryIds = await api.selectedRepositoryIds(
          scope,
          props.secretName,
        );
      } else {
        delete outputs.selectedRepositoryIds;
      }
    }
    const key = await api.publicKey(scope);
    if (
      props.writtenAt &&
      Date.parse(listed.updated_at) - Date.parse(props.writtenAt) >
        driftToleranceMs
    ) {
      outputs.drift = `the value was changed outside Pulumi at ${listed.updated_at}`;
    } else if (!props.userSealed && props.keyId !== key.keyId) {
      outputs.drift = `the scope's public key was rotated (sealed for ${props.keyId}, current ${key.keyId})`;
    }
    // No `inputs`: the engine then keeps the stored inputs, value included. Inputs rebuilt here
    // would lack the value (GitHub never returns it) and show every refresh as a change.
    return { id, props: outputs };
  }

  async delete(_id: string, props: SecretOutputs): Promise<void> {
    const scope = scopeOf(
      this.kind,
      props as unknown as Record<string, unknown>,
    );
    await deleteSecretUnlessHeld(this.context, scope, props.secretName);
  }
}

/**
 * Pure and local: no request to GitHub. Renaming the secret or moving it to another scope
 * replaces the resource (create the new secret, then delete the old one: safe, since the two
 * identities differ); a new value, visibility or selection is written in place.
 */
export function diffSecret(
  kind: SecretKind,
  olds: SecretOutputs,
  news: Record<string, unknown>,
): dynamic.DiffResult {
  const replaces: string[] = [];
  const updates: string[] = [];
  const oldProps = olds as unknown as Record<string, unknown>;
  for (const arg of [...kind.scope.map((key) => key.arg), "secretName"]) {
    if (!sameName(oldProps[arg], news[arg])) replaces.push(arg);
  }
  if (valueChanged(olds, news)) updates.push("value");
  if (
    kind.visibility &&
    news.visibility !== undefined &&
    news.visibility !== olds.visibility
  )
    updates.push("visibility");
  // No selection given: the list is left alone (it may be managed by a …Repositories resource).
  if (
    kind.selectedRepositories &&
    news.selectedRepositoryIds !== undefined &&
    !sameSet(olds.selectedRepositoryIds, news.selectedRepositoryIds)
  ) {
    updates.push("selectedRepositoryIds");
  }
  if (olds.drift && news.onDrift !== "ignore" && !updates.includes("value"))
    updates.push("value");
  return {
    changes: replaces.length > 0 || updates.length > 0,
    replaces,
    deleteBeforeReplace: false,
  };
}

/** GitHub compares account, repository, environment and secret names without regard to case. */
function sameName(old: unknown, next: unknown): boolean {
  if (isUnknown(next)) return false;
  if (typeof old === "string" && typeof next === "string")
    return old.toUpperCase() === next.toUpperCase();
  return old === next;
}

function sameSet(old: number[] | undefined, next: unknown): boolean {
  if (isUnknown(next)) return false;
  const a = [...new Set(old ?? [])].sort((x, y) => x - y);
  const b = [...new Set(Array.isArray(next) ? next.map(Number) : [])].sort(
    (x, y) => x - y,
  );
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

function valueChanged(
  olds: SecretOutputs,
  news: Record<string, unknown>,
): boolean {
  if (
    isUnknown(news.value) ||
    isUnknown(news.encryptedValue) ||
    isUnknown(news.keyId)
  )
    return true;
  if (!olds.digestSalt || !olds.valueDigest) return true;
  return (
    digest(olds.digestSalt, valueMaterial(news as unknown as SecretInputs)) !==
    olds.valueDigest
  );
}

/** What the digest covers: the plaintext, or the user's sealed value and the key it was sealed for. */
function valueMaterial(inputs: SecretInputs): string {
  return inputs.encryptedValue !== undefined
    ? `sealed\u0000${inputs.keyId}\u0000${inputs.encryptedValue}`
    : `plain\u0000${inputs.value ?? ""}`;
}

function writeRequest(inputs: SecretInputs): WriteRequest {
  return {
    secretName: inputs.secretName.toUpperCase(),
    value:
      inputs.encryptedValue !== undefined
        ? { encryptedValue: inputs.encryptedValue, keyId: inputs.keyId ?? "" }
        : { plaintext: inputs.value ?? "" },
    ...(inputs.visibility !== undefined
      ? { visibility: inputs.visibility }
      : {}),
    ...(inputs.selectedRepositoryIds !== undefined
      ? { selectedRepositoryIds: inputs.selectedRepositoryIds }
      : {}),
  };
}

function outputsOf(
  kind: SecretKind,
  inputs: SecretInputs,
  written: WriteResult,
  createdAt: string,
  salt: string,
): SecretOutputs {
  const outputs: SecretOutputs = {
    secretName: inputs.secretName.toUpperCase(),
    keyId: written.keyId,
    createdAt,
    updatedAt: written.at,
    writtenAt: written.at,
    userSealed: inputs.encryptedValue !== undefined,
    valueDigest: digest(salt, valueMaterial(inputs)),
    digestSalt: salt,
  };
  const scoped = outputs as unknown as Record<string, unknown>;
  for (const key of kind.scope)
    scoped[key.arg] = (inputs as unknown as Record<string, unknown>)[key.arg];
  if (kind.visibility && inputs.visibility !== undefined)
    outputs.visibility = inputs.visibility;
  if (kind.selectedRepositories && inputs.selectedRepositoryIds !== undefined) {
    outputs.selectedRepositoryIds = inputs.selectedRepositoryIds;
  }
  return outputs;
}

/** A write holds the secret, and the selection when it sent one. */
function writtenIdentities(identity: string, inputs: SecretInputs): string[] {
  return inputs.selectedRepositoryIds === undefined
    ? [identity]
    : [
        identity,
        ...selectionIdentities(identity, inputs.selectedRepositoryIds),
      ];
}
