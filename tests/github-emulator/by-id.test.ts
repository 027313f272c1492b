// /repositories/{repository_id}/…: GitHub serves every repository path by id as well (redirects
// for renamed repositories point there), undocumented; the emulator serves each repository
// family there exactly like /repos/{owner}/{repo}/…, validated with that path's schemas.
import {
  byIdTemplate,
  FAMILIES,
  family,
  startEmulator,
  type Emulator,
} from "../../tools/github-emulator";

import { matchRoute, type Route } from "../../tools/github-emulator/http";
import { api, closeAndCheck, familyCase, putSecret } from "./helpers";

const repoFamilies = FAMILIES.filter(
  (f) => f.scope === "repo" || f.scope === "environment",
);
const byIdCases = repoFamilies.map((f) => {
  const modern = familyCase(f, { environment: "production env/with space" });
  const base = byIdTemplate(f.basePath)!
    .replace("{repository_id}", "101")
    .replace(
      "{environment_name}",
      encodeURIComponent("production env/with space"),
    );
  return { ...modern, modern: modern.base, base };
});

let e: Emulator;
beforeAll(async () => {
  e = await startEmulator();
});
afterAll(() => closeAndCheck(e));

describe.each(byIdCases)("$id at $base", (c) => {
  it("serves the same public key as the /repos path", async () => {
    const byId = await api(e, "GET", `${c.base}/public-key`);
    expect(byId.status).toBe(200);
    expect(byId.json).toEqual(
      (await api(e, "GET", `${c.modern}/public-key`)).json,
    );
    expect(byId.json.key_id).toBe(e.getPublicKey(c.id, c.scope).keyId);
  });

  it("creates, reads, lists, updates and deletes the secrets of the same scope", async () => {
    expect((await putSecret(e, c, "BY_ID", "first")).status).toBe(201);
    expect(e.getSecret(c.id, c.scope, "BY_ID")!.value).toBe("first");
    expect((await putSecret(e, c, "by_id", "second")).status).toBe(204);
    expect(e.getSecret(c.id, c.scope, "BY_ID")!.value).toBe("second");

    const got = await api(e, "GET", `${c.base}/BY_ID`);
    expect(got.status).toBe(200);
    expect(got.json).toEqual((await api(e, "GET", `${c.modern}/BY_ID`)).json);
    const list = await api(e, "GET", c.base);
    expect(list.json).toEqual((await api(e, "GET", c.modern)).json);
    expect(list.json.total_count).toBeGreaterThanOrEqual(1);

    expect((await api(e, "DELETE", `${c.base}/BY_ID`)).status).toBe(204);
    expect(e.getSecret(c.id, c.scope, "BY_ID")).toBeUndefined();
    expect((await api(e, "GET", `${c.modern}/BY_ID`)).status).toBe(404);
  });

  it("logs the id template, not the /repos one", async () => {
    e.resetLog();
    await api(e, "GET", c.base);
    expect(e.requestLog()[0].route).toBe(
      `GET ${byIdTemplate(c.family.basePath)}`,
    );
  });

  it("answers 404 for an unknown or non-numeric repository id", async () => {
    for (const id of ["999999", "abc"]) {
      const r = await api(e, "GET", c.base.replace("/101/", `/${id}/`));
      expect(r.status).toBe(404);
      expect(r.json.message).toBe("Not Found");
    }
  });
});

describe.each(repoFamilies.filter((f) => f.organizationSecrets))(
  "$id organization secrets by repository id",
  (f) => {
    it("lists the org secrets the repository receives, as the /repos path does", async () => {
      const org = familyCase(family(f.organizationSecrets!.orgFamily));
      expect(
        (await putSecret(e, org, "SHARED_BY_ID", "v", { visibility: "all" }))
          .status,
      ).toBe(201);
      const path = f.organizationSecrets!.path;
      const byId = await api(
        e,
        "GET",
        byIdTemplate(path)!.replace("{repository_id}", "101"),
      );
      expect(byId.status).toBe(200);
      expect(
        (byId.json.secrets as { name: string }[]).map((s) => s.name),
      ).toContain("SHARED_BY_ID");
      expect(byId.json).toEqual(
        (
          await api(
            e,
            "GET",
            path.replace("{owner}", "acme").replace("{repo}", "api"),
          )
        ).json,
      );
    });
  },
);

describe("GET /repositories/{repository_id}", () => {
  it("answers the full repository, like GET /repos/{owner}/{repo}", async () => {
    const r = await api(e, "GET", "/repositories/102");
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      id: 102,
      full_name: "acme/web",
      private: false,
      organization: { login: "acme" },
    });
    expect(r.json).toEqual((await api(e, "GET", "/repos/acme/web")).json);
    expect((await api(e, "GET", "/repositories/424242")).status).toBe(404);
  });

  it("does not serve org or user families by id", () => {
    for (const f of FAMILIES.filter((x) => !repoFamilies.includes(x)))
      expect(byIdTemplate(f.basePath)).toBeUndefined();
  });
});

describe("legacy mode", () => {
  it("serves every repository family by id, environment secrets only by id", async () => {
    const legacy = await startEmulator({ legacyEnvironmentSecrets: true });
    try {
      for (const c of byIdCases)
        expect((await api(legacy, "GET", c.base)).status).toBe(200);
      const env = byIdCases.find((c) => c.id === "actions-environment")!;
      expect((await api(legacy, "GET", env.modern)).status).toBe(404);
      expect(
        (await api(legacy, "GET", "/repos/acme/api/actions/secrets")).status,
      ).toBe(200);
    } finally {
      await closeAndCheck(legacy);
    }
  });
});

describe("route matching", () => {
  const route = (template: string): Route => ({
    method: "GET",
    template,
    specTemplate: template,
    write: false,
    handle: () => ({ status: 200 }),
  });

  it("prefers a literal segment over a parameter whatever the order of the routes", () => {
    const param = route(
      "/repositories/{repository_id}/actions/secrets/{secret_name}",
    );
    const literal = route(
      "/repositories/{repository_id}/actions/secrets/public-key",
    );
    const segments = [
      "repositories",
      "101",
      "actions",
      "secrets",
      "public-key",
    ];
    for (const routes of [
      [param, literal],
      [literal, param],
    ]) {
      expect(matchRoute(routes, "GET", segments)).toEqual({
        route: literal,
        params: { repository_id: "101" },
      });
    }
    expect(
      matchRoute([literal, param], "GET", [...segments.slice(0, 4), "X"]),
    ).toEqual({
      route: param,
      params: { repository_id: "101", secret_name: "X" },
    });
  });
});
