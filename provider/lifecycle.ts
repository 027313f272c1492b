// check/diff/create/read/update/delete for any row of the kinds table. The plaintext value is
// sealed and sent, never returned: outputs carry a salted digest so diff can still tell a change.
// A value given as `valueFrom` is read by the provider (sources.ts) when check needs its digest
// and when create or update write it; with `valueVersion` only when they write.

import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { WriteRequest, WriteResult } from "./api";
import { selectionIdentities } from "./claims";
import {
  accountOf,
  checkedAccount,
  newApiHost,
  unreachableHost,
  type ProviderContext,
} from "./context";
import { deleteSecretUnlessHeld } from "./deletion";
import { changesOf, diffSecret, valueMaterial } from "./diff";
import { claimantInput, valueDigestInput, type SecretKind } from "./kinds";
import { resolveRepositoryNames } from "./repositories";
import { digest, newSalt, slowDigest } from "./seal";
import { SourceError, sourceFailure, sourceOf, sourceUnknown } from "./sources";
import {
  describeSecret,
  scopeOf,
  secretId,
  secretIdentity,
  type Scope,
} from "./scope";
import {
  asSecret,
  isUnknown,
  type CheckFailure,
  type CheckedValueSource,
  type DiffResult,
  type SecretInputs,
  type SecretState,
} from "./types";
import { checkInputs } from "./validate";

// The Date header of our write and GitHub's updated_at come from different clocks; an edit
// within this window of our own write is not reported as drift.
const driftToleranceMs = 2000;

export class SecretLifecycle implements dynamic.ResourceProvider {
  constructor(
    readonly kind: SecretKind,
    private readonly context: ProviderContext,
  ) {}

  async check(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<dynamic.CheckResult> {
    // An account not known yet (preview) is checked when it is, in the update.
    const accountKnown = !isUnknown(news.account);
    const account = accountKnown ? accountOf(news) : undefined;
    const checked = accountKnown
      ? checkedAccount(this.context, account)
      : { failures: [] };
    const { inputs, failures } = checkInputs(
      this.kind,
      news,
      this.context.config(),
      this.context.env(),
      checked.named,
    );
    failures.push(...checked.failures);
    if (!failures.some((failure) => failure.property === "valueFrom"))
      failures.push(...(await this.digestSource(olds, inputs)));
    if (!accountKnown) return { inputs, failures };
    if (failures.length === 0) failures.push(...this.claim(inputs, account));
    if (this.kind.selectedRepositories && failures.length === 0) {
      failures.push(
        ...(await resolveRepositoryNames(
          olds,
          inputs,
          "selectedRepositories",
          "selectedRepositoryIds",
          inputs.org ?? this.context.settings(account).owner,
          this.context.apiHost(account),
          () => this.context.api(account),
        )),
      );
    }
    return { inputs, failures };
  }

  /**
   * valueFrom without valueVersion: reads the source (a bad one fails check, before anything is
   * written) and keeps the value's slow digest, salted as the last one was, as a secret input.
   * `valueFrom.revision` counts the distinct values read, so a new one shows in `preview --diff`
   * as a changed valueFrom, and nothing derived from the value is shown. With valueVersion the
   * source is not read here at all.
   */
  private async digestSource(
    olds: Record<string, unknown>,
    inputs: Record<string, unknown>,
  ): Promise<CheckFailure[]> {
    const source = inputs.valueFrom as CheckedValueSource | undefined;
    if (
      source === undefined ||
      isUnknown(source) ||
      inputs.valueVersion !== undefined ||
      sourceUnknown(source)
    )
      return [];
    let value: string;
    try {
      value = await this.context.valueOf(sourceOf(source));
    } catch (error) {
      if (error instanceof SourceError) return [sourceFailure(error)];
      throw error;
    }
    const previous =
      typeof olds[valueDigestInput] === "string"
        ? (olds[valueDigestInput] as string)
        : undefined;
    const record = await slowDigest(value, previous);
    const oldRevision = (olds.valueFrom as CheckedValueSource | undefined)
      ?.revision;
    const revision =
      typeof oldRevision !== "number"
        ? 1
        : record === previous
          ? oldRevision
          : oldRevision + 1;
    inputs.valueFrom = { ...sourceOf(source), revision };
    inputs[valueDigestInput] = asSecret(record);
    return [];
  }

  /** Two resources of one program must not aim at the same secret, whichever their accounts. */
  private claim(
    inputs: Record<string, unknown>,
    account: string | undefined,
  ): CheckFailure[] {
    const claimant = inputs[claimantInput];
    const identity = [
      ...this.kind.scope.map((key) => inputs[key.arg]),
      inputs.secretName,
    ];
    if (typeof claimant !== "string" || identity.some(isUnknown)) return [];
    const scope = scopeOf(this.kind, inputs);
    const name = String(inputs.secretName);
    const holder = this.context
      .claims()
      .claim(
        secretIdentity(this.context.apiHost(account), scope, name),
        claimant,
      );
    if (holder === undefined) return [];
    return [
      {
        property: "secretName",
        reason: `${describeSecret(scope, name)} is also declared by resource "${holder}"; two resources would overwrite each other (names compare without regard to case)`,
      },
    ];
  }

  async diff(
    _id: string,
    olds: SecretState,
    news: Record<string, unknown>,
  ): Promise<DiffResult> {
    return diffSecret(this.kind, olds, news, newApiHost(this.context, news));
  }

  async create(inputs: SecretInputs): Promise<dynamic.CreateResult> {
    const scope = scopeOf(this.kind, inputs);
    const account = accountOf(inputs);
    const apiHost = this.context.apiHost(account);
    const written = await this.write(scope, inputs, apiHost);
    let createdAt = written.at;
    if (!written.created) {
      // PUT is an upsert: the secret existed and is now adopted. Keep GitHub's creation time.
      createdAt =
        (await this.context.api(account).find(scope, inputs.secretName))
          ?.created_at ?? written.at;
    }
    return {
      id: secretId(scope, inputs.secretName),
      outs: outputsOf(
        this.kind,
        inputs,
        written,
        createdAt,
        newSalt(),
        apiHost,
      ),
    };
  }

  async update(
    _id: string,
    olds: SecretState,
    news: SecretInputs,
  ): Promise<dynamic.UpdateResult> {
    const account = accountOf(news);
    const apiHost = this.context.apiHost(account);
    // Another account on the same host reaches the same secret: record its name, write nothing.
    const { updates } = changesOf(
      this.kind,
      olds,
      news as unknown as Record<string, unknown>,
      apiHost,
    );
    if (updates.length === 1 && updates[0] === "account") {
      const outs: SecretState = { ...olds, apiHost };
      if (account === undefined) delete outs.account;
      else outs.account = account;
      return { outs };
    }
    const written = await this.write(scopeOf(this.kind, news), news, apiHost);
    return {
      outs: outputsOf(
        this.kind,
        news,
        written,
        olds.createdAt,
        olds.digestSalt ?? newSalt(),
        apiHost,
      ),
    };
  }

  /** Writes the secret and records what this run now holds, so no delete of the run removes it. */
  private async write(
    scope: Scope,
    inputs: SecretInputs,
    apiHost: string,
  ): Promise<WriteResult> {
    const written = await this.context
      .api(accountOf(inputs))
      .write(scope, await this.writeRequest(scope, inputs));
    this.context
      .claims()
      .markWritten(
        ...writtenIdentities(
          secretIdentity(apiHost, scope, inputs.secretName),
          inputs,
        ),
      );
    return written;
  }

  /** What to send: the value given, or what its source holds now (read once per process). */
  private async writeRequest(
    scope: Scope,
    inputs: SecretInputs,
  ): Promise<WriteRequest> {
    if (inputs.valueFrom === undefined) return writeRequest(inputs);
    const source = sourceOf(inputs.valueFrom);
    try {
      return writeRequest(inputs, await this.context.valueOf(source));
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      // Nothing was written; the message names the secret and the source, never a value.
      throw new Error(
        `${describeSecret(scope, inputs.secretName)}: valueFrom: ${error.message}; nothing was written`,
      );
    }
  }

  async read(id: string, props: SecretState): Promise<dynamic.ReadResult> {
    const scope = scopeOf(this.kind, props);
    const elsewhere = unreachableHost(this.context, props);
    if (elsewhere !== undefined) {
      this.context.log(
        `not refreshed: ${describeSecret(scope, props.secretName)} was written to ${elsewhere}, which its account no longer reaches`,
      );
      return { id, props };
    }
    const api = this.context.api(accountOf(props));
    const listed = await api.find(scope, props.secretName);
    // An empty id tells the engine the secret is gone; the next up creates it again.
    if (!listed) return { id: "", props: {} };

    const outputs: SecretState = {
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

  async delete(_id: string, props: SecretState): Promise<void> {
    const scope = scopeOf(this.kind, props);
    const elsewhere = unreachableHost(this.context, props);
    if (elsewhere !== undefined) {
      this.context.log(
        `not deleted: ${describeSecret(scope, props.secretName)} was written to ${elsewhere}, which its account no longer reaches; delete it there if it should go`,
      );
      return;
    }
    await deleteSecretUnlessHeld(
      this.context,
      scope,
      props.secretName,
      accountOf(props),
    );
  }
}

/** `fromSource`: what a valueFrom source holds, read by the caller. */
function writeRequest(inputs: SecretInputs, fromSource?: string): WriteRequest {
  return {
    secretName: inputs.secretName.toUpperCase(),
    value:
      inputs.encryptedValue !== undefined
        ? { encryptedValue: inputs.encryptedValue, keyId: inputs.keyId ?? "" }
        : { plaintext: fromSource ?? inputs.value ?? "" },
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
  apiHost: string,
): SecretState {
  const outputs: SecretState = {
    ...(inputs.account !== undefined ? { account: inputs.account } : {}),
    apiHost,
    secretName: inputs.secretName.toUpperCase(),
    keyId: written.keyId,
    createdAt,
    updatedAt: written.at,
    writtenAt: written.at,
    userSealed: inputs.encryptedValue !== undefined,
    ...valueRecord(inputs, salt),
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

/**
 * What the outputs keep of the value written, for diff: an HMAC of `value` or `encryptedValue`;
 * for valueFrom, the slow digest check made (it names its own salt); with valueVersion, the
 * version and nothing derived from the value.
 */
function valueRecord(
  inputs: SecretInputs,
  salt: string,
): Pick<SecretState, "valueDigest" | "digestSalt" | "valueVersion"> {
  if (inputs.valueFrom === undefined)
    return {
      valueDigest: digest(salt, valueMaterial(inputs)),
      digestSalt: salt,
    };
  if (inputs.valueVersion !== undefined)
    return { valueVersion: inputs.valueVersion };
  return { valueDigest: inputs[valueDigestInput] ?? "" };
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
