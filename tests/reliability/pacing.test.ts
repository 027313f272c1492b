// The write pacing, measured where GitHub measures it: on the emulator's clock, with GitHub's
// secondary limit enforced on a 20× time scale (an emulated minute lasts three seconds), for
// writes a provider host sends all at once. No emulated minute may hold more than GitHub's 900
// points (180 writes), no write may be refused, and the steady pace is the pacer's: never faster,
// and not at half speed, as when a heartbeat as long as the write interval let writes out every
// other interval. The bound against half speed is loose (1.6×) so a loaded machine passes it;
// the benchmark measures the pace itself.
import { writePace } from "../../provider/traffic";
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import { hostPool } from "../support/host";
import { serializedProvider } from "../support/serialized-provider";

const timeScale = 20;
const pointsPerMinute = 900 * timeScale;
const minuteMs = 60_000 / timeScale;
const writes = 250;

let emulator: Emulator;
const pool = hostPool(() => emulator, "pacing");
beforeAll(async () => {
  emulator = await startEmulator({
    rateLimits: { timeScale, secondary: true, primary: { limit: 1_000_000 } },
  });
});
afterAll(async () => {
  await emulator.close();
});

test(`${writes} writes at once: within GitHub's budget every minute, none refused, at the pacer's pace`, async () => {
  const host = await pool.hostFor({
    "github:pointsPerMinute": String(pointsPerMinute),
  });
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
  const puts = log
    .filter((e) => e.method === "PUT")
    .map((e) => e.arrivedAt)
    .sort((a, b) => a - b);
  expect(puts).toHaveLength(writes);
  for (const start of puts) {
    const inMinute = puts.filter((t) => t >= start && t < start + minuteMs);
    expect(inMinute.length * 5).toBeLessThanOrEqual(900);
  }
  const { burst, intervalMs, perTick } = writePace(pointsPerMinute);
  const steady = puts.slice(burst);
  const perWrite = (steady.at(-1)! - steady[0]!) / (steady.length - 1);
  expect(perWrite).toBeGreaterThanOrEqual((intervalMs / perTick) * 0.9);
  expect(perWrite).toBeLessThanOrEqual((intervalMs / perTick) * 1.6);
});
