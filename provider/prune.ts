// The pruning half of a SecretSet (sdk/secret-set.ts): deletes the secrets of one scope that the
// set does not declare. check lists the scope and puts the names it would delete into the inputs
// (`willDelete`), so `pulumi preview --diff` shows them before anything is deleted; create and
// update list the scope again and delete what is still undeclared. Opt-in: only with prune: true.

import type * as dynamic from "@pulumi/pulumi/dynamic";
import {
  accountOf,
  checkedAccount,
  newApiHost,
  type ProviderContext,
} from "./context";
import { deleteSecretUnlessHeld } from "./deletion";
import { accountChanged, otherHost } from "./diff";
import { kinds, type SecretKind } from "./kinds";
import { scopeOf } from "./scope";
import { isUnknown, type CheckFailure, type DiffResult } from "./types";
import { checkAccount, checkScopeKey } from "./validate";

export interface PruneOutputs {
  kind: string;
  account?: string;
  apiHost?: string;
  /** Names the set declares (upper case). */
  keep: string[];
  /** Undeclared names found at the last check, create, update or refresh. */
  willDelete: string[];
  [scopeArg: string]: unknown;
}

export class PruneLifecycle implements dynamic.ResourceProvider {
  constructor(private readonly context: ProviderContext) {}

  async check(
    _olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<dynamic.CheckResult> {
    const inputs: Record<string, unknown> = { ...news };
    const failures: CheckFailure[] = [];
    const fail = (property: string, reason: string) =>
      failures.push({ property, reason });
    const kind = kindOf(inputs.kind);
    if (!kind) {
      fail("kind", `kind must be one of ${Object.keys(kinds).join(", ")}`);
      return { inputs, failures };
    }
    checkAccount(inputs, fail);
    const checked = checkedAccount(this.context, accountOf(inputs));
    for (const key of kind.scope)
      checkScopeKey(
        key,
        inputs,
        this.context.config(),
        this.context.env(),
        fail,
        checked.named,
      );
    if (!Array.isArray(inputs.keep) || isUnknown(inputs.keep))
      fail("keep", "keep must be the list of declared secret names");
    failures.push(...checked.failures);
    if (failures.length > 0) return { inputs, failures };
    inputs.keep = (inputs.keep as string[]).map((n) => n.toUpperCase()).sort();
    inputs.willDelete = kind.scope.some((key) => isUnknown(inputs[key.arg]))
      ? []
      : await this.undeclared(kind, inputs);
    return { inputs, failures };
  }

  async diff(
    _id: string,
    olds: PruneOutputs,
    news: Record<string, unknown>,
  ): Promise<DiffResult> {
    const kind = kindOf(news.kind);
    const scopeArgs = kind?.scope.map((key) => key.arg) ?? [];
    const replaces = ["kind", ...scopeArgs].filter(
      (p) =>
        isUnknown(news[p]) ||
        String(olds[p]).toUpperCase() !== String(news[p]).toUpperCase(),
    );
    // Pruning another host's scope is another resource; another account on the host is not.
    if (otherHost(olds.apiHost, newApiHost(this.context, news)))
      replaces.push("account");
    const updates = [
      ...(!replaces.includes("account") &&
      accountChanged(olds.account, news.account)
        ? ["account"]
        : []),
      ...(JSON.stringify(olds.keep) !== JSON.stringify(news.keep)
        ? ["keep"]
        : []),
      ...(Array.isArray(news.willDelete) && news.willDelete.length > 0
        ? ["willDelete"]
        : []),
    ];
    const changes = replaces.length > 0 || updates.length > 0;
    return { changes, replaces, updates, deleteBeforeReplace: false };
  }

  async create(inputs: Record<string, unknown>): Promise<dynamic.CreateResult> {
    const kind = kindOf(inputs.kind)!;
    await this.prune(kind, inputs);
    return {
      id: `${scopeOf(kind, inputs).path.replace(/^\//, "")}#prune`,
      outs: { ...inputs, willDelete: [], apiHost: this.hostOf(inputs) },
    };
  }

  async update(
    _id: string,
    _olds: PruneOutputs,
    news: Record<string, unknown>,
  ): Promise<dynamic.UpdateResult> {
    await this.prune(kindOf(news.kind)!, news);
    return { outs: { ...news, willDelete: [], apiHost: this.hostOf(news) } };
  }

  async read(id: string, props: PruneOutputs): Promise<dynamic.ReadResult> {
    const kind = kindOf(props.kind)!;
    return {
      id,
      props: { ...props, willDelete: await this.undeclared(kind, props) },
    };
  }

  /** Removing the set (or prune: false) deletes nothing more. */
  async delete(): Promise<void> {}

  private async undeclared(
    kind: SecretKind,
    props: Record<string, unknown>,
  ): Promise<string[]> {
    const keep = new Set((props.keep as string[]).map((n) => n.toUpperCase()));
    const names = await this.context
      .api(accountOf(props))
      .names(scopeOf(kind, props));
    return names.filter((name) => !keep.has(name)).sort();
  }

  private async prune(
    kind: SecretKind,
    props: Record<string, unknown>,
  ): Promise<void> {
    const scope = scopeOf(kind, props);
    for (const name of await this.undeclared(kind, props))
      await deleteSecretUnlessHeld(this.context, scope, name, accountOf(props));
  }

  private hostOf(props: Record<string, unknown>): string {
    return this.context.apiHost(accountOf(props));
  }
}

function kindOf(name: unknown): SecretKind | undefined {
  return typeof name === "string"
    ? (kinds as Record<string, SecretKind>)[name]
    : undefined;
}
