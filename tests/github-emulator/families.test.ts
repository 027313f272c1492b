// The secret lifecycle, for every row of the families table (real HTTP, default world).
import {
  MAX_SECRET_BYTES,
  sealForKey,
  startEmulator,
  type Emulator,
} from "../../tools/github-emulator";
import {
  api,
  closeAndCheck,
  FAMILY_CASES,
  familyCase,
  parseLink,
  publicKey,
  putExtras,
  putSecret,
} from "./helpers";

let e: Emulator;
beforeAll(async () => {
  e = await startEmulator();
});
afterAll(() => closeAndCheck(e));

describe.each(FAMILY_CASES)("$id ($base)", (c) => {
  it("answers 401 Bad credentials without a token or with an unknown one", async () => {
    for (const token of [null, "ghp_wrong"]) {
      const r = await api(e, "GET", c.base, undefined, token);
      expect(r.status).toBe(401);
      expect(r.json.message).toBe("Bad credentials");
      expect(r.json.documentation_url).toEqual(expect.any(String));
    }
  });

  it("accepts both 'Bearer' and 'token' authorization schemes", async () => {
    const res = await fetch(`${e.url}${c.base}`, {
      headers: { authorization: `token ${e.token}` },
    });
    expect(res.status).toBe(200);
  });

  it("serves a base64 X25519 public key with a digit-string key_id", async () => {
    const pk = await publicKey(e, c.base);
    expect(pk.key_id).toMatch(/^\d{18}$/);
    expect(Buffer.from(pk.key, "base64")).toHaveLength(32);
    expect(await publicKey(e, c.base)).toEqual(pk);
  });

  it("creates with 201, updates with 204, and stores the decrypted value upper-cased", async () => {
    const created = await putSecret(e, c, "lifecycle_one", "first");
    expect(created.status).toBe(201);
    expect(created.json).toEqual({});
    const before = e.getSecret(c.id, c.scope, "LIFECYCLE_ONE")!;
    expect(before).toMatchObject({ name: "LIFECYCLE_ONE", value: "first" });

    const updated = await putSecret(e, c, "Lifecycle_One", "second");
    expect(updated.status).toBe(204);
    const after = e.getSecret(c.id, c.scope, "lifecycle_one")!;
    expect(after.value).toBe("second");
    expect(after.createdAt).toBe(before.createdAt);
    expect(Date.parse(after.updatedAt)).toBeGreaterThanOrEqual(
      Date.parse(before.updatedAt),
    );
  });

  it("looks names up case-insensitively and reports GitHub's timestamps", async () => {
    await putSecret(e, c, "CASE_TEST", "x");
    const r = await api(e, "GET", `${c.base}/case_test`);
    expect(r.status).toBe(200);
    expect(r.json.name).toBe("CASE_TEST");
    expect(r.json.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(r.json.updated_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it.each([
    ["multi-line", "line 1\nline 2\r\nline 3\n"],
    ["UTF-8", "pässwörd 🔑 秘密"],
    ["48 KB", "x".repeat(MAX_SECRET_BYTES)],
    ["empty", ""],
  ])("round-trips a %s value", async (_label, value) => {
    expect([201, 204]).toContain(
      (await putSecret(e, c, "ROUND_TRIP", value)).status,
    );
    expect(e.getSecret(c.id, c.scope, "ROUND_TRIP")!.value).toBe(value);
  });

  it("refuses a value over 48 KB with 422", async () => {
    const r = await putSecret(
      e,
      c,
      "TOO_BIG",
      "x".repeat(MAX_SECRET_BYTES + 1),
    );
    expect(r.status).toBe(422);
  });

  it("answers 422 for an unknown key_id, a value sealed for another key, and non-base64", async () => {
    const pk = await publicKey(e, c.base);
    const other = e.getPublicKey("actions-repo", "acme/infra");
    const cases = [
      {
        encrypted_value: sealForKey("v", pk.key),
        key_id: "123456789012345678",
      },
      { encrypted_value: sealForKey("v", other.key), key_id: pk.key_id },
      {
        encrypted_value: Buffer.from("not a sealed box at all").toString(
          "base64",
        ),
        key_id: pk.key_id,
      },
      { encrypted_value: "not base64!", key_id: pk.key_id },
    ];
    for (const body of cases) {
      const r = await api(e, "PUT", `${c.base}/BAD_SEAL`, {
        ...body,
        ...putExtras(c.family),
      });
      expect(r.status).toBe(422);
      expect(r.json).toMatchObject({
        message: expect.any(String),
        documentation_url: expect.any(String),
      });
    }
    expect(e.getSecret(c.id, c.scope, "BAD_SEAL")).toBeUndefined();
  });

  it.each(["1STARTS_WITH_DIGIT", "HAS-DASH", "GITHUB_TOKEN", "github_lower"])(
    "refuses the name %s with 422",
    async (name) => {
      expect((await putSecret(e, c, name, "v")).status).toBe(422);
    },
  );

  it("deletes with 204, then answers 404", async () => {
    await putSecret(e, c, "TO_DELETE", "v");
    expect((await api(e, "DELETE", `${c.base}/to_delete`)).status).toBe(204);
    expect((await api(e, "DELETE", `${c.base}/TO_DELETE`)).status).toBe(404);
    const r = await api(e, "GET", `${c.base}/TO_DELETE`);
    expect(r.status).toBe(404);
    expect(r.json.message).toBe("Not Found");
  });

  it("refuses writes from a token without write permission with 403", async () => {
    const pk = await publicKey(e, c.base);
    const body = {
      encrypted_value: sealForKey("v", pk.key),
      key_id: pk.key_id,
      ...putExtras(c.family),
    };
    const r = await api(
      e,
      "PUT",
      `${c.base}/READONLY`,
      body,
      "ghp_emulator_readonly_token",
    );
    expect(r.status).toBe(403);
    expect(r.json.message).toBe(
      "Resource not accessible by personal access token",
    );
    expect(
      (await api(e, "GET", c.base, undefined, "ghp_emulator_readonly_token"))
        .status,
    ).toBe(200);
  });

  it("answers 404 for an unknown owner, repository or environment", async () => {
    if (c.family.scope === "user") return; // /user/... always names the token's user
    for (const where of [
      { owner: "no-such-org" },
      { repo: "no-such-repo" },
      { environment: "no-such-env" },
    ]) {
      const other = familyCase(c.family, where);
      if (other.base === c.base) continue; // the family has no such path parameter
      const r = await api(e, "GET", other.base);
      expect(r.status).toBe(404);
      expect(r.json.message).toBe("Not Found");
    }
  });
});

describe.each(FAMILY_CASES)("pagination of $id", (c) => {
  it("pages with per_page/page, total_count and RFC 5988 Link headers", async () => {
    const scoped = familyCase(c.family, {
      repo: "infra",
      owner: c.family.scope === "org" ? "globex" : "acme",
    });
    if (c.family.scope === "environment") {
      e.addEnvironment("acme", "infra", "paging");
      Object.assign(
        scoped,
        familyCase(c.family, { repo: "infra", environment: "paging" }),
      );
    }
    // The user scope is shared with other tests: count what is there first.
    const existing = (await api(e, "GET", scoped.base)).json
      .total_count as number;
    for (let i = 0; i < 7; i++)
      await putSecret(e, scoped, `PAGE_${i}`, `v${i}`);
    const total = existing + 7;

    const first = await api(e, "GET", `${scoped.base}?per_page=3`);
    expect(first.json.total_count).toBe(total);
    expect(first.json.secrets).toHaveLength(3);
    const links = parseLink(first.headers.get("link"));
    expect(Object.keys(links).sort()).toEqual(["last", "next"]);
    expect(links.last).toContain(`page=${Math.ceil(total / 3)}`);

    const seen: string[] = [];
    let next: string | undefined = `${e.url}${scoped.base}?per_page=3`;
    while (next) {
      const r = await fetch(next, {
        headers: { authorization: `Bearer ${e.token}` },
      });
      const body = (await r.json()) as { secrets: { name: string }[] };
      seen.push(...body.secrets.map((s) => s.name));
      next = parseLink(r.headers.get("link")).next;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);

    const last = await api(
      e,
      "GET",
      `${scoped.base}?per_page=3&page=${Math.ceil(total / 3)}`,
    );
    expect(Object.keys(parseLink(last.headers.get("link"))).sort()).toEqual([
      "first",
      "prev",
    ]);

    const capped = await api(e, "GET", `${scoped.base}?per_page=500`);
    expect((capped.json.secrets as unknown[]).length).toBe(total);
    expect(capped.headers.get("link")).toBeNull();
  });
});
