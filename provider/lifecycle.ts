// check/diff/create/read/update/delete for any row of the kinds table. The plaintext value is
// sealed and sent, never returned: outputs carry a salted digest so diff can still tell a change.

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
import { claimantInput, type SecretKind } from "./kinds";
import { resolveRepositoryNames } from "./repositories";
import { digest, newSalt } from "./seal";
import {
  describeSecret,
  scopeOf,
  secretId,
  secretIdentity,
  type Scope,
} from "./scope";
import {
  isUnknown,
  type CheckFailure,
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
      .write(scope, writeRequest(inputs));
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
