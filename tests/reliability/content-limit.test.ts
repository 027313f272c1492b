// GitHub's content-creation limit ("no more than 80 content-generating requests per minute and no
// more than 500 per hour"), time-scaled: 150 creates at once, where GitHub allows 80 a minute and,
// here, 120 an hour, and refuses the rest with a 403 that carries no retry-after. Every secret must
// land with its value, nothing but GitHub's refusals may fail, and the user must be told that
// GitHub is pacing the run (the run waits, so it must not look stuck).
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import {
  startProviderHost,
  type ProviderHost,
} from "../../tools/provider-host";
import { leaksIn } from "../support/leaks";
import {
  repositoryRoot,
  serializedProvider,
} from "../support/serialized-provider";

const scopes = 3;
const perScope = 50;
// An emulated minute lasts 100 ms, an hour 6 s; the provider's first pause is 1 s.
const timeScale = 600;
const perHour = 120;
const valueOf = (repo: number, i: number) => `paced-value-${repo}-${i}`;

let emulator: Emulator;
let host: ProviderHost;

beforeAll(async () => {
  emulator = await startEmulator({
    rateLimits: {
      timeScale,
      primary: { limit: 1_000_000 },
      contentCreation: { perMinute: 80, perHour },
    },
  });
  for (let repo = 0; repo < scopes; repo++)
    emulator.addRepository("acme", { name: `paced-${repo}`, id: 6100 + repo });
  host = await startProviderHost({
    cwd: repositoryRoot,
    project: "content-limit",
    env: { GITHUB_TOKEN: undefined },
  });
  await host.configure({
    "github:token": emulator.token,
    "github:baseUrl": emulator.url,
    "github:owner": "acme",
    // GitHub's 900 points a minute on the emulator's clock: about 170 writes a minute, more
    // than the content-creation limit allows.
    "github:pointsPerMinute": String(900 * timeScale),
    "github:secondaryLimitWaitSeconds": "1",
  });
});

afterAll(async () => {
  await host?.close();
  await emulator?.close();
});

test(`${scopes * perScope} creates under the content-creation limit: all land, the user is told why it waits`, async () => {
  const __provider = await serializedProvider("RepoSecret");
  const urn = (repo: number, i: number) =>
    `urn:pulumi:test::content-limit::pulumi-nodejs:dynamic/github-secrets:RepoSecret::s-${repo}-${i}`;
  const started = Date.now();
  const results = await Promise.allSettled(
    Array.from({ length: scopes * perScope }, async (_, n) => {
      const repo = n % scopes;
      const i = Math.floor(n / scopes);
      const checked = await host.check(
        urn(repo, i),
        {},
        {
          __provider,
          repository: `paced-${repo}`,
          secretName: `SECRET_${i}`,
          value: valueOf(repo, i),
        },
      );
      return host.create(urn(repo, i), checked.inputs);
    }),
  );
  const elapsed = Date.now() - started;
  expect(
    results
      .filter((r) => r.status === "rejected")
      .map((r) => (r as PromiseRejectedResult).reason.message),
  ).toEqual([]);
  for (let repo = 0; repo < scopes; repo++)
    for (let i = 0; i < perScope; i++)
      expect(
        emulator.getSecret("actions-repo", `acme/paced-${repo}`, `SECRET_${i}`)
          ?.value,
      ).toBe(valueOf(repo, i));
  const stats = emulator.rateLimitStats();
  // GitHub did refuse (the limit was reached), and only its refusals were repeated.
  expect(stats.contentRejections).toBeGreaterThan(0);
  const puts = emulator.requestLog().filter((e) => e.method === "PUT");
  expect(puts.filter((e) => e.status === 201)).toHaveLength(scopes * perScope);
  expect(puts.filter((e) => e.status === 403)).toHaveLength(
    stats.contentRejections,
  );
  // The hour's 120 were spent, so the last 30 had to wait for the next (emulated) hour.
  expect(elapsed).toBeGreaterThan((3_600_000 / timeScale) * 0.9);
  expect(host.output()).toMatch(
    /pulumi-github-secrets: GitHub is pacing this run \(a secondary rate limit refused a PUT without retry-after, as GitHub's content-creation limit of 80 a minute and 500 an hour does\): waiting 1 s before sending more requests/,
  );
  expect(emulator.schemaViolations("response")).toEqual([]);
  console.log(
    `content-limit: ${JSON.stringify({ secrets: scopes * perScope, refusals: stats.contentRejections, seconds: elapsed / 1000 })}`,
  );
}, 120_000);

test("nothing the host printed holds a value or the token", () => {
  expect(
    leaksIn(host.output(), [valueOf(0, 0), valueOf(2, 49), emulator.token]),
  ).toEqual([]);
});
