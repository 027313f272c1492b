// The one door to GitHub: an Octokit client built from the settings, and GitHub's errors turned
// into one line that names the secret, the scope, the status and GitHub's own message.

import { describeSetting, settingKeys } from "./config";
import { noCredentials, type Credentials } from "./credentials";
import type { Settings } from "./settings";
import {
  fetchWithTimeout,
  firstPauseMs,
  Pacer,
  pacedRequest,
  Pause,
} from "./traffic";

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

type OctokitClass = new (options: object) => GitHubClient & {
  hook: {
    wrap(name: "request", wrapper: ReturnType<typeof pacedRequest>): void;
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
 * so that code jest loads in-process (validation, diff, sealing) never imports it. Plain Node
 * (the dynamic-provider host) `require`s ES modules from 20.19 and 22.12 on, hence `engines`.
 */
export function createClient(
  settings: Settings,
  /** How the user is told that GitHub is pacing the run. */
  tell: (message: string) => void = () => {},
): GitHubClient {
  const { credentials } = settings;
  if (!credentials) throw new Error(noCredentials());
  const { Octokit } = require("@octokit/rest") as { Octokit: OctokitClass };
  const { pacer, pause } = budgetOf(settings, credentials, tell);
  const client = new Octokit({
    ...authOptions(credentials),
    baseUrl: settings.baseUrl,
    userAgent,
    request: { fetch: fetchWithTimeout(settings.requestTimeoutMs) },
    // Octokit logs warnings and request errors to the console by default; the message we throw
    // says everything once, and nothing else should print request details.
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
  client.hook.wrap("request", pacedRequest(settings, pacer, pause, tell));
  return client;
}

/**
 * One budget per token and API host in this process: GitHub limits the token, so accounts and
 * explicit providers that share one share its budget, and a client rebuilt after the config is
 * read again keeps what the run has spent. Held in memory only.
 */
const budgets = new Map<string, { pacer: Pacer; pause: Pause }>();

function budgetOf(
  settings: Settings,
  credentials: Credentials,
  tell: (message: string) => void,
): { pacer: Pacer; pause: Pause } {
  const key = JSON.stringify([
    settings.baseUrl,
    credentials.kind === "token"
      ? credentials.token
      : [credentials.appId, credentials.installationId],
    settings.pointsPerMinute,
    settings.maxConcurrency,
    settings.secondaryLimitWaitSeconds,
    settings.timeScale,
  ]);
  let budget = budgets.get(key);
  if (!budget) {
    const pause = new Pause(firstPauseMs(settings), tell);
    budget = { pause, pacer: new Pacer(settings, pause) };
    budgets.set(key, budget);
  }
  return budget;
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
    /** What to do about it, in parentheses after the detail. */
    readonly hint?: string,
  ) {
    super(`${what}: ${detail}${hint ? ` (${hint})` : ""}`);
    this.name = "GitHubError";
  }

  /** The same failure told about another subject (a scope's key fetch, for each secret waiting on it). */
  about(what: string): GitHubError {
    return new GitHubError(what, this.detail, this.status, this.hint);
  }

  /** The same failure with other advice (the lifecycle knows better than the request). */
  advising(hint: string): GitHubError {
    return new GitHubError(this.what, this.detail, this.status, hint);
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
  return new GitHubError(
    what,
    `${action} failed: GitHub answered ${status}: ${githubMessage}`,
    status,
    /rate limit/i.test(githubMessage) ? rateLimited : hints[status],
  );
}

/** GitHub's messages may span lines ("Invalid request.\n\n…"); an error here is one line. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

const unauthorized = "the token is missing, expired or revoked";
const forbidden =
  "the token lacks the permission to manage these secrets, or a rate limit was hit";

const rateLimited =
  "GitHub kept refusing for longer than the provider waits (see github:secondaryLimitWaitSeconds); what was written is kept: run the update again later to continue";

const hints: Record<number, string> = {
  401: `${unauthorized}: check ${describeSetting(settingKeys.token)}`,
  403: forbidden,
  404: "GitHub answers 404 both for a scope that does not exist and for one the token may not see",
  409: 'for an organization secret, the repository list is managed only when visibility is "selected"',
  422: "GitHub rejected the request as invalid",
};

/**
 * Advice for a 401 or 403 in read (refresh) or delete (destroy, or a resource removed from the
 * program). `pulumi refresh` and `pulumi destroy` configure a dynamic provider with the stack
 * config saved in the state at the last `pulumi up` (pkg/resource/deploy/target.go
 * `GetPackageConfig` feeds the default provider, whose inputs are what they reload), so the
 * config the user just fixed is not what failed.
 */
export function savedCredentialsHint(status: number): string | undefined {
  if (status !== 401 && status !== 403) return undefined;
  return (
    `${status === 401 ? unauthorized : forbidden}. ` +
    "pulumi refresh and pulumi destroy use the credentials saved in the stack at the last `pulumi up`, " +
    "not a token set or rotated since: run `pulumi up` first (it saves the current ones), " +
    "or add --run-program to refresh or destroy"
  );
}
