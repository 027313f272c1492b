import { backoffMs, isTransient, writePace } from "../../provider/traffic";

describe("write pacing keeps every minute under GitHub's points budget", () => {
  test.each([900, 5000, 54_000, 900_000])(
    "%i points a minute",
    (pointsPerMinute) => {
      const { burst, intervalMs, perTick } = writePace(pointsPerMinute);
      // The most writes any one minute can see: the burst plus a minute of steady pace.
      const writesInAMinute = burst + Math.floor(60_000 / intervalMs) * perTick;
      expect(writesInAMinute * 5).toBeLessThanOrEqual(
        pointsPerMinute * 0.95 + 5,
      );
      // …and not needlessly slower: within 10% of the budget for writes.
      expect(writesInAMinute * 5).toBeGreaterThanOrEqual(
        pointsPerMinute * 0.95 * 0.9,
      );
      expect(intervalMs).toBeGreaterThanOrEqual(10);
    },
  );

  test("GitHub's default allows a burst of 10 writes, then one every ~373 ms", () => {
    const pace = writePace(900);
    expect(pace.burst).toBe(10);
    expect(pace.perTick).toBe(1);
    expect(pace.intervalMs).toBeCloseTo(60_000 / 161, 3);
  });
});

describe("retries", () => {
  test.each([
    [
      "a connection reset (no response)",
      { message: "other side closed" },
      true,
    ],
    ["a timeout (no response)", { status: 500, message: "aborted" }, true],
    ["502", { status: 502, response: {} }, true],
    ["503", { status: 503, response: {} }, true],
    ["401", { status: 401, response: {} }, false],
    ["404", { status: 404, response: {} }, false],
    ["422", { status: 422, response: {} }, false],
    [
      "a rate-limit 403 (the throttling plugin's business)",
      { status: 403, response: {} },
      false,
    ],
  ])("%s: transient = %s", (_case, error, transient) => {
    expect(isTransient(error)).toBe(transient);
  });

  test("backoff is exponential with full jitter, capped at 30 s", () => {
    expect(backoffMs(0, 500, () => 0.999)).toBe(499);
    expect(backoffMs(3, 500, () => 0.999)).toBe(3996);
    expect(backoffMs(3, 500, () => 0)).toBe(0);
    expect(backoffMs(20, 500, () => 0.999)).toBe(29_970);
  });
});
