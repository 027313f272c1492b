// The request pipeline: prefix → route → auth → API version → rate limits → latency/faults →
// redirect of a former repository name → permission → body parsing and request validation →
// handler → response validation → send, log.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  installationTokenPath,
  mintInstallationToken,
  type AppSpec,
} from "./apps";
import type { FaultInjector } from "./faults";
import {
  errorReply,
  HttpError,
  matchRoute,
  type Reply,
  type Route,
} from "./http";
import type { RateLimiter } from "./limits";
import type { RequestLog } from "./log";
import type { OpenApiValidator } from "./openapi";
import { repositoryRedirect } from "./redirects";
import type { World } from "./world";

export interface SchemaViolation {
  route: string;
  status: number;
  /** "request" bodies are answered with 422 like GitHub; "response" ones are emulator bugs. */
  direction: "request" | "response";
  message: string;
}

export interface PipelineDeps {
  world: World;
  routes: () => readonly Route[];
  validator: OpenApiValidator;
  limits: RateLimiter;
  faults: FaultInjector;
  log: RequestLog;
  violations: SchemaViolation[];
  pathPrefix: string;
  apiUrl: () => string;
  /** Values GitHub accepts in X-GitHub-Api-Version; anything else is a 400, as on GitHub. */
  apiVersions: readonly string[];
  /** GitHub Apps whose installations may mint tokens. */
  apps: readonly AppSpec[];
  /** In-process test controls over HTTP; undefined unless `inspection: true`. */
  inspection?: (
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    body: string,
  ) => Promise<void>;
}

const MAX_BODY = 5 * 1024 * 1024;
const DOCS = "https://docs.github.com/rest";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function requestId(): string {
  const h = randomBytes(12).toString("hex").toUpperCase();
  return `${h.slice(0, 4)}:${h.slice(4, 8)}:${h.slice(8, 14)}:${h.slice(14, 20)}:${h.slice(20)}`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new HttpError(413, "Payload too large"));
      else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function createHandler(d: PipelineDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    const id = requestId();
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://emulator");
    const rawBody = await readBody(req).catch((e: unknown) => e);

    if (
      !url.pathname.startsWith(d.pathPrefix + "/") &&
      url.pathname !== d.pathPrefix
    ) {
      return send(
        res,
        {
          status: 404,
          body: { message: "Not Found", documentation_url: DOCS },
        },
        {},
      );
    }
    const rawPath = url.pathname.slice(d.pathPrefix.length) || "/";
    if (
      d.inspection &&
      (rawPath === "/_emulator" || rawPath.startsWith("/_emulator/"))
    ) {
      return d.inspection(
        req,
        res,
        rawPath,
        typeof rawBody === "string" ? rawBody : "",
      );
    }

    let segments: string[] | undefined;
    try {
      // Split before decoding so "%2F" stays inside an environment name.
      segments = rawPath.split("/").filter(Boolean).map(decodeURIComponent);
    } catch {
      segments = undefined;
    }
    // A former name would match the /repos/{owner}/{repo}/… routes (and 404 there): it is
    // answered with a redirect instead, whatever follows it in the path.
    const moved = repositoryRedirect(
      d.world,
      method,
      rawPath,
      url.search,
      d.apiUrl(),
    );
    const match = moved
      ? undefined
      : segments && matchRoute(d.routes(), method, segments);
    const routeKey = moved
      ? `${method} (redirect)`
      : match
        ? `${method} ${match.route.template}`
        : `${method} (unmatched)`;
    let status = 0;
    let faultName: string | undefined;
    let release = () => {};
    let dropAnswer = false;
    const token = /^(?:bearer|token)\s+(\S+)\s*$/i.exec(
      req.headers.authorization ?? "",
    )?.[1];
    const principal =
      token === undefined ? undefined : d.world.tokens.get(token);
    const login = principal?.login;
    const finish = (reply: Reply, headers: Record<string, string>) => {
      status = reply.status;
      if (dropAnswer) {
        // The work is done, the client never learns it: retries must be idempotent.
        req.socket.destroy();
        return;
      }
      send(res, reply, {
        "x-github-request-id": id,
        "x-github-media-type": "github.v3; format=json",
        ...headers,
      });
    };
    res.on("close", () => {
      release();
      d.log.add({
        method,
        path: rawPath,
        route: routeKey,
        status,
        fault: faultName,
        ...(login !== undefined ? { login } : {}),
        arrivedAt: started,
        durationMs: Date.now() - started,
        requestId: id,
      });
    });

    // An App trades its signed JWT for an installation token before it has any token.
    const installation =
      method === "POST" ? installationTokenPath.exec(rawPath) : null;
    if (installation && d.apps.length > 0) {
      return finish(
        mintInstallationToken(
          d.world,
          d.apps,
          req.headers.authorization,
          Number(installation[1]),
        ),
        {},
      );
    }
    const docs = match
      ? (d.validator.operation(method, match.route.specTemplate)?.docsUrl ??
        DOCS)
      : DOCS;
    const checked = (reply: Reply, violation: string | undefined): Reply => {
      if (!violation) return reply;
      const message = `emulator response violates GitHub's OpenAPI description (${routeKey} → ${reply.status}): ${violation}`;
      d.violations.push({
        route: routeKey,
        status: reply.status,
        direction: "response",
        message,
      });
      console.error(message);
      return errorReply(500, message, docs);
    };
    if (!principal) {
      return finish(
        errorReply(401, "Bad credentials", "https://docs.github.com/rest"),
        d.limits.headers("anonymous"),
      );
    }
    const version = req.headers["x-github-api-version"];
    if (typeof version === "string" && !d.apiVersions.includes(version)) {
      return finish(
        errorReply(
          400,
          `Unsupported 'X-GitHub-Api-Version' header value: ${version}.`,
          DOCS,
        ),
        d.limits.headers(principal.token),
      );
    }
    // A redirect costs what a read costs (match is undefined for it), whatever the method.
    const admitted = d.limits.admit(
      principal.token,
      match?.route.write ?? false,
      id,
      (match?.route.write ?? false) && method !== "DELETE",
    );
    if (!("done" in admitted)) {
      return finish(
        errorReply(
          admitted.status,
          admitted.message,
          "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
        ),
        {
          ...d.limits.headers(principal.token),
          ...(admitted.limit === "primary"
            ? { "x-ratelimit-remaining": "0" }
            : {}),
          ...admitted.headers,
        },
      );
    }
    release = admitted.done;
    const rateHeaders = d.limits.headers(principal.token);
    if (typeof version === "string")
      rateHeaders["x-github-api-version-selected"] = version;
    // Latency and faults come after admission: a slow request occupies a concurrency slot,
    // as on GitHub, and a failed one has spent its rate-limit budget.
    if (d.faults.latencyMs > 0) await sleep(d.faults.latencyMs);
    const fault = d.faults.draw(method, routeKey);
    if (fault) {
      faultName = fault.kind === "status" ? String(fault.status) : fault.kind;
      if (fault.kind === "reset-after") dropAnswer = true;
      if (fault.kind === "reset") {
        // What a dropped connection looks like to a client: ECONNRESET / "socket hang up".
        req.socket.destroy();
        return;
      }
      if (fault.kind === "status") {
        status = fault.status;
        if (fault.status === 502) {
          // GitHub's front end answers 502 with an HTML page, not JSON.
          res.writeHead(502, {
            ...rateHeaders,
            "content-type": "text/html; charset=utf-8",
            "x-github-request-id": id,
          });
          res.end("<html><body><h1>502 Bad Gateway</h1></body></html>");
          return;
        }
        return finish(
          errorReply(
            fault.status,
            fault.status === 503 ? "Service Unavailable" : "Server Error",
            DOCS,
          ),
          rateHeaders,
        );
      }
      if (fault.kind === "delay") await sleep(fault.ms);
    }

    // After authentication, limits and faults: an unauthenticated request to a former name still
    // gets 401, and a redirect is a request like any other. Its body is GitHub's basic-error
    // shape, which the description's moved_permanently/temporary_redirect answers reference.
    if (moved)
      return finish(
        checked(moved, d.validator.validateBasicError(moved.body)),
        rateHeaders,
      );
    if (!match) return finish(errorReply(404, "Not Found", DOCS), rateHeaders);
    const { route, params } = match;
    if (route.write && principal.write === false) {
      return finish(
        errorReply(
          403,
          "Resource not accessible by personal access token",
          docs,
        ),
        rateHeaders,
      );
    }

    let body: Record<string, unknown> | undefined;
    if (rawBody instanceof HttpError)
      return finish(
        errorReply(rawBody.status, rawBody.message, docs),
        rateHeaders,
      );
    if (typeof rawBody === "string" && rawBody.trim() !== "") {
      try {
        body = JSON.parse(rawBody);
      } catch {
        return finish(
          errorReply(400, "Problems parsing JSON", docs),
          rateHeaders,
        );
      }
    }
    const op = d.validator.operation(method, route.specTemplate);
    const problems = d.validator.validateRequest(
      method,
      route.specTemplate,
      body ?? {},
    );
    if (problems.length > 0) {
      d.violations.push({
        route: routeKey,
        status: 422,
        direction: "request",
        message: problems.join(" "),
      });
      return finish(
        errorReply(422, `Invalid request.\n\n${problems.join("\n")}`, docs),
        rateHeaders,
      );
    }

    let reply: Reply;
    try {
      reply = route.handle({
        method,
        params,
        query: url.searchParams,
        body,
        login: principal.login,
        apiUrl: d.apiUrl(),
        rawPath,
        op,
      });
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      reply = errorReply(err.status, err.message, docs, err.headers);
    }
    reply = checked(
      reply,
      d.validator.validateResponse(
        method,
        route.specTemplate,
        reply.status,
        reply.body,
      ),
    );
    finish(reply, { ...rateHeaders, ...(reply.headers ?? {}) });
  };
}

function send(
  res: ServerResponse,
  reply: Reply,
  headers: Record<string, string>,
): void {
  // Node's own Date header is cached and refreshed by a timer, so a busy event loop can send
  // one seconds old; clients compare it with updated_at (drift detection), as GitHub allows.
  const all: Record<string, string> = {
    date: new Date().toUTCString(),
    ...headers,
    ...(reply.headers ?? {}),
  };
  if (reply.body === undefined) {
    res.writeHead(reply.status, all);
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...all,
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(text)),
  });
  res.end(text);
}
