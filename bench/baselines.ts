// Baseline clients, as small direct HTTP models (not the real tools), run against the same
// emulator as the provider so every figure is a ratio measured side by side. They seal values
// with a libsodium sealed box like the provider, so GitHub's side does the same work for each.
//
// terraform-like: what integrations/terraform-provider-github 6.13.0 sends for
// `github_actions_secret`, fitted to the requests counted when the real provider ran under
// OpenTofu 1.12.6 (N = 100 over 4 repositories: create 302 GET + 100 PUT, no-op 101 GET, one value
// changed 104 GET + 1 PUT, refresh 101 GET, destroy 103 GET + 100 DELETE):
//   - each run starts with the owner look-ups the real run made (`ownerLookups`);
//   - create: GET the repository's public key, PUT, then Read: GET the secret and GET the
//     repository (three GETs and one PUT per secret);
//   - plan, apply and destroy refresh every resource first (one GET per secret);
//   - a new plaintext_value is an update in place: key, PUT, Read (no DELETE);
//   - destroy reads every secret, then deletes it;
//   - every request goes through one mutex (parallel_requests = false, the default), and the
//     request after a write first sleeps write_delay_ms (default 1000 ms; divided by the time
//     scale here, like the emulated limits);
//   - a rate-limited request is sent again after go-github's wait (see `rateLimitWaitMs`).
// unbounded parallel: what `gh secret set -f .env --repo R` does per repository: one public-key
//   GET, then every PUT at once, no pacing and no retry (403/429 answers are failures). gh keeps
//   no state, so re-applying the file (no-op, one value changed) sets every secret again; a
//   refresh is `gh secret list` (100 per page); destroy is every DELETE at once.
import sodium from "libsodium-wrappers";
import {
  countMissing,
  countOrgMissing,
  OWNER,
  stepAfterCreate,
  type BenchEmulator,
  type ScenarioOptions,
  type ScenarioResult,
} from "./harness";
import { benchValue, ORG_SECRET, scopeOf, secretName } from "./program";

interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

/** One HTTP exchange with the emulated GitHub; never throws on an HTTP status. */
async function send(
  bench: BenchEmulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer> {
  const { emulator } = bench;
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${emulator.token}`,
      accept: "application/vnd.github+json",
      "x-github-api-version": "2022-11-28",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as unknown) : undefined,
    headers: response.headers,
  };
}

async function seal(value: string, base64Key: string): Promise<string> {
  await sodium.ready;
  const sealed = sodium.crypto_box_seal(
    sodium.from_string(value),
    sodium.from_base64(base64Key, sodium.base64_variants.ORIGINAL),
  );
  return sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL);
}

const repoPath = (repo: string) => `/repos/${OWNER}/${repo}/actions/secrets`;

interface Layout {
  secrets: number;
  scopes: number;
  prefix: string;
  repo(i: number): string;
}

function layout(secrets: number, scopes: number, prefix: string): Layout {
  return {
    secrets,
    scopes,
    prefix,
    repo: (i) => `${prefix}${scopeOf(i, scopes)}`,
  };
}

async function expectOk(
  answer: Promise<Answer>,
  what: string,
): Promise<Answer> {
  const a = await answer;
  if (a.status >= 300)
    throw new Error(`terraform-like: ${what} answered ${a.status}`);
  return a;
}

const sleep = (ms: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * How long terraform-provider-github waits before sending a rate-limited request again, or
 * undefined for any other answer. Its RateLimitTransport sleeps for go-github's answer: for a
 * secondary limit (AbuseRateLimitError) `parseSecondaryRate`, i.e. retry-after, else until
 * x-ratelimit-reset (GitHub's primary window: up to an hour), else no wait at all; for an exhausted
 * primary limit, until x-ratelimit-reset. It retries without a bound.
 */
function rateLimitWaitMs(answer: Answer): number | undefined {
  if (answer.status !== 403 && answer.status !== 429) return undefined;
  const message = (answer.body as { message?: string } | undefined)?.message;
  const retryAfter = Number(answer.headers.get("retry-after") ?? "");
  const untilReset =
    Number(answer.headers.get("x-ratelimit-reset") ?? "") * 1000 - Date.now();
  if (/secondary rate limit/i.test(message ?? "")) {
    if (retryAfter > 0) return retryAfter * 1000;
    return untilReset > 0 ? untilReset : 0;
  }
  if (answer.headers.get("x-ratelimit-remaining") === "0")
    return Math.max(0, untilReset);
  return undefined;
}

/** One mutex for every request, and a write delay before the request that follows a write. */
class SerialTransport {
  private queue: Promise<unknown> = Promise.resolve();
  private delayNext = false;

  constructor(
    private readonly bench: BenchEmulator,
    private readonly writeDelayMs: number,
  ) {}

  request(method: string, path: string, body?: unknown): Promise<Answer> {
    const run = async () => {
      if (this.delayNext) await sleep(this.writeDelayMs);
      this.delayNext = method !== "GET";
      for (;;) {
        const answer = await send(this.bench, method, path, body);
        const waitMs = rateLimitWaitMs(answer);
        if (waitMs === undefined) return answer;
        // RateLimitTransport: sleep, then send the same request again, still holding the mutex.
        this.delayNext = false;
        await sleep(waitMs);
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/**
 * The owner look-ups (GET /user, GET /orgs/{owner}) each terraform run made before touching a
 * secret, as counted in the real run: the difference between its request counts and one read per
 * secret. The emulator serves neither route; `GET /orgs/{org}/repos` stands in (same cost).
 */
export const terraformOwnerLookups = {
  create: 2,
  noop: 1,
  change: 1,
  refresh: 1,
  destroy: 3,
} as const;

export async function runTerraformLike(
  bench: BenchEmulator,
  secrets: number,
  scopes: number,
  options: ScenarioOptions = {},
): Promise<ScenarioResult> {
  const at = layout(secrets, scopes, bench.prefix(`tf-n${secrets}-`));
  bench.addScopes(at.prefix, scopes);
  // Terraform's write_delay_ms default, on the emulator's clock.
  const http = new SerialTransport(bench, 1000 / bench.settings.timeScale);
  const revisions = new Map<number, number>();
  // Terraform walks up to 10 resources at once (-parallelism=10); the mutex serializes requests.
  const each = async (fn: (i: number) => Promise<void>) => {
    let next = 0;
    const worker = async () => {
      while (next < secrets) await fn(next++);
    };
    await Promise.all(Array.from({ length: 10 }, worker));
  };
  const lookUpOwner = async (step: keyof typeof terraformOwnerLookups) => {
    for (let i = 0; i < terraformOwnerLookups[step]; i++)
      await expectOk(
        http.request("GET", `/orgs/${OWNER}/repos?per_page=1`),
        "owner look-up",
      );
  };
  // Create and update alike: key, PUT, then the resource's Read.
  const writeOne = async (i: number) => {
    const repo = at.repo(i);
    const key = await expectOk(
      http.request("GET", `${repoPath(repo)}/public-key`),
      "public key",
    );
    const { key_id, key: publicKey } = key.body as {
      key_id: string;
      key: string;
    };
    await expectOk(
      http.request("PUT", `${repoPath(repo)}/${secretName(i)}`, {
        encrypted_value: await seal(
          benchValue(i, revisions.get(i) ?? 0),
          publicKey,
        ),
        key_id,
      }),
      "PUT",
    );
    await expectOk(
      http.request("GET", `${repoPath(repo)}/${secretName(i)}`),
      "read-back",
    );
    await expectOk(
      http.request("GET", `/repos/${OWNER}/${repo}`),
      "read-back repository",
    );
  };
  const readOne = async (i: number) => {
    await expectOk(
      http.request("GET", `${repoPath(at.repo(i))}/${secretName(i)}`),
      "refresh",
    );
  };
  const deleteOne = async (i: number) => {
    await expectOk(
      http.request("DELETE", `${repoPath(at.repo(i))}/${secretName(i)}`),
      "DELETE",
    );
  };

  const create = await bench.measure(async () => {
    await lookUpOwner("create");
    await each(writeOne);
  });
  const missing = countMissing(bench.emulator, at.prefix, secrets, scopes);
  const step = (run: () => Promise<void>) =>
    stepAfterCreate(bench, options, run);
  const noop = await step(async () => {
    await lookUpOwner("noop");
    await each(readOne);
  });
  const change = await step(async () => {
    await lookUpOwner("change");
    await each(readOne);
    revisions.set(0, 1);
    await writeOne(0);
  });
  const refresh = await step(async () => {
    await lookUpOwner("refresh");
    await each(readOne);
  });
  const destroy = await step(async () => {
    await lookUpOwner("destroy");
    await each(readOne);
    await each(deleteOne);
  });
  return {
    client: "terraform-like",
    timeScale: bench.settings.timeScale,
    secrets,
    scopes,
    limits: bench.limits,
    workload: "repo",
    steps: { create, noop, change, refresh, destroy },
    missingAfterCreate: missing,
  };
}

export async function runUnbounded(
  bench: BenchEmulator,
  secrets: number,
  scopes: number,
  options: ScenarioOptions = {},
): Promise<ScenarioResult> {
  const at = layout(secrets, scopes, bench.prefix(`gh-n${secrets}-`));
  bench.addScopes(at.prefix, scopes);
  const indices = Array.from({ length: secrets }, (_, i) => i);
  const revisions = new Map<number, number>();

  // `gh secret set -f`: per repository one key request, then all PUTs at once; failures stay.
  const setAll = async () => {
    const keys = await Promise.all(
      Array.from({ length: scopes }, (_, s) =>
        send(bench, "GET", `${repoPath(`${at.prefix}${s}`)}/public-key`),
      ),
    );
    await Promise.all(
      indices.map(async (i) => {
        const key = keys[scopeOf(i, scopes)];
        if (!key || key.status !== 200) return; // gh gives up on this repository
        const { key_id, key: publicKey } = key.body as {
          key_id: string;
          key: string;
        };
        await send(bench, "PUT", `${repoPath(at.repo(i))}/${secretName(i)}`, {
          encrypted_value: await seal(
            benchValue(i, revisions.get(i) ?? 0),
            publicKey,
          ),
          key_id,
        });
      }),
    );
  };
  const listAll = () =>
    Promise.all(
      Array.from({ length: scopes }, async (_, s) => {
        for (let page = 1; ; page++) {
          const answer = await send(
            bench,
            "GET",
            `${repoPath(`${at.prefix}${s}`)}?per_page=100&page=${page}`,
          );
          const listed = (answer.body as { secrets?: unknown[] } | undefined)
            ?.secrets;
          if (answer.status !== 200 || !listed || listed.length < 100) return;
        }
      }),
    );

  const create = await bench.measure(setAll);
  const missing = countMissing(bench.emulator, at.prefix, secrets, scopes);
  const step = (run: () => Promise<void>) =>
    stepAfterCreate(bench, options, run);
  const noop = await step(setAll);
  const change = await step(async () => {
    revisions.set(0, 1);
    await setAll();
  });
  const refresh = await step(async () => void (await listAll()));
  const destroy = await step(async () => {
    await Promise.all(
      indices.map((i) =>
        send(bench, "DELETE", `${repoPath(at.repo(i))}/${secretName(i)}`),
      ),
    );
  });
  return {
    client: "unbounded",
    timeScale: bench.settings.timeScale,
    secrets,
    scopes,
    limits: bench.limits,
    workload: "repo",
    steps: { create, noop, change, refresh, destroy },
    missingAfterCreate: missing,
  };
}

/**
 * terraform-like, for `github_actions_organization_secret` with `visibility = "selected"` and
 * `selected_repository_ids` from one `data "github_repository"` per repository (the program names
 * repositories, as the provider's does): every plan reads each data source (GET /repos/{owner}/{repo})
 * and refreshes the secret (GET the secret, then its selected repositories, 100 a page); create is
 * the organization's public key, the PUT with the ids, and the same read back; a new value is
 * ForceNew (DELETE, then create).
 */
export async function runTerraformOrg(
  bench: BenchEmulator,
  repositories: number,
): Promise<ScenarioResult> {
  const prefix = bench.prefix(`tf-org-s${repositories}-`);
  const ids = bench.addScopes(prefix, repositories);
  const http = new SerialTransport(bench, 1000 / bench.settings.timeScale);
  const secretPath = `/orgs/${OWNER}/actions/secrets/${ORG_SECRET}`;
  let revision = 0;
  const readDataSources = async () => {
    for (let s = 0; s < repositories; s++)
      await expectOk(
        http.request("GET", `/repos/${OWNER}/${prefix}${s}`),
        "data source",
      );
  };
  const read = async () => {
    await expectOk(http.request("GET", secretPath), "refresh");
    await expectOk(
      http.request("GET", `${secretPath}/repositories?per_page=100`),
      "selected repositories",
    );
  };
  // Every plan once the secret exists: the data sources, then the secret's refresh.
  const plan = async () => {
    await readDataSources();
    await read();
  };
  const create = async () => {
    const key = await expectOk(
      http.request("GET", `/orgs/${OWNER}/actions/secrets/public-key`),
      "public key",
    );
    const { key_id, key: publicKey } = key.body as {
      key_id: string;
      key: string;
    };
    await expectOk(
      http.request("PUT", secretPath, {
        encrypted_value: await seal(benchValue(0, revision), publicKey),
        key_id,
        visibility: "selected",
        selected_repository_ids: ids,
      }),
      "PUT",
    );
    await read();
  };
  const createStep = await bench.measure(async () => {
    await readDataSources();
    await create();
  });
  const missing = countOrgMissing(bench.emulator, ids);
  const noop = await bench.measure(plan);
  const change = await bench.measure(async () => {
    await plan();
    revision = 1;
    await expectOk(http.request("DELETE", secretPath), "DELETE");
    await create();
  });
  const refresh = await bench.measure(plan);
  const destroy = await bench.measure(async () => {
    await plan();
    await expectOk(http.request("DELETE", secretPath), "DELETE");
  });
  return {
    client: "terraform-like",
    timeScale: bench.settings.timeScale,
    secrets: 1,
    scopes: repositories,
    limits: bench.limits,
    workload: "org",
    steps: { create: createStep, noop, change, refresh, destroy },
    missingAfterCreate: missing,
  };
}

/**
 * gh's model for `gh secret set ORG_SECRET --org acme --visibility selected --repos …`: the real gh
 * turns the names into ids with one request to GitHub's GraphQL API, which the emulator does not
 * serve (that request is not counted here), then fetches the organization's key and PUTs. gh
 * keeps no state: a no-op or a new value sets the secret again; refresh is `gh secret list --org`
 * (the list, and the selected repositories of the selected secret); destroy is one DELETE.
 */
export async function runGhOrgModel(
  bench: BenchEmulator,
  repositories: number,
): Promise<ScenarioResult> {
  const prefix = bench.prefix(`gh-org-s${repositories}-`);
  const ids = bench.addScopes(prefix, repositories);
  const secretPath = `/orgs/${OWNER}/actions/secrets/${ORG_SECRET}`;
  let revision = 0;
  const set = async () => {
    const key = await send(
      bench,
      "GET",
      `/orgs/${OWNER}/actions/secrets/public-key`,
    );
    const { key_id, key: publicKey } = key.body as {
      key_id: string;
      key: string;
    };
    await send(bench, "PUT", secretPath, {
      encrypted_value: await seal(benchValue(0, revision), publicKey),
      key_id,
      visibility: "selected",
      selected_repository_ids: ids,
    });
  };
  const create = await bench.measure(set);
  const missing = countOrgMissing(bench.emulator, ids);
  const noop = await bench.measure(set);
  const change = await bench.measure(async () => {
    revision = 1;
    await set();
  });
  const refresh = await bench.measure(async () => {
    await send(bench, "GET", `/orgs/${OWNER}/actions/secrets?per_page=100`);
    await send(bench, "GET", `${secretPath}/repositories?per_page=100`);
  });
  const destroy = await bench.measure(async () => {
    await send(bench, "DELETE", secretPath);
  });
  return {
    client: "unbounded",
    timeScale: bench.settings.timeScale,
    secrets: 1,
    scopes: repositories,
    limits: bench.limits,
    workload: "org",
    steps: { create, noop, change, refresh, destroy },
    missingAfterCreate: missing,
  };
}
