// The pacing, measured where GitHub measures it: on the emulator's clock, with GitHub's secondary
// limit enforced on a 10× time scale (an emulated minute lasts six seconds), for writes a provider
// host is handed all at once. GitHub's budget is spent, not spread: the writes that fit in a
// minute's 900 points go at once, the rest as soon as the first points leave the minute; no
// emulated minute holds more than 900 points, and no write is refused.
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import { hostAgainst } from "../support/host";
import { serializedProvider } from "../support/serialized-provider";

const timeScale = 10;
const minuteMs = 60_000 / timeScale;
const writes = 250;
/** What 95% of 900 points leaves for writes after the one key read. */
const firstMinute = Math.floor((900 * 0.95 - 1) / 5);

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    rateLimits: { timeScale, secondary: true, primary: { limit: 1_000_000 } },
  });
});
afterAll(async () => {
  await emulator.close();
});

test(`${writes} writes at once: ${firstMinute} in the first minute, the rest when its first points expire, none refused`, async () => {
  const host = await hostAgainst(
    emulator,
    "pacing",
    {},
    { PULUMI_GITHUB_SECRETS_TIME_SCALE: String(timeScale) },
  );
  try {
    const __provider = await serializedProvider("RepoSecret");
    const urn =
      "urn:pulumi:test::pacing::pulumi-nodejs:dynamic/github-secrets:RepoSecret::it";
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
    emulator.resetLog();
    await Promise.all(checked.map((c) => host.create(urn, c.inputs)));

    const log = emulator.requestLog();
    expect(log.filter((e) => e.status === 403 || e.status === 429)).toEqual([]);
    const points = log
      .map((e) => ({ at: e.arrivedAt, points: e.method === "GET" ? 1 : 5 }))
      .sort((a, b) => a.at - b.at);
    for (const { at } of points) {
      const inMinute = points.filter((p) => p.at >= at && p.at < at + minuteMs);
      expect(
        inMinute.reduce((sum, p) => sum + p.points, 0),
      ).toBeLessThanOrEqual(900);
    }
    const puts = log
      .filter((e) => e.method === "PUT")
      .map((e) => e.arrivedAt)
      .sort((a, b) => a - b);
    expect(puts).toHaveLength(writes);
    const start = log[0]!.arrivedAt;
    // Spent, not spread: the first minute's writes all went out before any had to wait…
    const early = puts.filter((t) => t < start + minuteMs);
    expect(early).toHaveLength(firstMinute);
    // …and the next one waited for the first points to leave the minute, not much longer
    // (points count from the answers, a little after the requests arrived).
    const next = puts[firstMinute]!;
    expect(next).toBeGreaterThanOrEqual(start + minuteMs);
    expect(next - start).toBeLessThan(minuteMs * 1.2);
  } finally {
    await host.close();
  }
}, 60_000);
