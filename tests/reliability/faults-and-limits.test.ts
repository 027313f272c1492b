// Hundreds of creates at once against a GitHub that fails 10% of requests and enforces its
// secondary rate limit (time-scaled: an emulated minute lasts one second): every secret must land
// with the right value, none twice, and the pacing must keep GitHub from answering 403/429.
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

const scopes = 20;
const perScope = 25;
const timeScale = 60;
const valueOf = (repo: number, i: number) =>
  `reliable-value-${repo}-${i}-\u2713`;

let emulator: Emulator;
let host: ProviderHost;

beforeAll(async () => {
  emulator = await startEmulator({
    rateLimits: { timeScale, secondary: true, primary: { limit: 1_000_000 } },
  });
  for (let repo = 0; repo < scopes; repo++)
    emulator.addRepository("acme", { name: `svc-${repo}`, id: 5000 + repo });
  host = await startProviderHost({
    cwd: repositoryRoot,
    project: "reliability",
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
    "github:retryDelayMs": "20",
    "github:requestTimeoutMs": "1000",
    "github:maxRetries": "10",
  });
});

afterAll(async () => {
  await host?.close();
  await emulator?.close();
});

test(`${scopes * perScope} secrets over ${scopes} scopes with 10% transient faults and rate limits: nothing lost`, async () => {
  emulator.setFaults({
    seed: 7,
    rates: { 500: 0.02, 502: 0.02, 503: 0.02, reset: 0.02, delay: 0.02 },
    delayMs: 2000,
  });
  emulator.resetLog();
  const __provider = await serializedProvider("RepoSecret");
  const urn = (repo: number, i: number) =>
    `urn:pulumi:test::reliability::pulumi-nodejs:dynamic/github-secrets:RepoSecret::s-${repo}-${i}`;
  const jobs: Promise<{ id: string }>[] = [];
  for (let repo = 0; repo < scopes; repo++) {
    for (let i = 0; i < perScope; i++) {
      jobs.push(
        (async () => {
          const checked = await host.check(
            urn(repo, i),
            {},
            {
              __provider,
              repository: `svc-${repo}`,
              secretName: `SECRET_${i}`,
              value: valueOf(repo, i),
            },
          );
          return host.create(urn(repo, i), checked.inputs);
        })(),
      );
    }
  }
  const results = await Promise.allSettled(jobs);
  const failed = results.filter((r) => r.status === "rejected");
  expect(
    failed.map((r) => (r as PromiseRejectedResult).reason.message),
  ).toEqual([]);

  let verified = 0;
  for (let repo = 0; repo < scopes; repo++) {
    const stored = emulator.listSecrets("actions-repo", `acme/svc-${repo}`);
    expect(stored).toHaveLength(perScope);
    for (let i = 0; i < perScope; i++) {
      expect(
        emulator.getSecret("actions-repo", `acme/svc-${repo}`, `SECRET_${i}`)
          ?.value,
      ).toBe(valueOf(repo, i));
      verified++;
    }
  }
  const ids = results.map(
    (r) => (r as PromiseFulfilledResult<{ id: string }>).value.id,
  );
  expect(new Set(ids).size).toBe(scopes * perScope);

  // Responses delayed past the client's timeout are logged when the server finally answers.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  const log = emulator.requestLog();
  const faults = log.filter((entry) => entry.fault).length;
  const limited = emulator.rateLimitStats();
  const figures = {
    secrets: scopes * perScope,
    scopes,
    requests: log.length,
    faultsInjected: faults,
    retries: log.length - scopes * perScope - scopes,
    rateLimitAnswers: limited.secondaryRejections + limited.primaryRejections,
    secretsVerified: verified,
    secretsLost: scopes * perScope - verified,
  };
  console.log(`reliability: ${JSON.stringify(figures)}`);
  expect(faults).toBeGreaterThan(scopes * perScope * 0.05);
  expect(figures.retries).toBeGreaterThanOrEqual(faults);
  expect(figures.secretsLost).toBe(0);
  // Pacing keeps GitHub's secondary limit from ever answering.
  expect(limited.secondaryRejections).toBe(0);
  expect(emulator.schemaViolations("response")).toEqual([]);
}, 120_000);

test("nothing the host printed holds a value or the token", () => {
  expect(
    leaksIn(host.output(), [valueOf(0, 0), valueOf(19, 24), emulator.token]),
  ).toEqual([]);
});
