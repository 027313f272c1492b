// Org visibility (all | private | selected), selected repositories, 409s, user secrets, and the
// repository-side organization-secrets listing; plus the id lookups clients rely on.
import {
  FAMILIES,
  startEmulator,
  type Emulator,
} from "../../tools/github-emulator";
import { api, closeAndCheck, familyCase, putSecret } from "./helpers";

let e: Emulator;
beforeAll(async () => {
  e = await startEmulator();
});
afterAll(() => closeAndCheck(e));

const orgCases = FAMILIES.filter((f) => f.visibility === "settable").map((f) =>
  familyCase(f),
);
const userCase = familyCase(FAMILIES.find((f) => f.scope === "user")!);

describe.each(orgCases)("$id visibility", (c) => {
  it("stores visibility and selected_repository_ids and reports selected_repositories_url", async () => {
    expect(
      (
        await putSecret(e, c, "SEL", "v", {
          visibility: "selected",
          selected_repository_ids: [101, 103],
        })
      ).status,
    ).toBe(201);
    const got = await api(e, "GET", `${c.base}/SEL`);
    expect(got.json).toMatchObject({ name: "SEL", visibility: "selected" });
    expect(got.json.selected_repositories_url).toBe(
      `${e.url}${c.base}/SEL/repositories`,
    );
    expect(e.getSecret(c.id, c.scope, "sel")).toMatchObject({
      visibility: "selected",
      selectedRepositoryIds: [101, 103],
    });

    const repos = await api(e, "GET", `${c.base}/SEL/repositories`);
    expect(repos.json.total_count).toBe(2);
    expect(
      (repos.json.repositories as { id: number; full_name: string }[]).map(
        (r) => r.full_name,
      ),
    ).toEqual(["acme/api", "acme/infra"]);
  });

  it("adds, removes and replaces selected repositories", async () => {
    await putSecret(e, c, "SEL2", "v", {
      visibility: "selected",
      selected_repository_ids: [],
    });
    expect(
      (await api(e, "PUT", `${c.base}/SEL2/repositories/102`)).status,
    ).toBe(204);
    expect(
      (await api(e, "PUT", `${c.base}/SEL2/repositories/102`)).status,
    ).toBe(204);
    expect(e.getSecret(c.id, c.scope, "SEL2")!.selectedRepositoryIds).toEqual([
      102,
    ]);
    expect(
      (await api(e, "DELETE", `${c.base}/SEL2/repositories/102`)).status,
    ).toBe(204);
    expect(e.getSecret(c.id, c.scope, "SEL2")!.selectedRepositoryIds).toEqual(
      [],
    );
    expect(
      (
        await api(e, "PUT", `${c.base}/SEL2/repositories`, {
          selected_repository_ids: [101, 102],
        })
      ).status,
    ).toBe(204);
    expect(e.getSecret(c.id, c.scope, "SEL2")!.selectedRepositoryIds).toEqual([
      101, 102,
    ]);
  });

  it("answers 409 on the repositories endpoints unless the visibility is 'selected'", async () => {
    await putSecret(e, c, "ALL_VIS", "v", { visibility: "all" });
    expect((await api(e, "GET", `${c.base}/ALL_VIS/repositories`)).status).toBe(
      409,
    );
    expect(
      (
        await api(e, "PUT", `${c.base}/ALL_VIS/repositories`, {
          selected_repository_ids: [101],
        })
      ).status,
    ).toBe(409);
    expect(
      (await api(e, "PUT", `${c.base}/ALL_VIS/repositories/101`)).status,
    ).toBe(409);
    expect(
      (await api(e, "DELETE", `${c.base}/ALL_VIS/repositories/101`)).status,
    ).toBe(409);
  });

  it("answers 404 on the repositories endpoints of a missing secret", async () => {
    expect((await api(e, "GET", `${c.base}/MISSING/repositories`)).status).toBe(
      404,
    );
  });

  it("refuses repositories of another org (or unknown ids) with 422", async () => {
    expect(
      (
        await putSecret(e, c, "FOREIGN", "v", {
          visibility: "selected",
          selected_repository_ids: [301],
        })
      ).status,
    ).toBe(422);
    expect(
      (
        await putSecret(e, c, "FOREIGN", "v", {
          visibility: "selected",
          selected_repository_ids: [424242],
        })
      ).status,
    ).toBe(422);
    await putSecret(e, c, "SEL3", "v", {
      visibility: "selected",
      selected_repository_ids: [],
    });
    expect(
      (await api(e, "PUT", `${c.base}/SEL3/repositories/301`)).status,
    ).toBe(422);
  });

  it("updates visibility alone without encrypted_value, and clears the selection when leaving 'selected'", async () => {
    await putSecret(e, c, "VIS_ONLY", "keep me", {
      visibility: "selected",
      selected_repository_ids: [101],
    });
    const r = await api(e, "PUT", `${c.base}/VIS_ONLY`, {
      visibility: "private",
    });
    if (c.id === "agents-org") {
      // The agents description requires encrypted_value and key_id on every PUT.
      expect(r.status).toBe(422);
      return;
    }
    expect(r.status).toBe(204);
    expect(e.getSecret(c.id, c.scope, "VIS_ONLY")).toMatchObject({
      value: "keep me",
      visibility: "private",
      selectedRepositoryIds: [],
    });
  });

  it("refuses a PUT without visibility (request body schema) with 422", async () => {
    const r = await putSecret(e, c, "NO_VIS", "v", { visibility: undefined });
    expect(r.status).toBe(422);
    expect(r.json.message).toContain("visibility");
  });
});

describe("organization secrets seen from a repository", () => {
  it.each(FAMILIES.filter((f) => f.organizationSecrets))(
    "$id lists the org secrets the repository receives",
    async (f) => {
      const org = familyCase(
        FAMILIES.find((x) => x.id === f.organizationSecrets!.orgFamily)!,
      );
      await putSecret(e, org, "SHARED_ALL", "v", { visibility: "all" });
      await putSecret(e, org, "SHARED_PRIVATE", "v", { visibility: "private" });
      await putSecret(e, org, "SHARED_API_ONLY", "v", {
        visibility: "selected",
        selected_repository_ids: [101],
      });
      const names = async (repo: string) => {
        const r = await api(
          e,
          "GET",
          f
            .organizationSecrets!.path.replace("{owner}", "acme")
            .replace("{repo}", repo),
        );
        expect(r.status).toBe(200);
        return (r.json.secrets as { name: string }[])
          .map((s) => s.name)
          .filter((n) => n.startsWith("SHARED_"));
      };
      expect(await names("api")).toEqual([
        "SHARED_ALL",
        "SHARED_API_ONLY",
        "SHARED_PRIVATE",
      ]);
      expect(await names("web")).toEqual(["SHARED_ALL"]); // web is public
      expect(await names("infra")).toEqual(["SHARED_ALL", "SHARED_PRIVATE"]);
    },
  );
});

describe("user Codespaces secrets", () => {
  it("take selected repositories without visibility, and are reported as 'selected'", async () => {
    expect(
      (
        await putSecret(e, userCase, "USER_SEL", "v", {
          selected_repository_ids: [201, 101],
        })
      ).status,
    ).toBe(201);
    const got = await api(e, "GET", `${userCase.base}/USER_SEL`);
    expect(got.json).toMatchObject({
      visibility: "selected",
      selected_repositories_url: `${e.url}/user/codespaces/secrets/USER_SEL/repositories`,
    });
    expect(
      (await api(e, "PUT", `${userCase.base}/USER_SEL/repositories/102`))
        .status,
    ).toBe(204);
    expect(
      (await api(e, "DELETE", `${userCase.base}/USER_SEL/repositories/201`))
        .status,
    ).toBe(204);
    const repos = await api(e, "GET", `${userCase.base}/USER_SEL/repositories`);
    expect(
      (repos.json.repositories as { id: number }[]).map((r) => r.id),
    ).toEqual([101, 102]);
    // An update without selected_repository_ids keeps the selection.
    expect((await putSecret(e, userCase, "USER_SEL", "v2")).status).toBe(204);
    expect(
      e.getSecret("codespaces-user", "octocat", "USER_SEL")!
        .selectedRepositoryIds,
    ).toEqual([101, 102]);
  });

  it("refuses unknown repository ids with 422", async () => {
    expect(
      (
        await putSecret(e, userCase, "USER_BAD", "v", {
          selected_repository_ids: [999999],
        })
      ).status,
    ).toBe(422);
  });
});

describe("repository lookups", () => {
  it("GET /repos/{owner}/{repo} returns id, name, full_name and owner.login", async () => {
    const r = await api(e, "GET", "/repos/ACME/Api");
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      id: 101,
      name: "api",
      full_name: "acme/api",
      owner: { login: "acme" },
      private: true,
    });
    expect((await api(e, "GET", "/repos/acme/nope")).status).toBe(404);
  });

  it("GET /orgs/{org}/repos pages through the org's repositories, including ones added at run time", async () => {
    e.addRepository("acme", { name: "created-by-demo", id: 555 });
    const r = await api(e, "GET", "/orgs/acme/repos?per_page=2");
    expect((r.body as { id: number }[]).map((x) => x.id)).toEqual([101, 102]);
    expect(r.headers.get("link")).toContain('rel="next"');
    const all = await api(e, "GET", "/orgs/acme/repos?per_page=100");
    expect((all.body as { name: string }[]).map((x) => x.name)).toContain(
      "created-by-demo",
    );
    expect((await api(e, "GET", "/orgs/nope/repos")).status).toBe(404);
  });
});
