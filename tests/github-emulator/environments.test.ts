// Environment secrets: awkward names, the legacy /repositories/{id}/… path of old GHES, and a
// GHES-style path prefix.
import {
  family,
  startEmulator,
  type Emulator,
} from "../../tools/github-emulator";
import { api, closeAndCheck, familyCase, putSecret } from "./helpers";

const envFamily = family("actions-environment");

describe("environment names", () => {
  let e: Emulator;
  beforeAll(async () => {
    e = await startEmulator();
  });
  afterAll(() => closeAndCheck(e));

  it.each(["production env/with space", "ünïcode", "dev"])(
    "serves %j percent-encoded",
    async (env) => {
      const c = familyCase(envFamily, { environment: env });
      expect(c.base).not.toContain(" ");
      expect((await putSecret(e, c, "ENV_SECRET", `for ${env}`)).status).toBe(
        201,
      );
      expect(
        e.getSecret(
          "actions-environment",
          { owner: "acme", repo: "api", environment: env },
          "ENV_SECRET",
        )!.value,
      ).toBe(`for ${env}`);
      const list = await api(e, "GET", c.base);
      expect(list.json.total_count).toBe(1);
    },
  );

  it("keeps environments apart: a key of one does not open another", async () => {
    const dev = familyCase(envFamily, { environment: "dev" });
    const prod = familyCase(envFamily, { environment: "prod" });
    const devKey = (await api(e, "GET", `${dev.base}/public-key`)).json;
    const prodKey = (await api(e, "GET", `${prod.base}/public-key`)).json;
    expect(devKey.key_id).not.toBe(prodKey.key_id);
  });

  it("treats an unencoded slash as a different (unknown) path", async () => {
    const r = await api(
      e,
      "GET",
      "/repos/acme/api/environments/production env/with space/secrets".replace(
        / /g,
        "%20",
      ),
    );
    expect(r.status).toBe(404);
  });

  it("matches environment names case-insensitively, as GitHub does", async () => {
    const r = await api(e, "GET", "/repos/acme/api/environments/PROD/secrets");
    expect(r.status).toBe(200);
  });

  it("finds environments added at run time", async () => {
    expect(
      (await api(e, "GET", "/repos/acme/infra/environments/staging/secrets"))
        .status,
    ).toBe(404);
    e.addEnvironment("acme", "infra", "staging");
    expect(
      (await api(e, "GET", "/repos/acme/infra/environments/staging/secrets"))
        .status,
    ).toBe(200);
  });

  it("serves the repository-id path as well outside legacy mode: the same secrets", async () => {
    const modern = familyCase(envFamily, { environment: "dev" });
    expect((await putSecret(e, modern, "BOTH_PATHS", "same")).status).toBe(201);
    const byId = await api(
      e,
      "GET",
      "/repositories/101/environments/dev/secrets/BOTH_PATHS",
    );
    expect(byId.status).toBe(200);
    expect(byId.json.name).toBe("BOTH_PATHS");
  });
});

describe("legacy mode (old GitHub Enterprise Server)", () => {
  let e: Emulator;
  beforeAll(async () => {
    e = await startEmulator({
      legacyEnvironmentSecrets: true,
      pathPrefix: "/api/v3",
    });
  });
  afterAll(() => closeAndCheck(e));

  it("answers 404 on /repos/{owner}/{repo}/environments/{environment_name}/secrets", async () => {
    const r = await api(e, "GET", "/repos/acme/api/environments/dev/secrets");
    expect(r.status).toBe(404);
    expect(r.json.message).toBe("Not Found");
  });

  it("serves the whole lifecycle on /repositories/{repository_id}/environments/{environment_name}/secrets", async () => {
    const c = {
      ...familyCase(envFamily),
      base: `/repositories/101/environments/${encodeURIComponent("production env/with space")}/secrets`,
    };
    expect((await putSecret(e, c, "LEGACY", "old ghes")).status).toBe(201);
    expect((await putSecret(e, c, "legacy", "old ghes 2")).status).toBe(204);
    expect(
      e.getSecret(
        "actions-environment",
        "acme/api/production env/with space",
        "LEGACY",
      )!.value,
    ).toBe("old ghes 2");
    expect((await api(e, "GET", `${c.base}/LEGACY`)).json.name).toBe("LEGACY");
    expect((await api(e, "GET", c.base)).json.total_count).toBe(1);
    expect((await api(e, "DELETE", `${c.base}/LEGACY`)).status).toBe(204);
  });

  it("answers 404 for an unknown repository id", async () => {
    expect(
      (await api(e, "GET", "/repositories/999999/environments/dev/secrets"))
        .status,
    ).toBe(404);
    expect(
      (await api(e, "GET", "/repositories/abc/environments/dev/secrets"))
        .status,
    ).toBe(404);
  });

  it("serves everything under the prefix only, and the url includes it", async () => {
    expect(e.url).toMatch(/\/api\/v3$/);
    const res = await fetch(
      e.url.replace(/\/api\/v3$/, "") + "/repos/acme/api/actions/secrets",
      {
        headers: { authorization: `Bearer ${e.token}` },
      },
    );
    expect(res.status).toBe(404);
    expect(
      (await api(e, "GET", "/repos/acme/api/actions/secrets")).status,
    ).toBe(200);
  });
});
