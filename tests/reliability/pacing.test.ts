// The pacing, measured where GitHub measures it: on the emulator's clock, with GitHub's secondary
// limit enforced on a 10× time scale (an emulated minute lasts six seconds), for writes a provider
// host is handed all at once: creates, then, in a later deployment, deletes. GitHub's budget is
// spent, not spread: the writes that fit in a minute's 900 points go at once, the rest as soon as
// the first points leave the minute; no emulated minute holds more than 900 points, and no write
// is refused.
import {
  startEmulator,
  type Emulator,
  type LogEntry,
} from "../../tools/github-emulator";
import type { ProviderHost } from "../../tools/provider-host";
import { hostAgainst } from "../support/host";
import { serializedProvider } from "../support/serialized-provider";

jest.setTimeout(60_000);

const timeScale = 10;
const minuteMs = 60_000 / timeScale;
const writes = 250;
const urn =
  "urn:pulumi:test::pacing::pulumi-nodejs:dynamic/github-secrets:RepoSecret::it";

let emulator: Emulator;
let created: { id: string; outputs: Record<string, unknown> }[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
    rateLimits: { timeScale, secondary: true, primary: { limit: 1_000_000 } },
  });
});
afterAll(async () => {
  await emulator.close();
});

/** One deployment: a provider host of its own, on the emulator's clock. */
async function deployment(
  work: (host: ProviderHost) => Promise<void>,
): Promise<LogEntry[]> {
  const host = await hostAgainst(
    emulator,
    "pacing",
    {},
    { PULUMI_GITHUB_SECRETS_TIME_SCALE: String(timeScale) },
  );
  try {
    // Fresh windows, as after an idle hour: what the budget allows is this deployment's alone.
    emulator.setRateLimits({
      timeScale,
      secondary: true,
      primary: { limit: 1_000_000 },
    });
    emulator.resetLog();
    await work(host);
    return emulator.requestLog();
  } finally {
    await host.close();
  }
}

/** GitHub's budget was spent, not spread: what fits went at once, the rest a minute later. */
function expectSpentNotSpread(
  log: LogEntry[],
  method: string,
  reads: number,
): void {
  expect(log.filter((e) => e.status === 403 || e.status === 429)).toEqual([]);
  const points = log
    .map((e) => ({ at: e.arrivedAt, points: e.method === "GET" ? 1 : 5 }))
    .sort((a, b) => a.at - b.at);
  for (const { at } of points) {
    const inMinute = points.filter((p) => p.at >= at && p.at < at + minuteMs);
    expect(inMinute.reduce((sum, p) => sum + p.points, 0)).toBeLessThanOrEqual(
      900,
    );
  }
  const sent = log
    .filter((e) => e.method === method)
    .map((e) => e.arrivedAt)
    .sort((a, b) => a - b);
  expect(sent).toHaveLength(writes);
  // 95% of 900 points, less the reads, is what the first minute allows.
  const firstMinute = Math.floor((900 * 0.95 - reads) / 5);
  const start = points[0]!.at;
  // Every write that fit went out before any had to wait…
  expect(sent.filter((t) => t < start + minuteMs)).toHaveLength(firstMinute);
  // …and the next one waited for the first points to leave the minute, not much longer
  // (points count from the answers, a little after the requests arrived).
  const next = sent[firstMinute]!;
  expect(next).toBeGreaterThanOrEqual(start + minuteMs);
  expect(next - start).toBeLessThan(minuteMs * 1.2);
}

test(`${writes} creates at once: what fits in a minute's budget at once, the rest when its first points expire, none refused`, async () => {
  const __provider = await serializedProvider("RepoSecret");
  const log = await deployment(async (host) => {
    const checked = await Promise.all(
      Array.from({ length: writes }, (_, i) =>
        host.check(
          urn,
          {},
          {
            __provider,
            repository: "infra",
            secretName: `PACED_${i}`,
            value: `paced-value-${i}`,
          },
        ),
      ),
    );
    created = await Promise.all(checked.map((c) => host.create(urn, c.inputs)));
  });
  expectSpentNotSpread(log, "PUT", 1);
});

test(`${writes} deletes at once, in a later deployment: the same`, async () => {
  expect(created).toHaveLength(writes);
  const log = await deployment(async (host) => {
    await Promise.all(created.map((c) => host.delete(c.id, urn, c.outputs)));
  });
  expectSpentNotSpread(log, "DELETE", 0);
  expect(emulator.listSecrets("actions-repo", "acme/infra")).toEqual([]);
});
