// Renamed and transferred repositories: the old owner/name answers 301 (GET, HEAD) or 307 (any
// other method) pointing at /repositories/{id}/…, as GitHub's "HTTP redirects" section says;
// nothing is changed by a redirected write until the client repeats it at the new location.
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

const DOCS =
  "https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects";
const actions = family("actions-repo");
const environments = family("actions-environment");
const ENV = "production env/with space";
const ENV_PATH = encodeURIComponent(ENV);

interface Move {
  kind: string;
  apply(e: Emulator): void;
  owner: string;
  name: string;
}

const MOVES: Move[] = [
  {
    kind: "rename",
    apply: (e) => void e.renameRepository("acme", "api", "api-v2"),
    owner: "acme",
    name: "api-v2",
  },
  {
    kind: "transfer",
    apply: (e) => void e.transferRepository("acme", "api", "globex"),
    owner: "globex",
    name: "api",
  },
];

/** A PUT body sealed for the key of the collection at `base`. */
async function sealed(e: Emulator, base: string, value: string) {
  const pk = await publicKey(e, base);
  return { encrypted_value: sealForKey(value, pk.key), key_id: pk.key_id };
}

describe.each(MOVES)("after a $kind of acme/api", (m) => {
  const oldRepo = familyCase(actions);
  const newRepo = familyCase(actions, { owner: m.owner, repo: m.name });
  const newScope = `${m.owner}/${m.name}`;
  let e: Emulator;
  beforeEach(async () => {
    e = await startEmulator();
    expect(
      (await putSecret(e, oldRepo, "MOVED", "before the move")).status,
    ).toBe(201);
    const envCase = familyCase(environments, { environment: ENV });
    expect((await putSecret(e, envCase, "ENV_MOVED", "env value")).status).toBe(
      201,
    );
    m.apply(e);
  });
  afterEach(() => closeAndCheck(e));

  it("keeps the id, the secrets and the environments under the new name", async () => {
    const repo = await api(e, "GET", `/repos/${newScope}`);
    expect(repo.status).toBe(200);
    expect(repo.json).toMatchObject({ id: 101, full_name: newScope });
    expect(e.getSecret("actions-repo", newScope, "MOVED")!.value).toBe(
      "before the move",
    );
    expect(
      e.getSecret("actions-environment", `${newScope}/${ENV}`, "ENV_MOVED")!
        .value,
    ).toBe("env value");
    expect((await api(e, "GET", `${newRepo.base}/MOVED`)).status).toBe(200);
  });

  it("answers GET on the old path with 301 and a Location at /repositories/{id}/…, query kept", async () => {
    const r = await request(e, "GET", `${oldRepo.base}/MOVED?x=1&y=two`, {
      redirect: "manual",
    });
    const location = `${e.url}/repositories/101/actions/secrets/MOVED?x=1&y=two`;
    expect(r.status).toBe(301);
    expect(r.headers.get("location")).toBe(location);
    expect(r.json).toEqual({
      message: "Moved Permanently",
      url: location,
      documentation_url: DOCS,
    });
    expect(e.requestLog().at(-1)).toMatchObject({
      route: "GET (redirect)",
      status: 301,
    });
  });

  it("answers HEAD with 301 as well", async () => {
    const r = await request(e, "HEAD", oldRepo.base, { redirect: "manual" });
    expect(r.status).toBe(301);
    expect(r.headers.get("location")).toBe(
      `${e.url}/repositories/101/actions/secrets`,
    );
  });

  it("lets fetch follow the 301 to the same secret, and its public key seals for the new name", async () => {
    const followed = await api(e, "GET", `${oldRepo.base}/MOVED`);
    expect(followed.status).toBe(200);
    expect(followed.redirected).toBe(true);
    expect(followed.url).toBe(
      `${e.url}/repositories/101/actions/secrets/MOVED`,
    );
    const direct = await api(e, "GET", `${newRepo.base}/MOVED`);
    expect(followed.json).toEqual(direct.json);

    const key = await publicKey(e, oldRepo.base);
    expect(key.key_id).toBe(e.getPublicKey("actions-repo", newScope).keyId);
    const put = await api(e, "PUT", `${newRepo.base}/MOVED`, {
      encrypted_value: sealForKey("sealed via the old name's key", key.key),
      key_id: key.key_id,
    });
    expect(put.status).toBe(204);
    expect(e.getSecret("actions-repo", newScope, "MOVED")!.value).toBe(
      "sealed via the old name's key",
    );
  });

  it("answers PUT and DELETE on the old path with 307 and changes nothing", async () => {
    const body = await sealed(e, newRepo.base, "written via the old name");
    const put = await request(e, "PUT", `${oldRepo.base}/MOVED`, {
      body,
      redirect: "manual",
    });
    const location = `${e.url}/repositories/101/actions/secrets/MOVED`;
    expect(put.status).toBe(307);
    expect(put.headers.get("location")).toBe(location);
    expect(put.json).toEqual({
      message: "Temporary Redirect",
      url: location,
      documentation_url: DOCS,
    });
    const created = await request(e, "PUT", `${oldRepo.base}/NEW_ONE`, {
      body,
      redirect: "manual",
    });
    expect(created.status).toBe(307);
    const del = await request(e, "DELETE", `${oldRepo.base}/MOVED`, {
      redirect: "manual",
    });
    expect(del.status).toBe(307);
    expect(del.headers.get("location")).toBe(location);

    expect(e.getSecret("actions-repo", newScope, "MOVED")!.value).toBe(
      "before the move",
    );
    expect(e.getSecret("actions-repo", newScope, "NEW_ONE")).toBeUndefined();
    expect(
      e
        .requestLog()
        .filter((x) => x.route.endsWith("(redirect)"))
        .map((x) => `${x.method} ${x.status}`),
    ).toEqual(["PUT 307", "PUT 307", "DELETE 307"]);
  });

  it("applies a 307 repeated at its Location with the same method and body", async () => {
    const body = await sealed(e, newRepo.base, "repeated at the new location");
    const put = await request(e, "PUT", `${oldRepo.base}/MOVED`, {
      body,
      redirect: "manual",
    });
    const again = await request(e, "PUT", put.headers.get("location")!, {
      body,
    });
    expect(again.status).toBe(204);
    expect(e.getSecret("actions-repo", newScope, "MOVED")!.value).toBe(
      "repeated at the new location",
    );

    const del = await request(e, "DELETE", `${oldRepo.base}/MOVED`, {
      redirect: "manual",
    });
    expect(
      (await request(e, "DELETE", del.headers.get("location")!)).status,
    ).toBe(204);
    expect(e.getSecret("actions-repo", newScope, "MOVED")).toBeUndefined();
  });

  it("redirects environment secrets to /repositories/{id}/environments/{environment_name}/secrets/…", async () => {
    const old = `/repos/acme/api/environments/${ENV_PATH}/secrets/ENV_MOVED`;
    const location = `${e.url}/repositories/101/environments/${ENV_PATH}/secrets/ENV_MOVED`;
    const r = await request(e, "GET", old, { redirect: "manual" });
    expect(r.status).toBe(301);
    expect(r.headers.get("location")).toBe(location);
    const followed = await api(e, "GET", old);
    expect(followed.status).toBe(200);
    expect(followed.json.name).toBe("ENV_MOVED");

    const body = await sealed(
      e,
      `/repos/${newScope}/environments/${ENV_PATH}/secrets`,
      "env via redirect",
    );
    const put = await request(e, "PUT", old, { body, redirect: "manual" });
    expect(put.status).toBe(307);
    expect(put.headers.get("location")).toBe(location);
    expect((await request(e, "PUT", location, { body })).status).toBe(204);
    expect(
      e.getSecret("actions-environment", `${newScope}/${ENV}`, "ENV_MOVED")!
        .value,
    ).toBe("env via redirect");
  });

  it("redirects GET /repos/{owner}/{repo} to /repositories/{id}, which answers the full repository", async () => {
    const r = await request(e, "GET", "/repos/acme/api", {
      redirect: "manual",
    });
    expect(r.status).toBe(301);
    expect(r.headers.get("location")).toBe(`${e.url}/repositories/101`);
    const followed = await api(e, "GET", "/repos/ACME/API");
    expect(followed.status).toBe(200);
    expect(followed.json).toMatchObject({
      id: 101,
      name: m.name,
      full_name: newScope,
      owner: { login: m.owner },
    });
  });

  it("matches the old name case-insensitively", async () => {
    const r = await request(e, "GET", "/repos/Acme/API/actions/secrets", {
      redirect: "manual",
    });
    expect(r.status).toBe(301);
    expect(r.headers.get("location")).toBe(
      `${e.url}/repositories/101/actions/secrets`,
    );
  });

  it("still answers 401 to a request without valid credentials", async () => {
    for (const token of [null, "ghp_wrong"]) {
      const r = await request(e, "GET", oldRepo.base, {
        token,
        redirect: "manual",
      });
      expect(r.status).toBe(401);
      expect(r.headers.get("location")).toBeNull();
    }
  });

  it("stops redirecting once a new repository takes the old name", async () => {
    const reused = e.addRepository("acme", { name: "api" });
    expect(reused.id).not.toBe(101);
    const r = await request(e, "GET", `${oldRepo.base}/MOVED`, {
      redirect: "manual",
    });
    expect(r.status).toBe(404);
    const repo = await request(e, "GET", "/repos/acme/api", {
      redirect: "manual",
    });
    expect(repo.status).toBe(200);
    expect(repo.json.id).toBe(reused.id);
    // The moved repository is untouched, under its new name.
    expect(e.getSecret("actions-repo", newScope, "MOVED")!.value).toBe(
      "before the move",
    );
  });

  it("charges a redirected write the cost of a read", async () => {
    // Writes cost 5 points: with 3 points a minute, only reads fit.
    e.setRateLimits({ secondary: { pointsPerMinute: 3 } });
    for (let i = 0; i < 3; i++) {
      const r = await request(e, "PUT", `${oldRepo.base}/MOVED`, {
        body: { encrypted_value: "AAAA", key_id: "1" },
        redirect: "manual",
      });
      expect(r.status).toBe(307);
    }
    const limited = await request(e, "PUT", `${oldRepo.base}/MOVED`, {
      body: { encrypted_value: "AAAA", key_id: "1" },
      redirect: "manual",
    });
    expect(limited.status).toBe(403);
    expect(limited.json.message).toMatch(/secondary rate limit/);
  });
});

describe("renames", () => {
  let e: Emulator;
  beforeEach(async () => {
    e = await startEmulator();
  });
  afterEach(() => closeAndCheck(e));

  const location = async (path: string) => {
    const r = await request(e, "GET", path, { redirect: "manual" });
    return { status: r.status, location: r.headers.get("location") };
  };

  it("keeps every older name redirecting after a second rename", async () => {
    e.renameRepository("acme", "api", "api-v2");
    e.renameRepository("acme", "api-v2", "api-v3");
    const to = { status: 301, location: `${e.url}/repositories/101` };
    expect(await location("/repos/acme/api")).toEqual(to);
    expect(await location("/repos/acme/api-v2")).toEqual(to);
    expect((await location("/repos/acme/api-v3")).status).toBe(200);
  });

  it("stops redirecting a name the repository is renamed back to", async () => {
    e.renameRepository("acme", "api", "api-v2");
    e.renameRepository("acme", "api-v2", "api");
    expect((await location("/repos/acme/api")).status).toBe(200);
    expect(await location("/repos/acme/api-v2")).toEqual({
      status: 301,
      location: `${e.url}/repositories/101`,
    });
  });

  it("redirects nothing after a change of case only", async () => {
    e.renameRepository("acme", "api", "API");
    expect((await api(e, "GET", "/repos/acme/api")).json.name).toBe("API");
    expect(e.requestLog().filter((x) => x.status === 301)).toEqual([]);
  });

  it("keeps the repository's place in org secret selections (they hold ids)", async () => {
    const org = familyCase(family("actions-org"));
    await putSecret(e, org, "SELECTS_API", "v", {
      visibility: "selected",
      selected_repository_ids: [101],
    });
    e.renameRepository("acme", "api", "api-v2");
    const r = await api(e, "GET", `${org.base}/SELECTS_API/repositories`);
    expect(
      (r.json.repositories as { full_name: string }[]).map((x) => x.full_name),
    ).toEqual(["acme/api-v2"]);
  });

  it("refuses a name in use, an unknown repository and an unknown new owner", () => {
    expect(() => e.renameRepository("acme", "api", "WEB")).toThrow(/exists/);
    expect(() => e.renameRepository("acme", "nope", "x")).toThrow(/unknown/);
    expect(() => e.transferRepository("acme", "api", "nobody")).toThrow(
      /unknown owner/,
    );
    expect(() => e.transferRepository("acme", "api", "acme")).toThrow(
      /already/,
    );
    e.addRepository("globex", { name: "api" });
    expect(() => e.transferRepository("acme", "api", "globex")).toThrow(
      /exists/,
    );
  });

  it("transfers to a user account as well", async () => {
    e.transferRepository("acme", "infra", "octocat");
    expect(await location("/repos/acme/infra/actions/secrets")).toEqual({
      status: 301,
      location: `${e.url}/repositories/103/actions/secrets`,
    });
    const repo = await api(e, "GET", "/repos/octocat/infra");
    expect(repo.json).toMatchObject({ id: 103, owner: { type: "User" } });
    expect(repo.json.organization).toBeUndefined();
  });
});

describe("redirects in legacy mode, under a path prefix", () => {
  let e: Emulator;
  beforeAll(async () => {
    e = await startEmulator({
      legacyEnvironmentSecrets: true,
      pathPrefix: "/api/v3",
    });
  });
  afterAll(() => closeAndCheck(e));

  it("point at the prefixed /repositories/{id}/environments/… path, which is served", async () => {
    e.renameRepository("acme", "web", "website");
    const old = "/repos/acme/web/environments/prod/secrets";
    const r = await request(e, "GET", old, { redirect: "manual" });
    expect(r.status).toBe(301);
    expect(r.headers.get("location")).toBe(
      `${e.url}/repositories/102/environments/prod/secrets`,
    );
    expect(r.headers.get("location")).toContain("/api/v3/repositories/");
    const followed = await api(e, "GET", old);
    expect(followed.status).toBe(200);
    expect(followed.json.total_count).toBe(0);
  });
});

describe("inspection API", () => {
  it("renames and transfers over HTTP", async () => {
    const e = await startEmulator({ inspection: true });
    const call = (path: string, body: unknown) =>
      inspect(e, "POST", path, body);
    try {
      expect(
        await call("rename", { owner: "acme", name: "api", newName: "core" }),
      ).toEqual({
        status: 200,
        body: { id: 101, name: "core", owner: "acme" },
      });
      expect(
        await call("transfer", {
          owner: "acme",
          name: "core",
          newOwner: "globex",
        }),
      ).toEqual({
        status: 200,
        body: { id: 101, name: "core", owner: "globex" },
      });
      for (const old of ["/repos/acme/api", "/repos/acme/core"]) {
        const r = await request(e, "GET", old, { redirect: "manual" });
        expect(r.headers.get("location")).toBe(`${e.url}/repositories/101`);
      }
      expect(
        (await call("rename", { owner: "acme", name: "api", newName: "x" }))
          .status,
      ).toBe(400);
    } finally {
      await closeAndCheck(e);
    }
  });
});
