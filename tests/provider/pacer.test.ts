// The pacer on a fake clock: what GitHub's budget lets through at once, when the rest goes, and
// how a content-creation refusal changes the pace for the rest of the run.
import {
  Pacer,
  pacedRequest,
  Pause,
  type Clock,
  type TrafficSettings,
} from "../../provider/traffic";

/** A clock whose time moves only when the test says, running timers as it passes them. */
class FakeClock implements Clock {
  private time = 0;
  private timers: { at: number; callback: () => void }[] = [];

  now(): number {
    return this.time;
  }

  after(ms: number, callback: () => void): () => void {
    const timer = { at: this.time + ms, callback };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Moves time forward to `until`, running each timer at its time, and what they start. */
  async advanceTo(until: number): Promise<void> {
    for (;;) {
      await settle();
      const next = this.timers
        .filter((t) => t.at <= until)
        .sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.time = Math.max(this.time, next.at);
      next.callback();
    }
    this.time = Math.max(this.time, until);
    await settle();
  }
}

/** Lets promise callbacks run (admissions resolve through promises). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

const minute = 60_000;

function setup(
  limits: { pointsPerMinute?: number; maxConcurrency?: number } = {},
) {
  const clock = new FakeClock();
  const told: string[] = [];
  const pause = new Pause(
    minute,
    (m) => told.push(m),
    () => clock.now(),
  );
  const pacer = new Pacer(
    {
      pointsPerMinute: limits.pointsPerMinute ?? 900,
      maxConcurrency: limits.maxConcurrency ?? 100,
      timeScale: 1,
    },
    pause,
    clock,
  );
  /** Requests that were admitted: when, their method, and how to answer them. */
  const admitted: { at: number; method: string; release: () => void }[] = [];
  /** Sends `count` requests; each is answered `latencyMs` after it leaves (never, if undefined). */
  const send = (method: string, count = 1, latencyMs?: number) => {
    for (let i = 0; i < count; i++)
      void pacer.acquire(method).then((release) => {
        admitted.push({ at: clock.now(), method, release });
        if (latencyMs !== undefined) clock.after(latencyMs, release);
      });
  };
  const run = (until: number) => clock.advanceTo(until);
  return { clock, pause, pacer, told, admitted, send, run };
}

test("the window admits 170 writes at once after 4 key reads, then waits exactly until the oldest points leave the minute", async () => {
  const { admitted, send, run } = setup();
  send("GET", 4, 30);
  send("PUT", 250, 30);
  await run(minute);
  // 100 in flight at once (GitHub's concurrency), the rest of the 855 points as answers free slots.
  expect(admitted.filter((a) => a.at === 0)).toHaveLength(100);
  const firstMinute = admitted.filter((a) => a.at < minute);
  expect(firstMinute.filter((a) => a.method === "GET")).toHaveLength(4);
  expect(firstMinute.filter((a) => a.method === "PUT")).toHaveLength(170);
  expect(Math.max(...firstMinute.map((a) => a.at))).toBe(30);
  // The 171st write (4 + 171·5 = 859 > 855 points) waits until the first answers (t = 30 ms)
  // are a minute old, not a moment longer.
  await run(minute + 30);
  const next = admitted.filter((a) => a.at >= minute);
  expect(next.length).toBeGreaterThan(0);
  expect(Math.min(...next.map((a) => a.at))).toBe(minute + 30);
  await run(3 * minute);
  expect(admitted).toHaveLength(254);
});

test("any minute holds at most 95% of the budget, counted from the answers", async () => {
  const { admitted, send, run } = setup();
  send("PUT", 600, 30);
  await run(5 * minute);
  expect(admitted).toHaveLength(600);
  const starts = admitted.map((a) => a.at);
  for (const t of starts) {
    // GitHub counts a request when it arrives, at most 30 ms after it left here.
    const inMinute = starts.filter((s) => s >= t && s < t + minute).length;
    expect(inMinute * 5).toBeLessThanOrEqual(900 * 0.95);
  }
  // …and each minute is used: 171 writes, then 171 more a minute later, and so on.
  expect(starts.filter((s) => s < minute)).toHaveLength(171);
  expect(starts.filter((s) => s < 2 * minute)).toHaveLength(342);
});

test("never more than maxConcurrency in flight", async () => {
  const { admitted, send } = setup({ maxConcurrency: 3 });
  send("GET", 10);
  await settle();
  expect(admitted).toHaveLength(3);
  admitted[0]!.release();
  await settle();
  expect(admitted).toHaveLength(4);
});

test("nothing is sent during a pause; the queue goes on when it ends", async () => {
  const { admitted, send, pause, clock } = setup();
  pause.refused("secondary", 7);
  send("GET", 2);
  await clock.advanceTo(6_999);
  expect(admitted).toHaveLength(0);
  await clock.advanceTo(7_000);
  expect(admitted.map((a) => a.at)).toEqual([7_000, 7_000]);
});

test("after a content-creation refusal: 80 writes a minute and 500 an hour, counting the writes already sent; reads and deletes are not counted", async () => {
  const { admitted, send, pacer, run } = setup({
    pointsPerMinute: 1_000_000,
  });
  send("PUT", 100, 10); // before any refusal: the points budget alone
  await run(1_000);
  expect(admitted).toHaveLength(100);
  expect(pacer.keepToContentLimit()).toBe(true);
  expect(pacer.keepToContentLimit()).toBe(false); // once
  // The minute's 80 content writes are used up, but a read and a delete create nothing.
  send("GET", 1, 10);
  send("DELETE", 1, 10);
  await run(1_000);
  expect(admitted).toHaveLength(102);
  send("PUT", 500, 10);
  await run(minute);
  // The 100 writes answered at 10 ms fill the minute's 80: the next write waits for them.
  expect(admitted).toHaveLength(102);
  await run(minute + 10);
  expect(admitted.length).toBe(182);
  // The hour's 500: 100 before the refusal, then 80 a minute.
  await run(59 * minute);
  expect(admitted.filter((a) => a.method === "PUT")).toHaveLength(500);
  await run(61 * minute);
  const puts = admitted.filter((a) => a.method === "PUT");
  expect(puts.length).toBeGreaterThan(500);
  expect(Math.min(...puts.slice(500).map((a) => a.at))).toBe(60 * minute + 10);
  for (const t of puts.map((a) => a.at)) {
    expect(
      puts.filter((p) => p.at >= t && p.at < t + minute).length,
    ).toBeLessThanOrEqual(100);
  }
});

test("a write a rate limit refused created nothing: the hour keeps all of its 500 for the writes GitHub accepts", async () => {
  const { admitted, send, pacer, run } = setup({
    pointsPerMinute: 1_000_000,
  });
  const release = await pacer.acquire("PUT");
  release(true); // refused by the content-creation limit
  pacer.keepToContentLimit();
  send("PUT", 501, 10);
  await run(59 * minute);
  // Counted, the refused write would leave 499 for the hour, and the 500th would wait for the next.
  expect(admitted).toHaveLength(500);
  await run(61 * minute);
  expect(admitted).toHaveLength(501);
});

describe("pacedRequest: GitHub's refusals", () => {
  const settings: TrafficSettings = {
    maxRetries: 3,
    retryDelayMs: 1,
    requestTimeoutMs: 1000,
    maxConcurrency: 100,
    pointsPerMinute: 900,
    secondaryLimitWaitSeconds: 60,
    timeScale: 1,
  };
  const refusal = (retryAfter?: number) =>
    Object.assign(new Error("You have exceeded a secondary rate limit."), {
      status: 403,
      response: {
        headers: retryAfter ? { "retry-after": String(retryAfter) } : {},
        data: {
          message:
            "You have exceeded a secondary rate limit and have been temporarily blocked from content creation.",
        },
      },
    });

  test("without retry-after: a pause of a minute, then the content-creation pace, told once", async () => {
    const { clock, pause, pacer, told } = setup();
    let calls = 0;
    const request = pacedRequest(settings, pacer, pause, (m) => told.push(m));
    const answer = request(
      async () => {
        if (calls++ === 0) throw refusal();
        return "ok";
      },
      { method: "PUT" },
    );
    await clock.advanceTo(minute - 1);
    expect(calls).toBe(1);
    await clock.advanceTo(minute);
    await expect(answer).resolves.toBe("ok");
    expect(calls).toBe(2);
    expect(told).toEqual([
      "GitHub's content-creation limit refused a write: the rest of this run sends at most 80 writes a minute and 500 an hour",
      expect.stringContaining("waiting 60 s before sending more requests"),
    ]);
    expect(pacer.keepToContentLimit()).toBe(false);
  });

  test("with retry-after: a pause of that long, and the pace stays GitHub's points budget", async () => {
    const { clock, pause, pacer, told } = setup();
    let calls = 0;
    const request = pacedRequest(settings, pacer, pause, (m) => told.push(m));
    const answer = request(
      async () => {
        if (calls++ === 0) throw refusal(3);
        return "ok";
      },
      { method: "PUT" },
    );
    await clock.advanceTo(3_000);
    await expect(answer).resolves.toBe("ok");
    expect(told).toEqual([expect.stringContaining("waiting 3 s")]);
    expect(pacer.keepToContentLimit()).toBe(true);
  });

  test("a refusal that is not a rate limit reaches the caller at once", async () => {
    const { pause, pacer } = setup();
    const forbidden = Object.assign(new Error("Resource not accessible"), {
      status: 403,
      response: { headers: {}, data: { message: "Resource not accessible" } },
    });
    const request = pacedRequest(settings, pacer, pause, () => {});
    await expect(
      request(
        async () => {
          throw forbidden;
        },
        { method: "PUT" },
      ),
    ).rejects.toBe(forbidden);
  });
});
