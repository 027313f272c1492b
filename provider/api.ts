// GitHub's secrets endpoints, for any kind in the table: the routes are the row's collection
// plus GitHub's fixed suffixes (/public-key, /{secret_name}, /{secret_name}/repositories).

import {
  createClient,
  describeFailure,
  GitHubError,
  statusOf,
  type GitHubClient,
  type GitHubResponse,
} from "./github";
import { configText } from "./config";
import { Memo } from "./memo";
import { seal, type PublicKey } from "./seal";
import { describeSecret, scopeOf, type Scope } from "./scope";
import type { Settings } from "./settings";
import type { Visibility } from "./types";

/** A secret as GitHub lists it (never with its value: GitHub cannot return one). */
export interface ListedSecret {
  name: string;
  created_at: string;
  updated_at: string;
  visibility?: Visibility;
}

export interface WriteRequest {
  secretName: string;
  /** Plaintext to seal for the scope's current key, or a value the user sealed already. */
  value: { plaintext: string } | { encryptedValue: string; keyId: string };
  visibility?: Visibility;
  selectedRepositoryIds?: number[];
}

export interface WriteResult {
  created: boolean;
  keyId: string;
  /** GitHub's clock at the write (the response's Date header), in GitHub's timestamp format. */
  at: string;
}

const pageSize = 100;

/**
 * Everything one provider process shares across resources: the client, the public key of each
 * scope, and each scope's secret listing (so a refresh of n secrets costs one list request per
 * 100 secrets of a scope, not n requests).
 */
export class SecretsApi {
  private client?: GitHubClient;
  private readonly keys = new Memo<PublicKey>();
  private readonly listings = new Memo<Map<string, ListedSecret>>();
  /** The server lacks the modern route of a kind with `legacyCollection` (old GHES). */
  private legacyServer = false;
  /** Repository ids by lower-cased "owner/name": each name is resolved once per process. */
  private readonly repositoryIds = new Memo<number>();
  /** Per scope: whether the server serves only the legacy route (see servesOnlyLegacy). */
  private readonly legacyProbes = new Memo<boolean>();
  /** Current owner and name by repository id, for redirects of moved repositories. */
  private readonly repositoryNames = new Memo<{
    owner: string;
    repository: string;
  }>();

  constructor(
    readonly settings: Settings,
    /** A named account: a 401 then points at its token, not at github:token. */
    private readonly account?: string,
    /** How the user is told something (that GitHub is pacing the run). */
    private readonly tell: (message: string) => void = () => {},
  ) {}

  private github(): GitHubClient {
    this.client ??= createClient(this.settings, (message) =>
      this.tell(
        this.account === undefined
          ? message
          : `account "${this.account}": ${message}`,
      ),
    );
    return this.client;
  }

  private async call<T>(
    scope: Scope,
    secretName: string | undefined,
    action: string,
    route: string,
    parameters: Record<string, unknown>,
  ): Promise<GitHubResponse<T>> {
    const what = () =>
      secretName
        ? describeSecret(scope, secretName)
        : `${scope.kind.name} secrets of ${scope.label}`;
    const describe = (error: unknown) => {
      const failure =
        error instanceof GitHubError
          ? error.about(what())
          : describeFailure(what(), action, error, this.settings.baseUrl);
      return this.account !== undefined && failure.status === 401
        ? failure.advising(
            `the token of account "${this.account}" is missing, expired or revoked: check its token in ${configText("github-secrets:accounts")}`,
          )
        : failure;
    };
    const legacy =
      scope.kind.legacyCollection !== undefined && this.legacyServer;
    let response: GitHubResponse<T>;
    try {
      response = await this.send<T>(scope, route, parameters, legacy);
    } catch (error) {
      if (
        legacy ||
        statusOf(error) !== 404 ||
        !(await this.servesOnlyLegacy(scope, route))
      )
        throw describe(error);
      // Every later request of this process uses the legacy route.
      this.legacyServer = true;
      try {
        response = await this.send<T>(scope, route, parameters, true);
      } catch (retried) {
        throw describe(retried);
      }
    }
    // Only writes and deletes see a redirect (traffic.ts does not follow theirs).
    if (isRedirect(response.status))
      throw new RepositoryMoved(
        what(),
        `${action} failed: GitHub answered ${response.status}: the repository moved (renamed or transferred)`,
        response.status,
        String(response.headers.location ?? ""),
      );
    return response;
  }

  private async send<T>(
    scope: Scope,
    route: string,
    parameters: Record<string, unknown>,
    legacy: boolean,
  ): Promise<GitHubResponse<T>> {
    const { collection, legacyCollection } = scope.kind;
    return this.github().request<T>(
      legacy ? route.replace(collection, legacyCollection!) : route,
      {
        ...scope.params,
        ...parameters,
        ...(legacy
          ? {
              repository_id: await this.repositoryId(
                scope.params.owner ?? "",
                scope.params.repo ?? "",
              ),
            }
          : {}),
        ...versionHeader(scope),
      },
    );
  }

  /**
   * Whether a 404 came from an older Enterprise Server that lacks the kind's modern route but
   * serves its `legacyCollection` for this repository. Any request may be the process's first
   * (a destroy starts with a DELETE), and a 404 there is ambiguous (secret gone, or route
   * missing): the scope's public key on both routes tells, once per scope and process.
   */
  private servesOnlyLegacy(scope: Scope, route: string): Promise<boolean> {
    if (scope.kind.legacyCollection === undefined)
      return Promise.resolve(false);
    const keyRoute = `GET ${scope.kind.collection}/public-key`;
    const answers = (legacy: boolean) =>
      this.send(scope, keyRoute, {}, legacy).then(
        () => true,
        () => false,
      );
    return this.legacyProbes.get(scope.path, async () =>
      route === keyRoute
        ? answers(true)
        : !(await answers(false)) && (await answers(true)),
    );
  }

  publicKey(scope: Scope): Promise<PublicKey> {
    return this.keys.get(scope.path, async () => {
      const { data } = await this.call<{ key_id: string; key: string }>(
        scope,
        undefined,
        "fetching the public key",
        `GET ${scope.kind.collection}/public-key`,
        {},
      );
      return { keyId: data.key_id, key: data.key };
    });
  }

  async write(scope: Scope, request: WriteRequest): Promise<WriteResult> {
    try {
      return await this.sealAndPut(scope, request);
    } catch (error) {
      if (!(error instanceof RepositoryMoved)) throw error;
      // Not written through the redirect: the program names a repository that is not there any
      // more, and writing elsewhere than the state says would hide the secret from delete and
      // from the one-resource-per-secret check.
      const target = await this.movedScope(scope, error.location);
      throw error.advising(
        target
          ? `it is now ${target.label}: name it there in the program; nothing was written`
          : "name the repository by its new name in the program; nothing was written",
      );
    }
  }

  private async sealAndPut(
    scope: Scope,
    request: WriteRequest,
  ): Promise<WriteResult> {
    this.listings.forget(scope.path);
    const { value } = request;
    if ("encryptedValue" in value)
      return this.put(scope, request, value.encryptedValue, value.keyId);
    const key = await this.publicKey(scope).catch((error: unknown) => {
      throw error instanceof GitHubError
        ? error.about(describeSecret(scope, request.secretName))
        : error;
    });
    try {
      return await this.put(
        scope,
        request,
        await seal(value.plaintext, key.key),
        key.keyId,
      );
    } catch (error) {
      // GitHub answers 422 to a value sealed for a key it has rotated away: fetch the key again
      // and, if it did change, seal once more. PUT is idempotent, so the retry is safe.
      if ((error as GitHubError).status !== 422) throw error;
      this.keys.forget(scope.path);
      const fresh = await this.publicKey(scope);
      if (fresh.keyId === key.keyId) throw error;
      return this.put(
        scope,
        request,
        await seal(value.plaintext, fresh.key),
        fresh.keyId,
      );
    }
  }

  private async put(
    scope: Scope,
    request: WriteRequest,
    encryptedValue: string,
    keyId: string,
  ): Promise<WriteResult> {
    const response = await this.call(
      scope,
      request.secretName,
      "writing the secret",
      `PUT ${scope.kind.collection}/{secret_name}`,
      {
        secret_name: request.secretName,
        encrypted_value: encryptedValue,
        key_id: keyId,
        ...(scope.kind.visibility ? { visibility: request.visibility } : {}),
        ...(scope.kind.selectedRepositories &&
        request.selectedRepositoryIds !== undefined
          ? { selected_repository_ids: request.selectedRepositoryIds }
          : {}),
      },
    );
    return {
      created: response.status === 201,
      keyId,
      at: githubTime(response.headers.date),
    };
  }

  /**
   * Deletes the secret. "absent": GitHub's 404, someone deleted it already. "moved": the
   * repository was renamed or transferred and GitHub redirected the DELETE; nothing was deleted,
   * and the caller decides whether `deleteMoved` may follow (deletion.ts).
   */
  async delete(scope: Scope, secretName: string): Promise<DeleteOutcome> {
    this.listings.forget(scope.path);
    try {
      await this.call(
        scope,
        secretName,
        "deleting the secret",
        `DELETE ${scope.kind.collection}/{secret_name}`,
        { secret_name: secretName },
      );
      return { outcome: "deleted" };
    } catch (error) {
      if ((error as GitHubError).status === 404) return { outcome: "absent" };
      if (!(error instanceof RepositoryMoved)) throw error;
      const target = await this.movedScope(scope, error.location);
      if (!target) throw error.advising(unfollowable);
      return { outcome: "moved", target, location: error.location };
    }
  }

  /** Repeats a redirected DELETE at GitHub's Location, once: a second redirect is an error. */
  async deleteMoved(
    target: Scope,
    secretName: string,
    location: string,
  ): Promise<void> {
    this.listings.forget(target.path);
    const what = describeSecret(target, secretName);
    let response: GitHubResponse;
    try {
      response = await this.github().request(`DELETE ${location}`, {
        ...versionHeader(target),
      });
    } catch (error) {
      if (statusOf(error) === 404) return;
      throw describeFailure(
        what,
        "deleting the secret",
        error,
        this.settings.baseUrl,
      );
    }
    if (isRedirect(response.status))
      throw new GitHubError(
        what,
        `deleting the secret failed: GitHub answered ${response.status} again at the repository's new location`,
        response.status,
        unfollowable,
      );
  }

  /**
   * The scope a redirect points at: GitHub's Location names the repository by id only
   * (`/repositories/{id}/…`), so ask for its current owner and name (`GET /repositories/{id}`,
   * one request, only when a repository moved). Undefined when the Location is not a
   * repository of this API host.
   */
  private async movedScope(
    scope: Scope,
    location: string,
  ): Promise<Scope | undefined> {
    const id = repositoryIdIn(location, this.settings.baseUrl);
    if (id === undefined || scope.args.repository === undefined)
      return undefined;
    const current = await this.repositoryNames.get(String(id), () =>
      this.github()
        .request<{
          name: string;
          owner: { login: string };
        }>("GET /repositories/{repository_id}", { repository_id: id })
        .then(
          ({ data }) => ({ owner: data.owner.login, repository: data.name }),
          (error: unknown) => {
            throw describeFailure(
              `repository ${id}`,
              "looking up where the repository moved",
              error,
              this.settings.baseUrl,
            );
          },
        ),
    );
    return scopeOf(scope.kind, { ...scope.args, ...current });
  }

  /** One secret's metadata, from the scope's listing (shared by every read of the scope). */
  async find(
    scope: Scope,
    secretName: string,
  ): Promise<ListedSecret | undefined> {
    const listing = await this.listings.get(scope.path, () => this.list(scope));
    return listing.get(secretName.toUpperCase());
  }

  /** Names of every secret of the scope (upper case), from the shared listing. */
  async names(scope: Scope): Promise<string[]> {
    const listing = await this.listings.get(scope.path, () => this.list(scope));
    return [...listing.keys()];
  }

  private async list(scope: Scope): Promise<Map<string, ListedSecret>> {
    const secrets = new Map<string, ListedSecret>();
    for (let page = 1; ; page++) {
      const { data, headers } = await this.call<{
        total_count: number;
        secrets: ListedSecret[];
      }>(scope, undefined, "listing secrets", `GET ${scope.kind.collection}`, {
        per_page: pageSize,
        page,
      });
      for (const secret of data.secrets)
        secrets.set(secret.name.toUpperCase(), secret);
      if (!hasNextPage(headers.link) || data.secrets.length === 0)
        return secrets;
    }
  }

  /** Ids of the repositories an organization (or user) secret is visible to. */
  async selectedRepositoryIds(
    scope: Scope,
    secretName: string,
  ): Promise<number[]> {
    const ids: number[] = [];
    for (let page = 1; ; page++) {
      const { data, headers } = await this.call<{
        repositories: { id: number }[];
      }>(
        scope,
        secretName,
        "listing selected repositories",
        `GET ${scope.kind.collection}/{secret_name}/repositories`,
        { secret_name: secretName, per_page: pageSize, page },
      );
      ids.push(...data.repositories.map((repository) => repository.id));
      if (!hasNextPage(headers.link) || data.repositories.length === 0)
        return ids.sort((a, b) => a - b);
    }
  }

  /** Replaces the whole list of repositories an organization (or user) secret is visible to. */
  async setSelectedRepositoryIds(
    scope: Scope,
    secretName: string,
    ids: number[],
  ): Promise<void> {
    await this.call(
      scope,
      secretName,
      "replacing the selected repositories",
      `PUT ${scope.kind.collection}/{secret_name}/repositories`,
      { secret_name: secretName, selected_repository_ids: ids },
    );
  }

  /** Adds one repository to the selection, or removes it (removing an absent one succeeds). */
  async selectRepository(
    scope: Scope,
    secretName: string,
    id: number,
    selected: boolean,
  ): Promise<void> {
    await this.call(
      scope,
      secretName,
      `${selected ? "adding" : "removing"} repository ${id} ${selected ? "to" : "from"} the selection`,
      `${selected ? "PUT" : "DELETE"} ${scope.kind.collection}/{secret_name}/repositories/{repository_id}`,
      { secret_name: secretName, repository_id: id },
    );
  }

  /** The id of repository owner/name, asked once per process; unknown names fail in one line. */
  repositoryId(owner: string, name: string): Promise<number> {
    return this.repositoryIds.get(`${owner}/${name}`.toLowerCase(), () =>
      this.github()
        .request<{ id: number }>("GET /repos/{owner}/{repo}", {
          owner,
          repo: name,
        })
        .then(
          ({ data }) => data.id,
          (error: unknown) => {
            throw describeFailure(
              `repository ${owner}/${name}`,
              "looking up the repository id",
              error,
              this.settings.baseUrl,
            );
          },
        ),
    );
  }
}

/** What a DELETE did; see SecretsApi.delete. */
export type DeleteOutcome =
  | { outcome: "deleted" }
  | { outcome: "absent" }
  | { outcome: "moved"; target: Scope; location: string };

/** A write or delete GitHub redirected: the repository was renamed or transferred. */
export class RepositoryMoved extends GitHubError {
  constructor(
    what: string,
    detail: string,
    status: number,
    /** GitHub's Location: `<base>/repositories/{id}/…`. */
    readonly location: string,
  ) {
    super(what, detail, status);
  }
}

const unfollowable =
  "GitHub's redirect does not lead to a repository of this API host; nothing was deleted";

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 307 || status === 308;
}

/** The repository id of a Location on the API host, e.g. …/repositories/101/actions/secrets/X. */
function repositoryIdIn(location: string, baseUrl: string): number | undefined {
  let url: URL;
  try {
    url = new URL(location, baseUrl);
  } catch {
    return undefined;
  }
  const base = new URL(baseUrl);
  const prefix = `${base.pathname.replace(/\/+$/, "")}/repositories/`;
  if (url.origin !== base.origin || !url.pathname.startsWith(prefix))
    return undefined;
  const id = url.pathname.slice(prefix.length).split("/")[0] ?? "";
  return /^\d+$/.test(id) ? Number(id) : undefined;
}

/** `X-GitHub-Api-Version` for kinds documented only under a newer version (agents). */
function versionHeader(scope: Scope): Record<string, unknown> {
  return scope.kind.apiVersion
    ? { headers: { "x-github-api-version": scope.kind.apiVersion } }
    : {};
}

function hasNextPage(link: string | number | undefined): boolean {
  return typeof link === "string" && /rel="next"/.test(link);
}

/** GitHub's timestamps are whole seconds in UTC ("2026-11-22T01:42:47Z"). */
export function githubTime(date: string | number | undefined): string {
  const parsed = date === undefined ? new Date() : new Date(date);
  const at = Number.isNaN(parsed.getTime()) ? new Date() : parsed;
  return at.toISOString().replace(/\.\d{3}Z$/, "Z");
}
