import { kinds, type SecretKind } from "../../provider/kinds";
import { checkInputs, maxValueBytes } from "../../provider/validate";

const config = (values: Record<string, string>) => ({
  get: (key: string) => values[key],
});
const noConfig = config({});
const secretValue = "s3cr3t-value-never-echoed";

function failuresOf(
  kind: SecretKind,
  news: Record<string, unknown>,
  env: NodeJS.ProcessEnv = {},
) {
  return checkInputs(kind, news, noConfig, env).failures;
}

const repo = {
  owner: "acme",
  repository: "api",
  secretName: "TOKEN",
  value: secretValue,
};
const org = { org: "acme", secretName: "TOKEN", value: secretValue };
const sealed = Buffer.alloc(64, 7).toString("base64");

// [case, kind, inputs, property, message fragment]
const badInputs: [
  string,
  SecretKind,
  Record<string, unknown>,
  string,
  string,
][] = [
  [
    "missing name",
    kinds.RepoSecret,
    { ...repo, secretName: undefined },
    "secretName",
    "secretName is required",
  ],
  [
    "empty name",
    kinds.RepoSecret,
    { ...repo, secretName: "" },
    "secretName",
    "secretName is required",
  ],
  [
    "name with a dash",
    kinds.RepoSecret,
    { ...repo, secretName: "MY-TOKEN" },
    "secretName",
    "only letters, digits and underscores",
  ],
  [
    "name with a space",
    kinds.RepoSecret,
    { ...repo, secretName: "MY TOKEN" },
    "secretName",
    "only letters, digits and underscores",
  ],
  [
    "non-ASCII name",
    kinds.RepoSecret,
    { ...repo, secretName: "TÖKEN" },
    "secretName",
    "only letters, digits and underscores",
  ],
  [
    "name starting with a digit",
    kinds.RepoSecret,
    { ...repo, secretName: "1TOKEN" },
    "secretName",
    "must not start with a digit",
  ],
  [
    "GITHUB_ prefix",
    kinds.RepoSecret,
    { ...repo, secretName: "GITHUB_TOKEN" },
    "secretName",
    "must not start with GITHUB_",
  ],
  [
    "github_ prefix in lower case",
    kinds.OrgSecret,
    { ...org, secretName: "github_token" },
    "secretName",
    "must not start with GITHUB_",
  ],
  [
    "name not a string",
    kinds.RepoSecret,
    { ...repo, secretName: 42 },
    "secretName",
    "must be a string",
  ],
  [
    "no value at all",
    kinds.RepoSecret,
    { ...repo, value: undefined },
    "value",
    "give exactly one of value",
  ],
  [
    "value and encryptedValue",
    kinds.RepoSecret,
    { ...repo, encryptedValue: sealed, keyId: "1" },
    "value",
    "give exactly one of value, encryptedValue and valueFrom, not value and encryptedValue",
  ],
  [
    "value and valueFrom",
    kinds.EnvironmentSecret,
    { ...repo, environment: "dev", valueFrom: { env: "A" } },
    "valueFrom",
    "give exactly one of value, encryptedValue and valueFrom, not value and valueFrom",
  ],
  [
    "encryptedValue and valueFrom",
    kinds.OrgSecret,
    {
      ...org,
      value: undefined,
      encryptedValue: sealed,
      keyId: "1",
      valueFrom: { file: ".env", key: "A" },
    },
    "valueFrom",
    "not encryptedValue and valueFrom",
  ],
  [
    "valueFrom with keyId",
    kinds.RepoSecret,
    { ...repo, value: undefined, valueFrom: { env: "A" }, keyId: "1" },
    "keyId",
    "keyId goes only with encryptedValue",
  ],
  [
    "valueFrom of two sources",
    kinds.CodespacesUserSecret,
    { secretName: "A", valueFrom: { env: "A", command: ["op"] } },
    "valueFrom",
    "valueFrom must name exactly one source",
  ],
  [
    "valueVersion without valueFrom",
    kinds.RepoSecret,
    { ...repo, valueVersion: "1" },
    "valueVersion",
    "valueVersion goes only with valueFrom",
  ],
  [
    "valueVersion not a string",
    kinds.RepoSecret,
    { ...repo, value: undefined, valueFrom: { env: "A" }, valueVersion: 2 },
    "valueVersion",
    "valueVersion must be a string",
  ],
  [
    "empty value",
    kinds.RepoSecret,
    { ...repo, value: "" },
    "value",
    "must not be empty",
  ],
  [
    "value over 48 KB",
    kinds.RepoSecret,
    { ...repo, value: "x".repeat(maxValueBytes + 1) },
    "value",
    "at most 48 KB",
  ],
  [
    "multi-byte value over 48 KB",
    kinds.RepoSecret,
    { ...repo, value: "é".repeat(maxValueBytes / 2 + 1) },
    "value",
    "at most 48 KB",
  ],
  [
    "value not a string",
    kinds.RepoSecret,
    { ...repo, value: 12345 },
    "value",
    "value must be a string",
  ],
  [
    "keyId with a plaintext value",
    kinds.RepoSecret,
    { ...repo, keyId: "123" },
    "keyId",
    "keyId goes only with encryptedValue",
  ],
  [
    "encryptedValue without keyId",
    kinds.RepoSecret,
    { ...repo, value: undefined, encryptedValue: sealed },
    "keyId",
    "encryptedValue needs keyId",
  ],
  [
    "encryptedValue not base64",
    kinds.RepoSecret,
    { ...repo, value: undefined, encryptedValue: "not base64!", keyId: "1" },
    "encryptedValue",
    "must be standard base64",
  ],
  [
    "encryptedValue too short for a sealed box",
    kinds.RepoSecret,
    { ...repo, value: undefined, encryptedValue: "AAAA", keyId: "1" },
    "encryptedValue",
    "too short to be a sealed box",
  ],
  [
    "unknown visibility",
    kinds.OrgSecret,
    { ...org, visibility: "public" },
    "visibility",
    'one of "all", "private", "selected"',
  ],
  [
    "selected ids with visibility all",
    kinds.OrgSecret,
    { ...org, visibility: "all", selectedRepositoryIds: [1] },
    "selectedRepositoryIds",
    'only with visibility "selected"',
  ],
  [
    "selected ids not numbers",
    kinds.OrgSecret,
    { ...org, visibility: "selected", selectedRepositoryIds: ["api"] },
    "selectedRepositoryIds",
    "positive whole numbers",
  ],
  [
    "selected ids negative",
    kinds.OrgSecret,
    { ...org, visibility: "selected", selectedRepositoryIds: [-3] },
    "selectedRepositoryIds",
    "positive whole numbers",
  ],
  [
    "selected ids not a list",
    kinds.OrgSecret,
    { ...org, visibility: "selected", selectedRepositoryIds: 7 },
    "selectedRepositoryIds",
    "must be a list",
  ],
  [
    "visibility on a repository secret",
    kinds.RepoSecret,
    { ...repo, visibility: "all" },
    "visibility",
    'RepoSecret has no argument "visibility"',
  ],
  [
    "missing repository",
    kinds.RepoSecret,
    { ...repo, repository: undefined },
    "repository",
    "repository (the repository) is required",
  ],
  [
    "owner/name as repository",
    kinds.CodespacesSecret,
    { ...repo, repository: "acme/api" },
    "repository",
    "bare repository name",
  ],
  [
    "repository with a space",
    kinds.AgentSecret,
    { ...repo, repository: "my repo" },
    "repository",
    "not a GitHub repository name",
  ],
  [
    "missing owner without config",
    kinds.RepoSecret,
    { ...repo, owner: undefined },
    "owner",
    "`github:owner` or the GITHUB_OWNER",
  ],
  [
    "missing org without config",
    kinds.OrgSecret,
    { ...org, org: undefined },
    "org",
    "`github:owner` or the GITHUB_OWNER",
  ],
  [
    "owner with a slash",
    kinds.RepoSecret,
    { ...repo, owner: "acme/x" },
    "owner",
    "not a GitHub account name",
  ],
  [
    "missing environment",
    kinds.EnvironmentSecret,
    { ...repo },
    "environment",
    "environment (the environment) is required",
  ],
  [
    "environment too long",
    kinds.EnvironmentSecret,
    { ...repo, environment: "e".repeat(256) },
    "environment",
    "at most 255",
  ],
  [
    "bad onDrift",
    kinds.RepoSecret,
    { ...repo, onDrift: "panic" },
    "onDrift",
    'onDrift must be "overwrite"',
  ],
  [
    "Dependabot repository secret without repository",
    kinds.DependabotSecret,
    { ...repo, repository: undefined },
    "repository",
    "repository (the repository) is required",
  ],
  [
    "Dependabot org secret with a bad visibility",
    kinds.DependabotOrgSecret,
    { ...org, visibility: "internal" },
    "visibility",
    'one of "all", "private", "selected"',
  ],
  [
    "Codespaces org secret: selected ids with visibility private",
    kinds.CodespacesOrgSecret,
    { ...org, visibility: "private", selectedRepositoryIds: [1] },
    "selectedRepositoryIds",
    'only with visibility "selected"',
  ],
  [
    "Codespaces user secret takes no visibility",
    kinds.CodespacesUserSecret,
    { secretName: "TOKEN", value: secretValue, visibility: "all" },
    "visibility",
    'CodespacesUserSecret has no argument "visibility"',
  ],
  [
    "Codespaces user secret takes no owner",
    kinds.CodespacesUserSecret,
    { secretName: "TOKEN", value: secretValue, owner: "acme" },
    "owner",
    'CodespacesUserSecret has no argument "owner"',
  ],
  [
    "Codespaces user secret: selected ids not numbers",
    kinds.CodespacesUserSecret,
    { secretName: "TOKEN", value: secretValue, selectedRepositoryIds: [0] },
    "selectedRepositoryIds",
    "positive whole numbers",
  ],
  [
    "repository names that are not names",
    kinds.OrgSecret,
    { ...org, selectedRepositories: ["my repo"] },
    "selectedRepositories",
    'list of repository names ("api" or "owner/api")',
  ],
  [
    "repository names with visibility all",
    kinds.DependabotOrgSecret,
    { ...org, visibility: "all", selectedRepositories: ["api"] },
    "selectedRepositories",
    'only with visibility "selected"',
  ],
  [
    "Agent org secret without org",
    kinds.AgentOrgSecret,
    { ...org, org: undefined },
    "org",
    "`github:owner` or the GITHUB_OWNER",
  ],
];

describe("check rejects bad input with the property and the rule", () => {
  test.each(badInputs)("%s", (_case, kind, inputs, property, message) => {
    const failures = failuresOf(kind, inputs);
    expect(failures).toContainEqual({
      property,
      reason: expect.stringContaining(message),
    });
  });

  test("no message ever contains the value", () => {
    for (const [, kind, inputs] of badInputs) {
      for (const failure of failuresOf(kind, inputs))
        expect(failure.reason).not.toContain(secretValue);
    }
  });

  test("a name with symbols is not echoed (it may be a value pasted in the wrong place)", () => {
    const [failure] = failuresOf(kinds.RepoSecret, {
      ...repo,
      secretName: "hunter2 pass!",
    });
    expect(failure?.reason).not.toContain("hunter2");
  });
});

describe("check accepts good input and normalizes it", () => {
  test.each(Object.values(kinds).map((kind) => [kind.name, kind] as const))(
    "%s with every argument given",
    (_name, kind) => {
      const inputs: Record<string, unknown> = {
        secretName: "api_token",
        value: "line 1\nline 2 ✓",
      };
      for (const key of kind.scope)
        inputs[key.arg] =
          key.arg === "environment" ? "production env/ü" : "acme";
      expect(failuresOf(kind, inputs)).toEqual([]);
    },
  );

  test("valueFrom of every shape, with or without valueVersion, normalized to the source alone", () => {
    for (const valueFrom of [
      { env: "DEPLOY_KEY" },
      { file: "secrets/deploy.pem" },
      { file: ".env.prod", key: "DB_URL", revision: 4 },
      { command: ["op", "read", "op://ci/deploy/key"], timeoutSeconds: 5 },
    ]) {
      for (const valueVersion of [undefined, "2026-12"]) {
        const checked = checkInputs(
          kinds.RepoSecret,
          { ...repo, value: undefined, valueFrom, valueVersion },
          noConfig,
          {},
        );
        expect(checked.failures).toEqual([]);
        const source: Record<string, unknown> = { ...valueFrom };
        delete source.revision;
        expect(checked.inputs.valueFrom).toEqual(source);
      }
    }
  });

  test("owner and org default to github:owner, then GITHUB_OWNER; an argument wins", () => {
    const fromConfig = checkInputs(
      kinds.RepoSecret,
      { ...repo, owner: undefined },
      config({ "github:owner": "cfg" }),
      {
        GITHUB_OWNER: "env",
      },
    );
    expect(fromConfig.inputs.owner).toBe("cfg");
    const fromEnv = checkInputs(
      kinds.OrgSecret,
      { ...org, org: undefined },
      noConfig,
      { GITHUB_OWNER: "env" },
    );
    expect(fromEnv.inputs.org).toBe("env");
    const argument = checkInputs(
      kinds.RepoSecret,
      repo,
      config({ "github:owner": "cfg" }),
      {},
    );
    expect(argument.inputs.owner).toBe("acme");
  });

  test("an organization secret is private by default, selected when ids are given", () => {
    expect(
      checkInputs(kinds.OrgSecret, org, noConfig, {}).inputs.visibility,
    ).toBe("private");
    const selected = checkInputs(
      kinds.OrgSecret,
      { ...org, selectedRepositoryIds: [3, "1", 3] },
      noConfig,
      {},
    );
    expect(selected.failures).toEqual([]);
    expect(selected.inputs.visibility).toBe("selected");
    expect(selected.inputs.selectedRepositoryIds).toEqual([1, 3]);
  });

  test("a Codespaces user secret needs no scope and keeps its selection without a visibility", () => {
    const checked = checkInputs(
      kinds.CodespacesUserSecret,
      {
        secretName: "TOKEN",
        value: secretValue,
        selectedRepositoryIds: [9, 2],
      },
      noConfig,
      {},
    );
    expect(checked.failures).toEqual([]);
    expect(checked.inputs.selectedRepositoryIds).toEqual([2, 9]);
    expect(checked.inputs.visibility).toBeUndefined();
  });

  test("exactly 48 KB is accepted", () => {
    expect(
      failuresOf(kinds.RepoSecret, {
        ...repo,
        value: "x".repeat(maxValueBytes),
      }),
    ).toEqual([]);
  });

  test("a pre-sealed value with its key id is accepted", () => {
    expect(
      failuresOf(kinds.RepoSecret, {
        ...repo,
        value: undefined,
        encryptedValue: sealed,
        keyId: "568250167242549743",
      }),
    ).toEqual([]);
  });

  test("unknown values during preview are tolerated", () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const inputs = {
      org: unknown,
      secretName: unknown,
      value: unknown,
      visibility: unknown,
      selectedRepositoryIds: [unknown, 5],
    };
    expect(failuresOf(kinds.OrgSecret, inputs)).toEqual([]);
    expect(
      failuresOf(kinds.EnvironmentSecret, {
        owner: unknown,
        repository: unknown,
        environment: unknown,
        secretName: "A",
        value: unknown,
      }),
    ).toEqual([]);
  });
});
