// The one door to GitHub: an Octokit client built from the settings, and GitHub's errors turned
// into one line that names the secret, the scope, the status and GitHub's own message.

import { noCredentials, type Credentials } from "./credentials";
import { describe, settingKeys, type Settings } from "./settings";
import { fetchWithTimeout, retryTransient, throttleOptions } from "./traffic";

export interface GitHubResponse<T = unknown> {
  status: number;
  data: T;
  headers: Record<string, string | number | undefined>;
}

/** The slice of Octokit this provider uses: `request(route, parameters)`. */
export interface GitHubClient {
  request<T = unknown>(
    route: string,
    parameters?: Record<string, unknown>,
  ): Promise<GitHubResponse<T>>;
}

type OctokitClass = {
  plugin(...plugins: unknown[]): OctokitClass;
  new (options: object): GitHubClient & {
    hook: {
      wrap(name: "request", wrapper: ReturnType<typeof retryTransient>): void;
    };
  };
};

/** What Octokit's RequestError carries that we report. */
interface OctokitError {
  status?: number;
  message?: string;
  response?: { data?: unknown; headers?: Record<string, string | undefined> };
}

const userAgent = "pulumi-github-secrets";

/**
 * Builds the Octokit client. @octokit/rest is an ES module only: it is loaded here, at call time,
 * so that code jest loads in-process (validation, diff, sealing) never imports it. Plain Node 20
 * (the dynamic-provider host) `require`s ES modules fine.
 */
export function createClient(settings: Settings): GitHubClient {
  const { credentials } = settings;
  if (!credentials) throw new Error(noCredentials());
  const { Octokit } = require("@octokit/rest") as { Octokit: OctokitClass };
  const { throttling } = require("@octokit/plugin-throttling") as {
    throttling: unknown;
  };
  const Throttled = Octokit.plugin(throttling);
  const client = new Throttled({
    ...authOptions(credentials),
    baseUrl: settings.baseUrl,
    userAgent,
    throttle: throttleOptions(settings),
    request: { fetch: fetchWithTimeout(settings.requestTimeoutMs) },
    // Octokit logs warnings and request errors to the console by default; the message we throw
    // says everything once, and nothing else should print request details.
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
  client.hook.wrap("request", retryTransient(settings));
  return client;
}

/** A token as is; a GitHub App through @octokit/auth-app, which mints and renews installation tokens. */
function authOptions(credentials: Credentials): Record<string, unknown> {
  if (credentials.kind === "token") return { auth: credentials.token };
  const { createAppAuth } = require("@octokit/auth-app") as {
    createAppAuth: unknown;
  };
  const { appId, installationId, privateKey } = credentials;
  return {
    authStrategy: createAppAuth,
    auth: { appId, installationId, privateKey },
  };
}

export class GitHubError extends Error {
  constructor(
    /** What failed: "RepoSecret TOKEN in repository acme/api". */
    readonly what: string,
    /** "writing the secret failed: GitHub answered 403: …". */
    readonly detail: string,
    readonly status: number | undefined,
  ) {
    super(`${what}: ${detail}`);
    this.name = "GitHubError";
  }

  /** The same failure told about another subject (a scope's key fetch, for each secret waiting on it). */
  about(what: string): GitHubError {
    return new GitHubError(what, this.detail, this.status);
  }
}

/** HTTP status of a failed request; undefined when GitHub was not reached at all. */
export function statusOf(error: unknown): number | undefined {
  const e = error as OctokitError;
  return e?.response ? e.status : undefined;
}

/**
 * One line for a failed request: `<what>: <action> failed: GitHub answered 403: <message> (hint)`.
 * Built from the status and GitHub's message only, never from the request, which holds the
 * token (Octokit redacts it, but nothing else should be trusted to) and the sealed value.
 */
export function describeFailure(
  what: string,
  action: string,
  error: unknown,
  baseUrl: string,
): GitHubError {
  const e = error as OctokitError;
  const status = statusOf(error);
  if (status === undefined) {
    const reason = oneLine(e?.message ?? String(error));
    return new GitHubError(
      what,
      `${action} failed: could not reach GitHub at ${baseUrl}: ${reason}`,
      undefined,
    );
  }
  const data = e.response?.data as { message?: unknown } | undefined;
  const githubMessage = oneLine(
    typeof data?.message === "string" && data.message !== ""
      ? data.message
      : (e.message ?? "no message"),
  );
  const hint = hints[status];
  return new GitHubError(
    what,
    `${action} failed: GitHub answered ${status}: ${githubMessage}${hint ? ` (${hint})` : ""}`,
    status,
  );
}

/** GitHub's messages may span lines ("Invalid request.\n\n…"); an error here is one line. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

const hints: Record<number, string> = {
  401: `the token is missing, expired or revoked: check ${describe(settingKeys.token)}`,
  403: "the token lacks the permission to manage these secrets, or a rate limit was hit",
  404: "GitHub answers 404 both for a scope that does not exist and for one the token may not see",
  409: 'for an organization secret, the repository list is managed only when visibility is "selected"',
  422: "GitHub rejected the request as invalid",
};
