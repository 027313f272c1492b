// The small vocabulary shared by the router, the handlers and the server.
import type { OperationInfo } from "./openapi";

/** A GitHub-style error: becomes `{message, documentation_url, status}` with this status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface Reply {
  status: number;
  /** undefined: no body (204). */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RequestContext {
  method: string;
  /** Decoded path parameters, e.g. environment_name "production env/with space". */
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown> | undefined;
  /** Login of the token's user; /user/... paths act on it. */
  login: string;
  /** Base URL including the path prefix, e.g. http://127.0.0.1:4567/api/v3. */
  apiUrl: string;
  /** Path after the prefix, as received (percent-encoded); Link headers point back to it. */
  rawPath: string;
  op: OperationInfo | undefined;
}

export interface Route {
  method: string;
  /** Template served, e.g. "/repositories/{repository_id}/environments/{environment_name}/secrets". */
  template: string;
  /** Template in the OpenAPI description used for validation (legacy paths borrow the modern one). */
  specTemplate: string;
  /** Needs a token with write permission; costs 5 secondary-limit points. */
  write: boolean;
  handle(ctx: RequestContext): Reply;
}

export const notFound = (): HttpError => new HttpError(404, "Not Found");

/**
 * The most specific route for the path: where several templates match, a literal segment beats a
 * parameter at the first position they differ, so ".../secrets/public-key" is never taken for a
 * secret named "public-key", whatever order the routes were built in.
 */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  segments: readonly string[],
): { route: Route; params: Record<string, string> } | undefined {
  let best:
    | { route: Route; params: Record<string, string>; literals: boolean[] }
    | undefined;
  for (const route of routes) {
    if (route.method !== method) continue;
    const parts = route.template.split("/").filter(Boolean);
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const literals: boolean[] = [];
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const m = /^\{(\w+)\}$/.exec(parts[i]);
      literals.push(!m);
      if (m) params[m[1]] = segments[i];
      else ok = parts[i] === segments[i];
    }
    if (ok && (!best || moreSpecific(literals, best.literals)))
      best = { route, params, literals };
  }
  return best && { route: best.route, params: best.params };
}

function moreSpecific(a: readonly boolean[], b: readonly boolean[]): boolean {
  const i = a.findIndex((literal, j) => literal !== b[j]);
  return i >= 0 && a[i];
}

/** GitHub's pagination: per_page (default 30, at most 100), page, and an RFC 5988 Link header. */
export function paginate<T>(
  ctx: RequestContext,
  items: readonly T[],
): { items: T[]; headers: Record<string, string> } {
  const rawPer = Number(ctx.query.get("per_page"));
  const perPage =
    Number.isInteger(rawPer) && rawPer > 0 ? Math.min(rawPer, 100) : 30;
  const rawPage = Number(ctx.query.get("page"));
  const page = Number.isInteger(rawPage) && rawPage > 0 ? rawPage : 1;
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (p: number, rel: string) => {
    const q = new URLSearchParams(ctx.query);
    q.set("per_page", String(perPage));
    q.set("page", String(p));
    return `<${ctx.apiUrl}${ctx.rawPath}?${q.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(Math.min(page - 1, last), "prev"));
  if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
  if (page > 1) links.push(link(1, "first"));
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(", ") } : {},
  };
}

/** GitHub's error body: message, documentation URL, status as a string. */
export function errorReply(
  status: number,
  message: string,
  docs: string,
  headers: Record<string, string> = {},
): Reply {
  return {
    status,
    body: { message, documentation_url: docs, status: String(status) },
    headers,
  };
}
