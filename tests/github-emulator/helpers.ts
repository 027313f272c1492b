// Test helpers: a tiny fetch-based client, the way a real one talks to GitHub (real HTTP).
import {
  FAMILIES,
  sealForKey,
  type Emulator,
  type Family,
  type FamilyId,
} from "../../tools/github-emulator";

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: unknown;
  // Convenience for assertions on GitHub's JSON objects.
  json: Record<string, unknown>;
  /** Where the answer came from: differs from the request's URL after a followed redirect. */
  url: string;
  redirected: boolean;
}

export interface RequestOptions {
  body?: unknown;
  /** null: no Authorization header. Default: the emulator's write token. */
  token?: string | null;
  headers?: Record<string, string>;
  /** "manual" hands a 3xx back as is, the way a client sees it before deciding to follow. */
  redirect?: RequestInit["redirect"];
}

/** `target` is a path under the emulator's URL or an absolute URL (a Location header). */
export async function request(
  e: Emulator,
  method: string,
  target: string,
  o: RequestOptions = {},
): Promise<ApiResponse> {
  const token = o.token === undefined ? e.token : o.token;
  const headers: Record<string, string> = {
    accept: "application/vnd.github+json",
    ...(o.headers ?? {}),
  };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (o.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(target.startsWith("/") ? e.url + target : target, {
    method,
    headers,
    body:
      o.body === undefined
        ? undefined
        : typeof o.body === "string"
          ? o.body
          : JSON.stringify(o.body),
    redirect: o.redirect ?? "follow",
  });
  const text = await res.text();
  const parsed = text ? JSON.parse(text) : undefined;
  return {
    status: res.status,
    headers: res.headers,
    body: parsed,
    json: (parsed ?? {}) as Record<string, unknown>,
    url: res.url,
    redirected: res.redirected,
  };
}

export function api(
  e: Emulator,
  method: string,
  path: string,
  body?: unknown,
  token: string | null = e.token,
  extraHeaders: Record<string, string> = {},
): Promise<ApiResponse> {
  return request(e, method, path, { body, token, headers: extraHeaders });
}

/** Where each family's secrets live in the default world. */
export interface FamilyCase {
  family: Family;
  id: FamilyId;
  /** Concrete collection path, percent-encoded. */
  base: string;
  /** Selector for the in-process controls. */
  scope: string;
}

export function familyCase(
  f: Family,
  where: { owner?: string; repo?: string; environment?: string } = {},
): FamilyCase {
  const owner = where.owner ?? "acme";
  const repo = where.repo ?? "api";
  const environment = where.environment ?? "prod";
  const base = f.basePath
    .replace("{owner}", encodeURIComponent(owner))
    .replace("{org}", encodeURIComponent(owner))
    .replace("{repo}", encodeURIComponent(repo))
    .replace("{environment_name}", encodeURIComponent(environment));
  const scope =
    f.scope === "org"
      ? owner
      : f.scope === "user"
        ? "octocat"
        : f.scope === "repo"
          ? `${owner}/${repo}`
          : `${owner}/${repo}/${environment}`;
  return { family: f, id: f.id, base, scope };
}

export const FAMILY_CASES: FamilyCase[] = FAMILIES.map((f) => familyCase(f));

/** Extra body fields a family requires on PUT (org secrets need a visibility). */
export function putExtras(f: Family): Record<string, unknown> {
  return f.visibility === "settable" ? { visibility: "all" } : {};
}

export async function publicKey(
  e: Emulator,
  base: string,
): Promise<{ key_id: string; key: string }> {
  const r = await api(e, "GET", `${base}/public-key`);
  expect(r.status).toBe(200);
  return r.json as { key_id: string; key: string };
}

/** Seals like a client and PUTs; returns the response. */
export async function putSecret(
  e: Emulator,
  c: FamilyCase,
  name: string,
  value: string,
  extra: Record<string, unknown> = {},
): Promise<ApiResponse> {
  const pk = await publicKey(e, c.base);
  return api(e, "PUT", `${c.base}/${name}`, {
    encrypted_value: sealForKey(value, pk.key),
    key_id: pk.key_id,
    ...putExtras(c.family),
    ...extra,
  });
}

/**
 * Every file ends with this: close the server first (a failed assertion must not leave it
 * running and keep jest alive), then check the emulator never answered outside GitHub's description.
 */
export async function closeAndCheck(e: Emulator | undefined): Promise<void> {
  if (!e) return;
  await e.close();
  expect(e.schemaViolations("response")).toEqual([]);
}

/**
 * One call of the emulator's inspection API (`/_emulator/…`, served with `inspection: true`):
 * plain JSON over HTTP, no GitHub token.
 */
export async function inspect<Body = Record<string, unknown>>(
  e: Emulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Body }> {
  const res = await fetch(`${e.url}/_emulator/${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Body };
}

/** Parses an RFC 5988 Link header into rel → URL. */
export function parseLink(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? "").split(",")) {
    const m = /<([^>]+)>;\s*rel="(\w+)"/.exec(part.trim());
    if (m) out[m[2]] = m[1];
  }
  return out;
}
