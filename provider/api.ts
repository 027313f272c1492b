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
import { Memo } from "./memo";
import { seal, type PublicKey } from "./seal";
import type { Scope } from "./scope";
import { describeSecret } from "./scope";
import type { Settings } from "./settings";
import type { Visibility } from "./validate";

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

  constructor(readonly settings: Settings) {}

  private github(): GitHubClient {
    this.client ??= createClient(this.settings);
    return this.client;
  }

  private async call<T>(
    scope: Scope,
    secretName: string | undefined,
    action: string,
    route: string,
    parameters: Record<string, unknown>,
  ): Promise<GitHubResponse<T>> {
    const { apiVersion, collection, legacyCollection } = scope.kind;
    const request = async (legacy: boolean) =>
      this.github().request<T>(
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
          ...(apiVersion
            ? { headers: { "x-github-api-version": apiVersion } }
            : {}),
        },
      );
    const what = () =>
      secretName
        ? describeSecret(scope, secretName)
        : `${scope.kind.name} secrets of ${scope.label}`;
    const legacy = legacyCollection !== undefined && this.legacyServer;
    try {
      return await request(legacy);
    } catch (error) {
      // An older Enterprise Server answers 404 to the modern route; if it serves the legacy one
      // for a repository that exists, every later request of this process uses it.
      if (
        legacyCollection &&
        !legacy &&
        statusOf(error) === 404 &&
        route.endsWith("/public-key")
      ) {
        const response = await request(true).catch(() => undefined);
        if (response) {
          this.legacyServer = true;
          return response;
        }
      }
      if (error instanceof GitHubError) throw error.about(what());
      throw describeFailure(what(), action, error, this.settings.baseUrl);
    }
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

  /** Deletes the secret; true if it existed. GitHub's 404 means someone deleted it already. */
  async delete(scope: Scope, secretName: string): Promise<boolean> {
    this.listings.forget(scope.path);
    try {
      await this.call(
        scope,
        secretName,
        "deleting the secret",
        `DELETE ${scope.kind.collection}/{secret_name}`,
        {
          secret_name: secretName,
        },
      );
      return true;
    } catch (error) {
      if ((error as GitHubError).status === 404) return false;
      throw error;
    }
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

function hasNextPage(link: string | number | undefined): boolean {
  return typeof link === "string" && /rel="next"/.test(link);
}

/** GitHub's timestamps are whole seconds in UTC ("2026-11-22T01:42:47Z"). */
export function githubTime(date: string | number | undefined): string {
  const parsed = date === undefined ? new Date() : new Date(date);
  const at = Number.isNaN(parsed.getTime()) ? new Date() : parsed;
  return at.toISOString().replace(/\.\d{3}Z$/, "Z");
}
