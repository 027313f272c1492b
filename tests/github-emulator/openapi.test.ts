// The emulator's contract with GitHub's OpenAPI description: the committed subset is exactly
// what the installed @octokit/openapi yields, requests violating it get 422, and the response
// validator catches a malformed answer.
import * as fs from "node:fs";
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import {
  buildSubset,
  loadPackageSpec,
  SUBSET_FILE,
} from "../../tools/github-emulator/generate-openapi-subset";
import {
  OpenApiValidator,
  toJsonSchema,
} from "../../tools/github-emulator/openapi";
import { api, closeAndCheck, familyCase, publicKey } from "./helpers";
import { family, sealForKey } from "../../tools/github-emulator";

describe("openapi-subset.json", () => {
  it("equals a fresh extraction from the installed @octokit/openapi (regenerate with generate-openapi-subset.ts)", () => {
    const committed = JSON.parse(fs.readFileSync(SUBSET_FILE, "utf8"));
    expect(committed).toEqual(buildSubset(loadPackageSpec()));
  });

  it("covers every secrets path of the description", () => {
    const committed = JSON.parse(fs.readFileSync(SUBSET_FILE, "utf8"));
    const all = Object.keys(loadPackageSpec().paths as object).filter((p) =>
      p.includes("/secrets"),
    );
    expect(all.length).toBeGreaterThanOrEqual(40);
    for (const p of all) expect(Object.keys(committed.paths)).toContain(p);
  });
});

describe("OpenAPI 3.0 to JSON Schema", () => {
  it("maps nullable on typed schemas, enums and references", () => {
    expect(toJsonSchema({ type: "string", nullable: true })).toEqual({
      type: ["string", "null"],
    });
    expect(
      toJsonSchema({ type: "string", enum: ["a"], nullable: true }),
    ).toEqual({ type: ["string", "null"], enum: ["a", null] });
    expect(
      toJsonSchema({
        allOf: [{ $ref: "#/components/schemas/x" }],
        nullable: true,
      }),
    ).toEqual({
      anyOf: [
        { allOf: [{ $ref: "gh#/components/schemas/x" }] },
        { type: "null" },
      ],
    });
  });

  it("keeps properties whose names are OpenAPI keywords", () => {
    expect(
      toJsonSchema({ properties: { nullable: { type: "boolean" } } }),
    ).toEqual({ properties: { nullable: { type: "boolean" } } });
  });
});

describe("response validation", () => {
  const validator = new OpenApiValidator(
    JSON.parse(fs.readFileSync(SUBSET_FILE, "utf8")),
  );
  const get = "/repos/{owner}/{repo}/actions/secrets/{secret_name}";

  it("accepts GitHub's shape", () => {
    const ok = {
      name: "X",
      created_at: "2024-01-01T00:00:00Z",
      updated_at: "2024-01-01T00:00:00Z",
    };
    expect(validator.validateResponse("GET", get, 200, ok)).toBeUndefined();
    expect(
      validator.validateResponse("PUT", get, 204, undefined),
    ).toBeUndefined();
  });

  it("reports a missing field, a wrong type, an undeclared status and a body on 204", () => {
    expect(
      validator.validateResponse("GET", get, 200, {
        name: "X",
        created_at: "2024-01-01T00:00:00Z",
      }),
    ).toContain("updated_at");
    expect(
      validator.validateResponse("GET", get, 200, {
        name: 1,
        created_at: "x",
        updated_at: "y",
      }),
    ).toBeDefined();
    expect(validator.validateResponse("GET", get, 201, {})).toContain(
      "not declared",
    );
    expect(validator.validateResponse("PUT", get, 204, {})).toContain(
      "no body",
    );
  });
});

describe("request validation over HTTP", () => {
  let e: Emulator;
  beforeAll(async () => {
    e = await startEmulator();
  });
  afterAll(() => closeAndCheck(e));

  const org = familyCase(family("actions-org"));
  const repo = familyCase(family("actions-repo"));

  it.each([
    ["a visibility outside the enum", { visibility: "public" }],
    [
      "selected_repository_ids of objects",
      { visibility: "selected", selected_repository_ids: [{ id: 1 }] },
    ],
    [
      "a numeric encrypted_value",
      { visibility: "all", encrypted_value: 5, key_id: "1" },
    ],
  ])("answers 422 Invalid request for %s", async (_label, body) => {
    const r = await api(e, "PUT", `${org.base}/SCHEMA_TEST`, body);
    expect(r.status).toBe(422);
    expect(r.json.message).toMatch(/^Invalid request\./);
    expect(e.schemaViolations("request").length).toBeGreaterThan(0);
  });

  it("answers 422 when a repository secret PUT lacks key_id", async () => {
    const pk = await publicKey(e, repo.base);
    const r = await api(e, "PUT", `${repo.base}/NO_KEY_ID`, {
      encrypted_value: sealForKey("v", pk.key),
    });
    expect(r.status).toBe(422);
    expect(r.json.message).toContain("key_id");
  });

  it("answers 400 Problems parsing JSON for a malformed body", async () => {
    const r = await api(e, "PUT", `${repo.base}/BAD_JSON`, "{not json");
    expect(r.status).toBe(400);
    expect(r.json.message).toBe("Problems parsing JSON");
  });

  it("answers 400 to an unsupported X-GitHub-Api-Version and echoes a supported one", async () => {
    const bad = await api(e, "GET", repo.base, undefined, e.token, {
      "x-github-api-version": "2019-01-01",
    });
    expect(bad.status).toBe(400);
    const good = await api(
      e,
      "GET",
      "/repos/acme/api/agents/secrets",
      undefined,
      e.token,
      { "x-github-api-version": "2026-03-10" },
    );
    expect(good.status).toBe(200);
    expect(good.headers.get("x-github-api-version-selected")).toBe(
      "2026-03-10",
    );
  });

  it("answers unknown routes with GitHub's 404", async () => {
    const r = await api(e, "GET", "/repos/acme/api/nothing-here");
    expect(r.status).toBe(404);
    expect(r.json).toMatchObject({ message: "Not Found", status: "404" });
  });
});
