import { backoffMs, isTransient, Pause } from "../../provider/traffic";

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
      "a rate-limit 403 (paced, not retried as transient)",
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

describe("a pause after GitHub refuses", () => {
  const setup = () => {
    let now = 1_000_000;
    const told: string[] = [];
    const pause = new Pause(
      60_000,
      (m) => told.push(m),
      () => now,
    );
    return {
      pause,
      told,
      advance: (ms: number) => (now += ms),
      left: () => pause.pausedUntil - now,
    };
  };

  test("honours retry-after, and tells the user once per pause", () => {
    const { pause, told, left } = setup();
    expect(pause.refused("secondary", 7)).toBe(true);
    expect(left()).toBe(7000);
    // Other requests refused during the same pause neither extend it nor say it again.
    expect(pause.refused("secondary", 7)).toBe(true);
    expect(left()).toBe(7000);
    expect(told).toEqual([
      "GitHub is pacing this run (secondary): waiting 7 s before sending more requests; nothing is lost, the run continues by itself",
    ]);
  });

  test("without retry-after: a minute, doubled at each refusal up to 8 minutes, reset by a success", () => {
    const { pause, left, advance, told } = setup();
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      pause.refused("content", undefined);
      waits.push(left());
      advance(left());
    }
    expect(waits).toEqual([
      60_000, 120_000, 240_000, 480_000, 480_000, 480_000,
    ]);
    expect(told[3]).toContain("waiting 8 min");
    pause.succeeded();
    pause.refused("content", undefined);
    expect(left()).toBe(60_000);
  });

  test("a success from a request sent before the pause does not end the run of refusals", () => {
    const { pause, left } = setup();
    pause.refused("content", undefined);
    pause.succeeded(); // still paused: an answer to an earlier request
    expect(left()).toBe(60_000);
  });

  test("gives up after 90 first waits of refusals on end", () => {
    const { pause, advance, left } = setup();
    let retried = 0;
    while (pause.refused("content", undefined)) {
      retried++;
      advance(left());
    }
    // Refusals at 0, 1, 3, 7, 15, 23, …, 87 minutes are retried; the one at 95 is not.
    expect(retried).toBe(14);
  });
});
