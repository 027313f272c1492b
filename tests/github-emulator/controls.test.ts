// Test controls: inspection API, request log, fault injection, latency, rate limits, key
// rotation and out-of-band changes.
import {
  family,
  sealForKey,
  startEmulator,
  type Emulator,
} from "../../tools/github-emulator";
import {
  api,
  closeAndCheck,
  familyCase,
  inspect,
  publicKey,
  putSecret,
  request,
} from "./helpers";

const repo = familyCase(family("actions-repo"));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("inspection API", () => {
  it("is not served by default: a client sees GitHub's 404", async () => {
    const e = await startEmulator();
    try {
      const r = await api(e, "GET", "/_emulator/world");
      expect(r.status).toBe(404);
      expect(r.json.message).toBe("Not Found");
    } finally {
      await closeAndCheck(e);
    }
  });

  it("with inspection: true, exposes the world, secrets and controls over HTTP", async () => {
    const e = await startEmulator({ inspection: true, pathPrefix: "/api/v3" });
    const call = (method: string, path: string, body?: unknown) =>
      inspect(e, method, path, body);
    try {
      const world = (await call("GET", "world")).body as unknown as {
        login: string;
      }[];
      expect(world.map((o) => o.login)).toEqual(["acme", "globex", "octocat"]);

      await putSecret(e, repo, "INSPECTED", "plain text");
      const secret = await call(
        "GET",
        "secret?family=actions-repo&scope=acme/api&name=inspected",
      );
      expect(secret.body).toMatchObject({
        name: "INSPECTED",
        value: "plain text",
      });

      await call("POST", "edit", {
        family: "actions-repo",
        scope: "acme/api",
        name: "INSPECTED",
        value: "changed",
      });
      expect(e.getSecret("actions-repo", "acme/api", "INSPECTED")!.value).toBe(
        "changed",
      );

      const oldKey = await publicKey(e, repo.base);
      const rotated = await call("POST", "rotate-key", {
        family: "actions-repo",
        scope: "acme/api",
      });
      expect(rotated.body.keyId).not.toBe(oldKey.key_id);

      const added = await call("POST", "repositories", {
        owner: "acme",
        name: "from-demo",
        environments: ["qa"],
      });
      expect(added.body).toMatchObject({
        name: "from-demo",
        owner: "acme",
        id: expect.any(Number),
      });
      expect(
        (await api(e, "GET", "/repos/acme/from-demo/environments/qa/secrets"))
          .status,
      ).toBe(200);

      await call("POST", "fail-next", {
        count: 1,
        fault: { kind: "status", status: 503 },
      });
      expect((await api(e, "GET", repo.base)).status).toBe(503);

      const log = (await call("GET", "log")).body as {
        summary: { byMethod: Record<string, number> };
      };
      expect(log.summary.byMethod.PUT).toBe(1);
      await call("DELETE", "log");
      expect(
        ((await call("GET", "log")).body as { summary: { total: number } })
          .summary.total,
      ).toBe(0);

      expect(
        (
          await call("POST", "delete", {
            family: "actions-repo",
            scope: "acme/api",
            name: "INSPECTED",
          })
        ).body,
      ).toEqual({ deleted: true });
      expect((await call("GET", "nope")).status).toBe(404);
      expect((await call("GET", "violations")).body).toEqual([]);
    } finally {
      await closeAndCheck(e);
    }
  });
});

describe("controls", () => {
  /** PUTs of a value sealed for the scope's key (fetched once, here) under `base`. */
  const writer = async (base: string) => {
    const pk = await publicKey(e, base);
    return (name: string) =>
      api(e, "PUT", `${base}/${name}`, {
        encrypted_value: sealForKey("v", pk.key),
        key_id: pk.key_id,
      });
  };

  let e: Emulator;
  beforeEach(async () => {
    e = await startEmulator();
  });
  afterEach(() => closeAndCheck(e));

  it("logs requests with counts by method, route template and status", async () => {
    await putSecret(e, repo, "LOGGED", "v");
    await api(e, "GET", `${repo.base}/LOGGED`);
    await api(e, "GET", `${repo.base}/MISSING`);
    const s = e.logSummary();
    expect(s.byMethod).toEqual({ GET: 3, PUT: 1 });
    expect(
      s.byRoute["GET /repos/{owner}/{repo}/actions/secrets/{secret_name}"],
    ).toBe(2);
    expect(
      s.byRoute["GET /repos/{owner}/{repo}/actions/secrets/public-key"],
    ).toBe(1);
    expect(s.byStatus).toEqual({ 200: 2, 201: 1, 404: 1 });
    expect(e.requestLog()[0].path).toBe(
      "/repos/acme/api/actions/secrets/public-key",
    );
    e.resetLog();
    expect(e.logSummary().total).toBe(0);
  });

  it("sends request ids and rate-limit headers on every response, 401s included", async () => {
    for (const token of [e.token, null]) {
      const r = await api(e, "GET", repo.base, undefined, token);
      expect(r.headers.get("x-github-request-id")).toMatch(/^[0-9A-F:]+$/);
      expect(r.headers.get("x-ratelimit-limit")).toBe("5000");
      expect(Number(r.headers.get("x-ratelimit-reset"))).toBeGreaterThan(
        Date.now() / 1000,
      );
    }
  });

  it("injects the same faults for the same seed", async () => {
    const run = async () => {
      e.setFaults({ seed: 42, rates: { 500: 0.3, 503: 0.2 } });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++)
        statuses.push((await api(e, "GET", repo.base)).status);
      return statuses;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 500, 503]));
    e.clearFaults();
    expect((await api(e, "GET", repo.base)).status).toBe(200);
    expect(e.logSummary().byStatus[500]).toBeGreaterThan(0);
  });

  it("answers 502 with an HTML page, like GitHub's front end", async () => {
    e.failNext(1, { kind: "status", status: 502 });
    const res = await fetch(e.url + repo.base, {
      headers: { authorization: `Bearer ${e.token}` },
    });
    expect(res.status).toBe(502);
    expect(res.headers.get("content-type")).toContain("text/html");
  });

  it("resets connections", async () => {
    e.setFaults({ rates: { reset: 1 } });
    await expect(api(e, "GET", repo.base)).rejects.toThrow();
    e.clearFaults();
    expect((await api(e, "GET", repo.base)).status).toBe(200);
    expect(e.requestLog()[0].fault).toBe("reset");
  });

  it("drops the answer after handling the request (reset-after): the write happened", async () => {
    e.setFaults({ methods: ["PUT"], rates: { resetAfter: 1 } });
    await expect(putSecret(e, repo, "APPLIED", "v")).rejects.toThrow();
    e.clearFaults();
    expect(e.getSecret("actions-repo", "acme/api", "APPLIED")!.value).toBe("v");
    expect((await putSecret(e, repo, "APPLIED", "v")).status).toBe(204);
  });

  it("limits faults to matching methods and routes, and fails the next N requests first", async () => {
    e.setFaults({
      methods: ["PUT"],
      route: "actions/secrets/\\{secret_name\\}$",
      rates: { 500: 1 },
    });
    expect((await api(e, "GET", repo.base)).status).toBe(200);
    expect((await putSecret(e, repo, "FAULTY", "v")).status).toBe(500);
    e.clearFaults();
    e.failNext(2, { kind: "status", status: 503 });
    expect((await api(e, "GET", repo.base)).status).toBe(503);
    expect((await api(e, "GET", repo.base)).status).toBe(503);
    expect((await api(e, "GET", repo.base)).status).toBe(200);
  });

  it("delays responses: fixed latency and delay faults", async () => {
    e.setLatency(60);
    let t = Date.now();
    await api(e, "GET", repo.base);
    expect(Date.now() - t).toBeGreaterThanOrEqual(55);
    e.setLatency(0);
    e.setFaults({ rates: { delay: 1 }, delayMs: 80 });
    t = Date.now();
    expect((await api(e, "GET", repo.base)).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(75);
  });

  it("enforces the primary rate limit per token and resets it after the (scaled) window", async () => {
    e.setRateLimits({ primary: { limit: 3 }, timeScale: 3600 * 4 }); // an hour lasts 250 ms
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++)
      remaining.push(
        (await api(e, "GET", repo.base)).headers.get("x-ratelimit-remaining"),
      );
    expect(remaining).toEqual(["2", "1", "0"]);
    const limited = await api(e, "GET", repo.base);
    expect(limited.status).toBe(403);
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(limited.json.message).toMatch(/^API rate limit exceeded/);
    // Another token has its own budget.
    expect(
      (await api(e, "GET", repo.base, undefined, "ghp_emulator_readonly_token"))
        .status,
    ).toBe(200);
    await sleep(300);
    expect((await api(e, "GET", repo.base)).status).toBe(200);
    expect(e.rateLimitStats()).toMatchObject({
      primaryRejections: 1,
      byStatus: { 403: 1 },
    });
  });

  it("can answer an exhausted primary limit with 429", async () => {
    e.setRateLimits({ primary: { limit: 1, status: 429 } });
    await api(e, "GET", repo.base);
    expect((await api(e, "GET", repo.base)).status).toBe(429);
    expect(e.rateLimitStats().byStatus).toEqual({ 429: 1 });
  });

  it("enforces the secondary points budget (writes cost 5) with retry-after", async () => {
    e.setRateLimits({ secondary: { pointsPerMinute: 12 }, timeScale: 60 }); // a minute lasts 1 s
    const put = await writer(repo.base); // its key: 1 point
    expect((await put("A")).status).toBe(201); // 6
    expect((await put("B")).status).toBe(201); // 11
    const limited = await put("C");
    expect(limited.status).toBe(403);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(limited.json.message).toMatch(/secondary rate limit/);
    expect((await api(e, "GET", repo.base)).status).toBe(200); // a read still fits: 12
    await sleep(1100);
    expect((await put("C")).status).toBe(201);
    expect(e.rateLimitStats().secondaryRejections).toBe(1);
  });

  it("gives each token its own secondary budget, as GitHub limits each user or installation", async () => {
    e.setRateLimits({ secondary: { pointsPerMinute: 6 }, timeScale: 60 });
    const other = "ghp_second_token_own_budget_000001";
    e.addToken({ token: other, login: "second-bot" });
    const pk = await publicKey(e, repo.base); // 1 point of the first token's 6
    const put = (name: string, token?: string) =>
      request(e, "PUT", `${repo.base}/${name}`, {
        body: { encrypted_value: sealForKey("v", pk.key), key_id: pk.key_id },
        ...(token ? { token } : {}),
      });
    expect((await put("FIRST_A")).status).toBe(201); // 6: the first token's budget is spent
    expect((await put("FIRST_B")).status).toBe(403);
    expect((await put("SECOND_A", other)).status).toBe(201); // the second token's own 5
    const logins = e
      .requestLog()
      .filter((entry) => entry.method === "PUT")
      .map((entry) => `${entry.login} ${entry.status}`);
    expect(logins).toEqual(["octocat 201", "octocat 403", "second-bot 201"]);
  });

  it("enforces the content-creation limit per minute: 403 without retry-after, deletes and reads free", async () => {
    e.setRateLimits({ contentCreation: { perMinute: 2 }, timeScale: 200 }); // a minute: 300 ms
    const put = await writer(repo.base);
    expect((await put("A")).status).toBe(201);
    expect((await put("B")).status).toBe(201);
    const blocked = await put("C");
    expect(blocked.status).toBe(403);
    expect(blocked.json.message).toMatch(
      /secondary rate limit and have been temporarily blocked from content creation/,
    );
    expect(blocked.headers.get("retry-after")).toBeNull();
    // Not the primary limit: a client must not wait for x-ratelimit-reset.
    expect(blocked.headers.get("x-ratelimit-remaining")).not.toBe("0");
    expect((await api(e, "DELETE", `${repo.base}/A`)).status).toBe(204);
    expect((await api(e, "GET", repo.base)).status).toBe(200);
    await sleep(320);
    expect((await put("C")).status).toBe(201);
    expect(e.rateLimitStats()).toMatchObject({
      contentRejections: 1,
      secondaryRejections: 1,
    });
  });

  it("enforces the content-creation limit per hour", async () => {
    e.setRateLimits({
      contentCreation: { perMinute: 100, perHour: 2 },
      timeScale: 12_000, // an hour: 300 ms
    });
    const put = await writer(repo.base);
    expect((await put("A")).status).toBe(201);
    expect((await put("B")).status).toBe(201);
    expect((await put("C")).status).toBe(403);
    await sleep(320);
    expect((await put("C")).status).toBe(201);
    expect(e.getSecret("actions-repo", "acme/api", "C")).toBeDefined();
  });

  it("can send retry-after with a content-creation refusal", async () => {
    e.setRateLimits({
      contentCreation: { perMinute: 1, retryAfter: true },
      timeScale: 60,
    });
    const put = await writer(repo.base);
    expect((await put("A")).status).toBe(201);
    const blocked = await put("B");
    expect(blocked.status).toBe(403);
    expect(blocked.headers.get("retry-after")).toBe("1");
  });

  it("limits concurrent requests", async () => {
    e.setRateLimits({ secondary: { maxConcurrent: 2 } });
    e.setLatency(100);
    const statuses = await Promise.all(
      Array.from({ length: 5 }, () =>
        api(e, "GET", repo.base).then((r) => r.status),
      ),
    );
    // The latency keeps the first two in flight while the other three arrive.
    expect(statuses.sort()).toEqual([200, 200, 403, 403, 403]);
    expect(e.rateLimitStats().secondaryRejections).toBe(3);
    expect(e.rateLimitStats().inFlight).toBe(0);
  });

  it("rotates a scope's key: the old key_id gets 422, stored values keep their key id", async () => {
    const before = await publicKey(e, repo.base);
    await putSecret(e, repo, "ROTATED", "v1");
    const after = e.rotateKey("actions-repo", "acme/api");
    expect((await publicKey(e, repo.base)).key_id).toBe(after.keyId);
    const stale = await api(e, "PUT", `${repo.base}/ROTATED`, {
      encrypted_value: sealForKey("v2", before.key),
      key_id: before.key_id,
    });
    expect(stale.status).toBe(422);
    expect(e.getSecret("actions-repo", "acme/api", "ROTATED")).toMatchObject({
      value: "v1",
      keyId: before.key_id,
    });
    expect((await putSecret(e, repo, "ROTATED", "v2")).status).toBe(204);
    expect(e.getSecret("actions-repo", "acme/api", "ROTATED")).toMatchObject({
      value: "v2",
      keyId: after.keyId,
    });
  });

  it("edits out of band: value changes and updated_at visibly moves forward", async () => {
    await putSecret(e, repo, "DRIFT", "mine");
    const before = (await api(e, "GET", `${repo.base}/DRIFT`)).json;
    e.editSecret("actions-repo", "acme/api", "drift", { value: "theirs" });
    const after = (await api(e, "GET", `${repo.base}/DRIFT`)).json;
    expect(after.updated_at).not.toBe(before.updated_at);
    expect(after.created_at).toBe(before.created_at);
    expect(e.getSecret("actions-repo", "acme/api", "DRIFT")!.value).toBe(
      "theirs",
    );
  });

  it("deletes out of band", async () => {
    await putSecret(e, repo, "GONE", "v");
    expect(e.deleteSecret("actions-repo", "acme/api", "gone")).toBe(true);
    expect((await api(e, "GET", `${repo.base}/GONE`)).status).toBe(404);
    expect(e.deleteSecret("actions-repo", "acme/api", "gone")).toBe(false);
  });

  it("throws in-process for a scope outside the world", () => {
    expect(() => e.getSecret("actions-repo", "acme/nope", "X")).toThrow(
      /no repo/,
    );
  });
});
