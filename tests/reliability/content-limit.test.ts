// GitHub's content-creation limit ("no more than 80 content-generating requests per minute and no
// more than 500 per hour"), time-scaled: 600 creates at once, where GitHub allows 80 a minute and
// 500 an hour, and refuses the rest with a 403 that carries no retry-after. Every secret must land
// with its value, nothing but GitHub's refusals may fail, the user must be told that GitHub is
// pacing the run (the run waits, so it must not look stuck), and after the first refusal the
// provider keeps to the limit instead of meeting it again each minute and at the hour.
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
const perScope = 200;
// An emulated minute lasts 100 ms, an hour 6 s; so does the provider's first pause (a minute).
const timeScale = 600;
const minuteMs = 60_000 / timeScale;
const valueOf = (repo: number, i: number) => `paced-value-${repo}-${i}`;

let emulator: Emulator;
let host: ProviderHost;

beforeAll(async () => {
  emulator = await startEmulator({
    rateLimits: {
      timeScale,
      primary: { limit: 1_000_000 },
      contentCreation: true,
    },
  });
  for (let repo = 0; repo < scopes; repo++)
    emulator.addRepository("acme", { name: `paced-${repo}`, id: 6100 + repo });
  host = await startProviderHost({
    cwd: repositoryRoot,
    project: "content-limit",
    // GitHub's clock, compressed as the emulator compresses it.
    env: {
      GITHUB_TOKEN: undefined,
      PULUMI_GITHUB_SECRETS_TIME_SCALE: String(timeScale),
    },
  });
  await host.configure({
    "github:token": emulator.token,
    "github:baseUrl": emulator.url,
    "github:owner": "acme",
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
  // The hour's 500 were spent, so the last 100 had to wait for the next (emulated) hour.
  expect(elapsed).toBeGreaterThan((3_600_000 / timeScale) * 0.9);
  // Only the writes already on their way when GitHub first refused were refused: from then on
  // the provider kept to 80 a minute and 500 an hour, the hour's end included.
  const refused = puts.filter((e) => e.status === 403).map((e) => e.arrivedAt);
  expect(Math.max(...refused) - Math.min(...refused)).toBeLessThan(minuteMs);
  const output = host.output();
  expect(output).toMatch(
    /pulumi-github-secrets: GitHub is pacing this run \(a secondary rate limit refused a PUT without retry-after, as GitHub's content-creation limit of 80 a minute and 500 an hour does\): waiting 0\.1 s before sending more requests/,
  );
  expect(
    output.match(
      /GitHub's content-creation limit refused a write: the rest of this run sends at most 80 writes a minute and 500 an hour/g,
    ),
  ).toHaveLength(1);
  expect(emulator.schemaViolations("response")).toEqual([]);
  console.log(
    `content-limit: ${JSON.stringify({ secrets: scopes * perScope, refusals: stats.contentRejections, seconds: elapsed / 1000 })}`,
  );
}, 120_000);

test("nothing the host printed holds a value or the token", () => {
  expect(
    leaksIn(host.output(), [
      valueOf(0, 0),
      valueOf(scopes - 1, perScope - 1),
      emulator.token,
    ]),
  ).toEqual([]);
});
