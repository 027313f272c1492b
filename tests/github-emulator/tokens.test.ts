// Tokens: a rotated (regenerated) token keeps its user and permissions and the old value answers
// 401 "Bad credentials"; tokens can be added at run time.
import {
  DEFAULT_READONLY_TOKEN,
  DEFAULT_TOKEN,
  family,
  startEmulator,
  type Emulator,
} from "../../tools/github-emulator";
import { api, closeAndCheck, familyCase, inspect, putSecret } from "./helpers";

const repo = familyCase(family("actions-repo"));
const userCase = familyCase(family("codespaces-user"));

let e: Emulator;
beforeEach(async () => {
  e = await startEmulator();
});
afterEach(() => closeAndCheck(e));

describe("rotateToken", () => {
  it("refuses the old token with 401 and accepts the new one for writes", async () => {
    const fresh = e.rotateToken(DEFAULT_TOKEN);
    expect(fresh).toMatch(/^ghp_[A-Za-z0-9]{36}$/);
    expect(fresh).not.toBe(DEFAULT_TOKEN);
    const old = await api(e, "GET", repo.base, undefined, DEFAULT_TOKEN);
    expect(old.status).toBe(401);
    expect(old.json.message).toBe("Bad credentials");
    // The emulator's write token follows the rotation.
    expect(e.token).toBe(fresh);
    expect((await putSecret(e, repo, "AFTER_ROTATION", "v")).status).toBe(201);
    expect(
      e.getSecret("actions-repo", "acme/api", "AFTER_ROTATION")!.value,
    ).toBe("v");
  });

  it("keeps the user: /user secrets written before and after are the same user's", async () => {
    await putSecret(e, userCase, "MINE", "v", { selected_repository_ids: [] });
    e.rotateToken(DEFAULT_TOKEN);
    const r = await api(e, "GET", `${userCase.base}/MINE`);
    expect(r.status).toBe(200);
    expect(r.json.name).toBe("MINE");
  });

  it("keeps a read-only token read-only", async () => {
    const fresh = e.rotateToken(DEFAULT_READONLY_TOKEN);
    expect((await api(e, "GET", repo.base, undefined, fresh)).status).toBe(200);
    const write = await api(e, "DELETE", `${repo.base}/ANY`, undefined, fresh);
    expect(write.status).toBe(403);
    expect(
      (await api(e, "GET", repo.base, undefined, DEFAULT_READONLY_TOKEN))
        .status,
    ).toBe(401);
    // The write token was not the one rotated.
    expect(e.token).toBe(DEFAULT_TOKEN);
  });

  it("throws for a token it does not know, including one already rotated", () => {
    e.rotateToken(DEFAULT_TOKEN);
    expect(() => e.rotateToken(DEFAULT_TOKEN)).toThrow(/unknown token/);
    expect(() => e.rotateToken("ghp_never_issued")).toThrow(/unknown token/);
  });
});

describe("addToken", () => {
  it("adds a token for a new user, whose /user secrets are their own", async () => {
    await putSecret(e, userCase, "OCTOCATS", "v", {
      selected_repository_ids: [],
    });
    e.addToken({ token: "ghp_hubot", login: "hubot" });
    expect(e.world.owner("hubot")?.type).toBe("User");
    const list = await api(e, "GET", userCase.base, undefined, "ghp_hubot");
    expect(list.status).toBe(200);
    expect(list.json.total_count).toBe(0);
    expect(
      (await api(e, "GET", `${userCase.base}/OCTOCATS`, undefined, "ghp_hubot"))
        .status,
    ).toBe(404);
    expect(() => e.addToken({ token: "ghp_hubot", login: "x" })).toThrow(
      /exists/,
    );
  });
});

describe("inspection API", () => {
  it("rotates and adds tokens over HTTP", async () => {
    const i = await startEmulator({ inspection: true });
    const call = (path: string, body: unknown) =>
      inspect<{ token?: string }>(i, "POST", path, body);
    try {
      const rotated = await call("rotate-token", { token: DEFAULT_TOKEN });
      expect(rotated.status).toBe(200);
      expect(rotated.body.token).toMatch(/^ghp_/);
      expect(
        (await api(i, "GET", repo.base, undefined, DEFAULT_TOKEN)).status,
      ).toBe(401);
      expect(
        (await api(i, "GET", repo.base, undefined, rotated.body.token!)).status,
      ).toBe(200);
      expect(
        (await call("rotate-token", { token: DEFAULT_TOKEN })).status,
      ).toBe(400);

      expect(
        (
          await call("tokens", {
            token: "ghp_ci",
            login: "octocat",
            write: false,
          })
        ).status,
      ).toBe(200);
      expect(
        (await api(i, "DELETE", `${repo.base}/X`, undefined, "ghp_ci")).status,
      ).toBe(403);
    } finally {
      await closeAndCheck(i);
    }
  });
});
