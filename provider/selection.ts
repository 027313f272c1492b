// Resources that own the repository selection of an organization (or user) secret, derived from
// every row of the kinds table that has `selectedRepositories`:
//   <Kind>Repositories  the whole list   (PUT …/{secret_name}/repositories)
//   <Kind>Repository    one repository   (PUT/DELETE …/{secret_name}/repositories/{repository_id})
// The secret itself then leaves `selectedRepositoryIds` out, and its lifecycle leaves the list
// alone, so the two never fight.

import type * as dynamic from "@pulumi/pulumi/dynamic";
import {
  memberIdentity,
  selectionIdentities,
  selectionIdentity,
} from "./claims";
import {
  accountOf,
  checkedAccount,
  newApiHost,
  unreachableHost,
  type ProviderContext,
} from "./context";
import { accountChanged, otherHost, sameIdSet, sameName } from "./diff";
import { GitHubError } from "./github";
import type { SelectionKind } from "./kinds";
import { resolveRepositoryNames } from "./repositories";
import {
  describeSecret,
  scopeOf,
  secretId,
  secretIdentity,
  type Scope,
} from "./scope";
import type { CheckFailure, DiffResult } from "./types";
import {
  checkAccount,
  checkRepositoryIds,
  checkRepositoryNames,
  checkScopeKey,
  checkSecretName,
} from "./validate";

/** Arguments of each shape, besides the secret's scope and name. */
const shapes = {
  list: { names: "selectedRepositories", ids: "selectedRepositoryIds" },
  member: { names: "repository", ids: "repositoryId" },
} as const;

export interface SelectionOutputs {
  account?: string;
  apiHost?: string;
  owner?: string;
  org?: string;
  secretName: string;
  /** list: the whole selection. */
  selectedRepositoryIds?: number[];
  /** member: the one repository. */
  repositoryId?: number;
}

export class SelectionLifecycle implements dynamic.ResourceProvider {
  private readonly shape: (typeof shapes)[SelectionKind["owns"]];

  constructor(
    readonly kind: SelectionKind,
    private readonly context: ProviderContext,
  ) {
    this.shape = shapes[kind.owns];
  }

  async check(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<dynamic.CheckResult> {
    const inputs: Record<string, unknown> = { ...news };
    const failures: CheckFailure[] = [];
    const fail = (property: string, reason: string) =>
      failures.push({ property, reason });
    const { secret } = this.kind;
    const { names, ids } = this.shape;
    const allowed = new Set([
      ...secret.scope.map((key) => key.arg),
      "secretName",
      names,
      ids,
      "account",
    ]);
    for (const property of Object.keys(inputs)) {
      if (property.startsWith("__") || allowed.has(property)) continue;
      if (inputs[property] === undefined) delete inputs[property];
      else
        fail(
          property,
          `${this.kind.name} has no argument "${property}"; it takes ${[...allowed].join(", ")}`,
        );
    }
    checkAccount(inputs, fail);
    const account = accountOf(inputs);
    const checked = checkedAccount(this.context, account);
    for (const key of secret.scope)
      checkScopeKey(
        key,
        inputs,
        this.context.config(),
        this.context.env(),
        fail,
        checked.named,
      );
    checkSecretName(inputs, fail);

    // Both shapes are checked as lists; a member's one repository is a list of one.
    if (this.kind.owns === "member") {
      const given = [names, ids].filter((p) => inputs[p] !== undefined);
      if (given.length !== 1)
        fail(
          ids,
          `give exactly one of ${names} (a name, "api" or "owner/api") and ${ids}`,
        );
      for (const p of given) inputs[p] = [inputs[p]];
    }
    checkRepositoryNames(names, inputs, fail);
    checkRepositoryIds(ids, inputs, fail);
    if (failures.length === 0) failures.push(...checked.failures);
    if (failures.length === 0) {
      failures.push(
        ...(await resolveRepositoryNames(
          olds,
          inputs,
          names,
          ids,
          inputs.org ?? this.context.settings(account).owner,
          this.context.apiHost(account),
          () => this.context.api(account),
        )),
      );
    }
    if (this.kind.owns === "member") {
      for (const p of [names, ids])
        if (Array.isArray(inputs[p])) inputs[p] = (inputs[p] as unknown[])[0];
    } else if (inputs[ids] === undefined && failures.length === 0) {
      // No names and no ids: the resource owns an empty selection.
      inputs[ids] = [];
    }
    return { inputs, failures };
  }

  async diff(
    _id: string,
    olds: SelectionOutputs,
    news: Record<string, unknown>,
  ): Promise<DiffResult> {
    const old = olds as unknown as Record<string, unknown>;
    const identity = [
      ...this.kind.secret.scope.map((key) => key.arg),
      "secretName",
      ...(this.kind.owns === "member" ? [this.shape.ids] : []),
    ];
    const same = (p: string) =>
      p === this.shape.ids && this.kind.owns === "list"
        ? sameIdSet(old[p], news[p])
        : sameName(old[p], news[p]);
    const replaces = identity.filter((p) => !same(p));
    // Another host's secret is another selection; another account on the host is not.
    if (otherHost(olds.apiHost, newApiHost(this.context, news)))
      replaces.push("account");
    const updates = [
      ...(!same(this.shape.ids) && !replaces.includes(this.shape.ids)
        ? [this.shape.ids]
        : []),
      ...(!replaces.includes("account") &&
      accountChanged(olds.account, news.account)
        ? ["account"]
        : []),
    ];
    const changes = replaces.length > 0 || updates.length > 0;
    return { changes, replaces, updates, deleteBeforeReplace: false };
  }

  async create(inputs: Record<string, unknown>): Promise<dynamic.CreateResult> {
    const scope = this.scope(inputs);
    const secretName = String(inputs.secretName).toUpperCase();
    await this.write(
      scope,
      secretName,
      inputs[this.shape.ids],
      accountOf(inputs),
    );
    return {
      id: this.idOf(scope, secretName, inputs),
      outs: this.outputs(inputs),
    };
  }

  async update(
    _id: string,
    olds: SelectionOutputs,
    news: Record<string, unknown>,
  ): Promise<dynamic.UpdateResult> {
    // Only the account's name changed (same host): the same selection, nothing to write.
    const same = this.kind.owns === "list" ? sameIdSet : sameName;
    const old = olds as unknown as Record<string, unknown>;
    if (!same(old[this.shape.ids], news[this.shape.ids]))
      await this.write(
        this.scope(news),
        String(news.secretName).toUpperCase(),
        news[this.shape.ids],
        accountOf(news),
      );
    return { outs: this.outputs(news) };
  }

  async read(id: string, props: SelectionOutputs): Promise<dynamic.ReadResult> {
    const scope = this.scope(props);
    const elsewhere = unreachableHost(this.context, props);
    if (elsewhere !== undefined) {
      this.context.log(
        `not refreshed: the repository selection of ${describeSecret(scope, props.secretName)} was written to ${elsewhere}, which its account no longer reaches`,
      );
      return { id, props };
    }
    let selected: number[];
    try {
      selected = await this.context
        .api(accountOf(props))
        .selectedRepositoryIds(scope, props.secretName);
    } catch (error) {
      // The secret is gone (404) or no longer "selected" (409): so is its selection.
      if (isGone(error)) return { id: "", props: {} };
      throw error;
    }
    if (this.kind.owns === "list")
      return { id, props: { ...props, selectedRepositoryIds: selected } };
    return selected.includes(props.repositoryId ?? -1)
      ? { id, props }
      : { id: "", props: {} };
  }

  /**
   * Empties the list, or takes the one repository out, except what a create or update of this
   * run put there (a replacement or a moved resource holds it; see claims.ts).
   */
  async delete(_id: string, props: SelectionOutputs): Promise<void> {
    const scope = this.scope(props);
    const account = accountOf(props);
    const what = `the repository selection of ${describeSecret(scope, props.secretName)}`;
    const elsewhere = unreachableHost(this.context, props);
    if (elsewhere !== undefined) {
      this.context.log(
        `not deleted: ${what} was written to ${elsewhere}, which its account no longer reaches`,
      );
      return;
    }
    const api = this.context.api(account);
    const claims = this.context.claims();
    const secret = secretIdentity(
      this.context.apiHost(account),
      scope,
      props.secretName,
    );
    try {
      if (this.kind.owns === "list") {
        if (claims.wrote(selectionIdentity(secret))) {
          this.context.log(
            `kept ${what}: a create or update of this run wrote it`,
          );
          return;
        }
        // Repositories added one at a time by this run stay; the rest leave with the list.
        const held = claims.writtenMembers(secret);
        await api.setSelectedRepositoryIds(scope, props.secretName, held);
        if (held.length > 0)
          this.context.log(
            `emptied ${what} except repositories ${held.join(", ")}, which this run added`,
          );
        return;
      }
      const repositoryId = props.repositoryId ?? 0;
      if (claims.wrote(memberIdentity(secret, repositoryId))) {
        this.context.log(
          `kept repository ${repositoryId} in ${what}: a create or update of this run put it there`,
        );
        return;
      }
      await api.selectRepository(scope, props.secretName, repositoryId, false);
    } catch (error) {
      if (!isGone(error)) throw error;
    }
  }

  private scope(props: object): Scope {
    return scopeOf(this.kind.secret, props);
  }

  private async write(
    scope: Scope,
    secretName: string,
    ids: unknown,
    account: string | undefined,
  ): Promise<void> {
    const api = this.context.api(account);
    const secret = secretIdentity(
      this.context.apiHost(account),
      scope,
      secretName,
    );
    if (this.kind.owns === "list") {
      await api.setSelectedRepositoryIds(scope, secretName, ids as number[]);
      this.context
        .claims()
        .markWritten(...selectionIdentities(secret, ids as number[]));
    } else {
      await api.selectRepository(scope, secretName, ids as number, true);
      this.context.claims().markWritten(memberIdentity(secret, ids as number));
    }
  }

  private idOf(
    scope: Scope,
    secretName: string,
    inputs: Record<string, unknown>,
  ): string {
    const list = `${secretId(scope, secretName)}/repositories`;
    return this.kind.owns === "list"
      ? list
      : `${list}/${String(inputs[this.shape.ids])}`;
  }

  private outputs(inputs: Record<string, unknown>): Record<string, unknown> {
    const account = accountOf(inputs);
    const outputs: Record<string, unknown> = {
      ...(account !== undefined ? { account } : {}),
      apiHost: this.context.apiHost(account),
      secretName: String(inputs.secretName).toUpperCase(),
      [this.shape.ids]: inputs[this.shape.ids],
    };
    for (const key of this.kind.secret.scope)
      outputs[key.arg] = inputs[key.arg];
    return outputs;
  }
}

function isGone(error: unknown): boolean {
  return (
    error instanceof GitHubError &&
    (error.status === 404 || error.status === 409)
  );
}
