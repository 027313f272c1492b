// Turns the families table into routes. Every family gets the same lifecycle; what differs
// (scope, visibility, selected repositories, legacy path) is read from its row. Each route is
// built once against its documented template and then served at its aliases (servedAt).
import { openSealedBox } from "./crypto";
import {
  byIdTemplate,
  FAMILIES,
  family as familyById,
  type Family,
} from "./families";
import {
  HttpError,
  notFound,
  paginate,
  type Reply,
  type RequestContext,
  type Route,
} from "./http";
import { fullRepository, minimalRepository } from "./repos";
import { resolveScope, type ResolvedScope } from "./scopes";
import {
  invalidSecretName,
  type SecretStore,
  type StoredSecret,
  type Visibility,
} from "./store";
import type { Repository, World } from "./world";

/** GitHub's documented limit for a secret value. */
export const MAX_SECRET_BYTES = 48 * 1024;

export interface Backend {
  world: World;
  store: SecretStore;
  /** Serve environment secrets at `/repositories/{id}/environments/…` only, like an old GHES. */
  legacyEnvironmentSecrets: boolean;
}

/** Seconds precision, like GitHub's timestamps. */
const ts = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

export function buildRoutes(b: Backend): Route[] {
  const routes: Route[] = [];
  for (const f of FAMILIES) {
    const byIdOnly = b.legacyEnvironmentSecrets && f.legacyByIdOnly === true;
    for (const r of familyRoutes(b, f)) routes.push(...servedAt(r, byIdOnly));
  }
  for (const r of repositoryRoutes(b)) routes.push(...servedAt(r, false));
  return routes;
}

/**
 * A route at its documented path and, for a repository-scoped one, at the undocumented
 * `/repositories/{repository_id}/…` alias, validated with the documented path's schemas
 * (`specTemplate`). Handlers resolve either form: resolveScope takes owner/repo or the id.
 */
function servedAt(route: Route, byIdOnly: boolean): Route[] {
  const byId = byIdTemplate(route.specTemplate);
  if (!byId) return [route];
  const alias = { ...route, template: byId };
  return byIdOnly ? [alias] : [route, alias];
}

function familyRoutes(b: Backend, f: Family): Route[] {
  const route = (
    method: string,
    suffix: string,
    handle: Route["handle"],
  ): Route => ({
    method,
    template: f.basePath + suffix,
    specTemplate: f.basePath + suffix,
    write: method !== "GET",
    handle,
  });

  const scopeOf = (ctx: RequestContext): ResolvedScope => {
    const s = resolveScope(b.world, f.scope, {
      ...ctx.params,
      user: ctx.login,
    });
    if (!s) throw notFound();
    return s;
  };
  const stateOf = (ctx: RequestContext) =>
    b.store.scope(f.id, scopeOf(ctx).key);
  const secretOf = (ctx: RequestContext): StoredSecret => {
    const s = stateOf(ctx).secrets.get(ctx.params.secret_name.toUpperCase());
    if (!s) throw notFound();
    return s;
  };
  const render = (ctx: RequestContext, s: StoredSecret) => {
    const out: Record<string, unknown> = {
      name: s.name,
      created_at: ts(s.createdAt),
      updated_at: ts(s.updatedAt),
    };
    const visibility =
      f.visibility === "always-selected" ? "selected" : s.visibility;
    if (f.visibility && visibility) {
      out.visibility = visibility;
      if (visibility === "selected") {
        const path = ctx.rawPath.replace(/\/secrets(\/.*)?$/, "/secrets");
        out.selected_repositories_url = `${ctx.apiUrl}${path}/${s.name}/repositories`;
      }
    }
    return out;
  };
  // Org secrets may only select repositories of that org; user secrets any repository.
  const repositoryIds = (ctx: RequestContext, raw: unknown[]): number[] => {
    const owner = scopeOf(ctx).owner;
    const ids = raw.map((v) => Number(v));
    for (const id of ids) {
      const repo = Number.isInteger(id)
        ? b.world.repositoryById(id)
        : undefined;
      if (!repo || (f.scope === "org" && repo.owner !== owner)) {
        throw new HttpError(
          422,
          `Invalid request.\n\nRepository ${String(id)} is not a repository of ${owner.login}.`,
        );
      }
    }
    return [...new Set(ids)];
  };
  const selectable = (s: StoredSecret) => {
    if (f.visibility === "settable" && s.visibility !== "selected") {
      throw new HttpError(
        409,
        "The visibility of this secret is not 'selected'.",
      );
    }
  };

  const routes: Route[] = [
    route("GET", "", (ctx) => {
      const all = [...stateOf(ctx).secrets.values()].sort((x, y) =>
        x.name.localeCompare(y.name),
      );
      const page = paginate(ctx, all);
      return {
        status: 200,
        body: {
          total_count: all.length,
          secrets: page.items.map((s) => render(ctx, s)),
        },
        headers: page.headers,
      };
    }),
    route("GET", "/public-key", (ctx) => {
      const kp = stateOf(ctx).keyPair;
      return { status: 200, body: { key_id: kp.keyId, key: kp.key } };
    }),
    route("GET", "/{secret_name}", (ctx) => ({
      status: 200,
      body: render(ctx, secretOf(ctx)),
    })),
    route("PUT", "/{secret_name}", (ctx) => putSecret(ctx)),
    route("DELETE", "/{secret_name}", (ctx) => {
      const state = stateOf(ctx);
      if (!state.secrets.delete(ctx.params.secret_name.toUpperCase()))
        throw notFound();
      return { status: 204 };
    }),
  ];

  const putSecret = (ctx: RequestContext): Reply => {
    const name = ctx.params.secret_name;
    const state = stateOf(ctx);
    const reason = invalidSecretName(name);
    if (reason) throw new HttpError(422, reason);
    const body = ctx.body ?? {};
    const existing = state.secrets.get(name.toUpperCase());
    let value = existing?.value;
    let keyId = existing?.keyId ?? state.keyPair.keyId;
    if (typeof body.encrypted_value === "string") {
      if (typeof body.key_id !== "string")
        throw new HttpError(
          422,
          `Invalid request.\n\n"key_id" wasn't supplied.`,
        );
      if (body.key_id !== state.keyPair.keyId) {
        throw new HttpError(
          422,
          `Bad request - key_id ${body.key_id} is not the current public key of this scope.`,
        );
      }
      const plain = openSealedBox(body.encrypted_value, state.keyPair);
      if (!plain)
        throw new HttpError(
          422,
          "Bad request - encrypted_value could not be decrypted with the public key.",
        );
      if (plain.length > MAX_SECRET_BYTES)
        throw new HttpError(422, "Secret value is too large (at most 48 KB).");
      value = plain.toString("utf8");
      keyId = body.key_id;
    }
    if (value === undefined)
      throw new HttpError(
        422,
        `Invalid request.\n\n"encrypted_value" wasn't supplied.`,
      );

    let visibility = existing?.visibility;
    let selected = existing?.selectedRepositoryIds ?? [];
    const rawIds = Array.isArray(body.selected_repository_ids)
      ? body.selected_repository_ids
      : undefined;
    if (f.visibility === "settable") {
      visibility =
        (body.visibility as Visibility | undefined) ?? visibility ?? "all";
      selected =
        visibility !== "selected"
          ? []
          : rawIds
            ? repositoryIds(ctx, rawIds)
            : selected;
    } else if (f.selectedRepositories && rawIds) {
      selected = repositoryIds(ctx, rawIds);
    }
    const now = new Date();
    state.secrets.set(name.toUpperCase(), {
      name: name.toUpperCase(),
      value,
      keyId,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      visibility,
      selectedRepositoryIds: selected,
    });
    return existing ? { status: 204 } : { status: 201, body: {} };
  };

  if (f.selectedRepositories) {
    routes.push(
      route("GET", "/{secret_name}/repositories", (ctx) => {
        const s = secretOf(ctx);
        selectable(s);
        const repos = s.selectedRepositoryIds
          .map((id) => b.world.repositoryById(id))
          .filter(isRepo);
        const page = ctx.op?.paginated
          ? paginate(ctx, repos)
          : { items: repos, headers: {} };
        return {
          status: 200,
          body: {
            total_count: repos.length,
            repositories: page.items.map((r) =>
              minimalRepository(ctx.apiUrl, r),
            ),
          },
          headers: page.headers,
        };
      }),
      route("PUT", "/{secret_name}/repositories", (ctx) => {
        const s = secretOf(ctx);
        selectable(s);
        s.selectedRepositoryIds = repositoryIds(
          ctx,
          (ctx.body?.selected_repository_ids as unknown[]) ?? [],
        );
        return { status: 204 };
      }),
      route("PUT", "/{secret_name}/repositories/{repository_id}", (ctx) => {
        const s = secretOf(ctx);
        selectable(s);
        const [id] = repositoryIds(ctx, [ctx.params.repository_id]);
        if (!s.selectedRepositoryIds.includes(id))
          s.selectedRepositoryIds.push(id);
        return { status: 204 };
      }),
      route("DELETE", "/{secret_name}/repositories/{repository_id}", (ctx) => {
        const s = secretOf(ctx);
        selectable(s);
        const [id] = repositoryIds(ctx, [ctx.params.repository_id]);
        s.selectedRepositoryIds = s.selectedRepositoryIds.filter(
          (x) => x !== id,
        );
        return { status: 204 };
      }),
    );
  }

  if (f.organizationSecrets) {
    const { path, orgFamily } = f.organizationSecrets;
    routes.push({
      method: "GET",
      template: path,
      specTemplate: path,
      write: false,
      handle: (ctx) => {
        const repo = scopeOf(ctx).repo!;
        const org = familyById(orgFamily);
        const visible =
          repo.owner.type !== "Organization"
            ? []
            : b.store
                .sortedSecrets(org.id, `org:${repo.owner.id}`)
                .filter((s) => visibleTo(s, repo));
        const page = paginate(ctx, visible);
        return {
          status: 200,
          body: {
            total_count: visible.length,
            secrets: page.items.map((s) => ({
              name: s.name,
              created_at: ts(s.createdAt),
              updated_at: ts(s.updatedAt),
            })),
          },
          headers: page.headers,
        };
      },
    });
  }
  return routes;
}

/** Which org secrets a repository receives, by visibility. */
function visibleTo(s: StoredSecret, repo: Repository): boolean {
  if (s.visibility === "selected")
    return s.selectedRepositoryIds.includes(repo.id);
  if (s.visibility === "private") return repo.private;
  return true;
}

const isRepo = (r: Repository | undefined): r is Repository => r !== undefined;

/** Lookups clients use to turn owner/name into repository ids (served by id as well). */
function repositoryRoutes(b: Backend): Route[] {
  return [
    {
      method: "GET",
      template: "/repos/{owner}/{repo}",
      specTemplate: "/repos/{owner}/{repo}",
      write: false,
      handle: (ctx) => {
        const repo = resolveScope(b.world, "repo", ctx.params)?.repo;
        if (!repo) throw notFound();
        return { status: 200, body: fullRepository(ctx.apiUrl, repo) };
      },
    },
    {
      method: "GET",
      template: "/orgs/{org}/repos",
      specTemplate: "/orgs/{org}/repos",
      write: false,
      handle: (ctx) => {
        const org = b.world.org(ctx.params.org);
        if (!org) throw notFound();
        const type = ctx.query.get("type");
        const repos = [...org.repositories.values()]
          .filter((r) =>
            type === "private"
              ? r.private
              : type === "public"
                ? !r.private
                : true,
          )
          .sort((x, y) => x.id - y.id);
        const page = paginate(ctx, repos);
        return {
          status: 200,
          body: page.items.map((r) => minimalRepository(ctx.apiUrl, r)),
          headers: page.headers,
        };
      },
    },
  ];
}
