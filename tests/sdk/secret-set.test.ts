// SecretSet under Pulumi's runtime mocks: which children it declares, from a map and a .env file.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
const registered: Registered[] = [];

pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registered.push({
        type: args.type,
        name: args.name,
        inputs: args.inputs,
      });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  },
  "project",
  "dev",
  false,
);
const sdk: typeof import("../../sdk") = require("../../sdk");

const settle = () => new Promise((resolve) => setTimeout(resolve, 200));
const childrenOf = (prefix: string) =>
  registered.filter((r) => r.name.startsWith(`${prefix}-`));

test("a map and a .env file become one secret resource each, the map winning", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secret-set-"));
  const envFile = path.join(dir, ".env");
  fs.writeFileSync(
    envFile,
    "# comment\nDB_URL=postgres://db\nAPI_KEY='from-file'\nMULTI=\"a\\nb\"\n",
  );
  const set = new sdk.SecretSet("app", {
    kind: "RepoSecret",
    scope: { owner: "acme", repository: "api" },
    envFile,
    secrets: { api_key: "from-map" },
  });
  await settle();
  expect(set.names).toEqual(["API_KEY", "DB_URL", "MULTI"]);
  const children = childrenOf("app");
  expect(children.map((c) => c.type)).toEqual(
    Array(3).fill("pulumi-nodejs:dynamic/github-secrets:RepoSecret"),
  );
  const apiKey = children.find((c) => c.name === "app-API_KEY");
  expect(apiKey?.inputs).toMatchObject({
    owner: "acme",
    repository: "api",
    secretName: "API_KEY",
  });
  // Values arrive as Pulumi secrets (the mock sees the secret wrapper).
  const secretOf = (c?: Registered) =>
    Object.values(c?.inputs.value as Record<string, unknown>)[1];
  expect(secretOf(apiKey)).toBe("from-map");
  expect(secretOf(children.find((c) => c.name === "app-MULTI"))).toBe("a\nb");
  // No prune resource unless asked for.
  expect(children.some((c) => c.type.endsWith(":SecretSetPrune"))).toBe(false);
});

test("prune: true adds one prune resource naming the kept secrets and the scope", async () => {
  new sdk.SecretSet("org", {
    kind: "OrgSecret",
    scope: { org: "acme", visibility: "all" },
    secrets: { A: "1", b: "2" },
    prune: true,
  });
  await settle();
  const prune = childrenOf("org").find((c) =>
    c.type.endsWith(":SecretSetPrune"),
  );
  expect(prune?.inputs).toMatchObject({
    kind: "OrgSecret",
    org: "acme",
    keep: ["A", "B"],
  });
  expect(prune?.inputs.visibility).toBeUndefined();
  expect(String(prune?.inputs.__provider)).toContain(
    'require("pulumi-github-secrets/provider")',
  );
});

test("envFileValuesFrom: the program takes only the names, each child reads its key through the provider; a map entry may name a source", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secret-set-"));
  const envFile = path.join(dir, ".env");
  const fileValue = "value-the-program-never-passes-on";
  fs.writeFileSync(envFile, `DB_URL=${fileValue}\nAPI_KEY=${fileValue}-2\n`);
  new sdk.SecretSet("sourced", {
    kind: "EnvironmentSecret",
    scope: { repository: "api", environment: "prod" },
    envFile,
    envFileValuesFrom: true,
    secrets: {
      DEPLOY_KEY: { valueFrom: { env: "DEPLOY_KEY" }, valueVersion: "2" },
      PLAIN: "plain-value",
    },
  });
  await settle();
  const children = childrenOf("sourced");
  expect(
    Object.fromEntries(
      children.map((c) => [
        c.name,
        {
          valueFrom: c.inputs.valueFrom,
          valueVersion: c.inputs.valueVersion,
          hasValue: c.inputs.value !== undefined,
        },
      ]),
    ),
  ).toEqual({
    "sourced-API_KEY": {
      valueFrom: { file: envFile, key: "API_KEY" },
      valueVersion: undefined,
      hasValue: false,
    },
    "sourced-DB_URL": {
      valueFrom: { file: envFile, key: "DB_URL" },
      valueVersion: undefined,
      hasValue: false,
    },
    "sourced-DEPLOY_KEY": {
      valueFrom: { env: "DEPLOY_KEY" },
      valueVersion: "2",
      hasValue: false,
    },
    "sourced-PLAIN": { hasValue: true },
  });
  expect(JSON.stringify(registered)).not.toContain(fileValue);
});

test("a name declared twice (in any case) or an unreadable .env file is a clear error", () => {
  expect(
    () =>
      new sdk.SecretSet("dup", {
        kind: "RepoSecret",
        scope: { repository: "api" },
        secrets: { token: "1", TOKEN: "2" },
      }),
  ).toThrow('SecretSet "dup": TOKEN is declared twice');
  expect(
    () =>
      new sdk.SecretSet("missing", {
        kind: "RepoSecret",
        scope: { repository: "api" },
        envFile: "/nonexistent/.env",
      }),
  ).toThrow(
    'SecretSet "missing": cannot read envFile /nonexistent/.env: ENOENT',
  );
});
