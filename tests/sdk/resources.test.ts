// The SDK classes run under Pulumi's runtime mocks, which serialize the provider for real (the
// `__provider` string arrives in the mock's inputs) but call no provider method.
import * as pulumi from "@pulumi/pulumi";

const token = "ghp_mockTokenThatMustNeverReachState0000";
const plaintext = "plaintext-value-that-must-stay-secret";

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
      return {
        id: `${args.name}-id`,
        state: {
          ...args.inputs,
          secretName: String(args.inputs.secretName).toUpperCase(),
        },
      };
    },
    call: (args) => args.inputs,
  },
  "project",
  "dev",
  false,
);
// A token in the program's environment must not be captured by the serialized provider.
process.env.GITHUB_TOKEN = token;

// Loaded after setMocks, as a Pulumi program would be.
const sdk: typeof import("../../sdk") = require("../../sdk");

function outputValue<T>(
  output: pulumi.Output<T>,
): Promise<{ value: T; secret: boolean }> {
  return new Promise((resolve) =>
    pulumi
      .all([
        output,
        (output as unknown as { isSecret: Promise<boolean> }).isSecret,
      ])
      .apply(([value, secret]) => resolve({ value: value as T, secret })),
  );
}

const cases = [
  [
    "RepoSecret",
    () =>
      new sdk.RepoSecret("repo", {
        repository: "api",
        secretName: "token",
        value: plaintext,
      }),
  ],
  [
    "EnvironmentSecret",
    () =>
      new sdk.EnvironmentSecret("env", {
        repository: "api",
        environment: "prod",
        secretName: "token",
        value: plaintext,
      }),
  ],
  [
    "OrgSecret",
    () =>
      new sdk.OrgSecret("org", {
        org: "acme",
        secretName: "token",
        value: plaintext,
        visibility: "selected",
        selectedRepositoryIds: [1],
      }),
  ],
  [
    "CodespacesSecret",
    () =>
      new sdk.CodespacesSecret("cs", {
        repository: "api",
        secretName: "token",
        value: plaintext,
      }),
  ],
  [
    "AgentSecret",
    () =>
      new sdk.AgentSecret("agent", {
        repository: "api",
        secretName: "token",
        value: plaintext,
      }),
  ],
  [
    "DependabotSecret",
    () =>
      new sdk.DependabotSecret("dependabot", {
        repository: "api",
        secretName: "token",
        value: plaintext,
      }),
  ],
  [
    "DependabotOrgSecret",
    () =>
      new sdk.DependabotOrgSecret("dependabot-org", {
        org: "acme",
        secretName: "token",
        value: plaintext,
      }),
  ],
  [
    "CodespacesOrgSecret",
    () =>
      new sdk.CodespacesOrgSecret("cs-org", {
        secretName: "token",
        value: plaintext,
        visibility: "all",
      }),
  ],
  [
    "CodespacesUserSecret",
    () =>
      new sdk.CodespacesUserSecret("cs-user", {
        secretName: "token",
        value: plaintext,
        selectedRepositoryIds: [1],
      }),
  ],
  [
    "AgentOrgSecret",
    () =>
      new sdk.AgentOrgSecret("agent-org", {
        org: "acme",
        secretName: "token",
        value: plaintext,
      }),
  ],
] as const;

describe.each(cases)("%s under runtime mocks", (kindName, make) => {
  const resource = make();

  test("has its own type token", async () => {
    const { value: urn } = await outputValue(resource.urn);
    expect(urn).toContain(
      `::pulumi-nodejs:dynamic/github-secrets:${kindName}::`,
    );
  });

  test("sends the value as a secret and exposes the stored name", async () => {
    const { value: name } = await outputValue(resource.secretName);
    expect(name).toBe("TOKEN");
    const { secret } = await outputValue(
      (resource as unknown as { value: pulumi.Output<string> }).value,
    );
    expect(secret).toBe(true);
  });

  test("__provider holds no token, no value and stays small", () => {
    const entry = registered.find((r) => r.type.endsWith(`:${kindName}`));
    expect(entry).toBeDefined();
    const serialized = String(entry?.inputs.__provider);
    expect(serialized).toContain('require("pulumi-github-secrets/provider")');
    expect(serialized).not.toContain(token);
    expect(serialized).not.toContain(plaintext);
    expect(serialized).not.toContain("GITHUB_TOKEN");
    console.log(
      `${kindName}: __provider is ${Buffer.byteLength(serialized)} bytes`,
    );
    expect(Buffer.byteLength(serialized)).toBeLessThanOrEqual(2560);
  });
});

test("arguments flow in as outputs of other resources (pulumi.Input)", async () => {
  const repositoryName = pulumi.output("web");
  const ids = pulumi.output([11, 12]);
  const secret = new sdk.OrgSecret("from-outputs", {
    secretName: "x",
    value: pulumi.output("v"),
    selectedRepositoryIds: ids,
    org: repositoryName,
  });
  await outputValue(secret.urn);
  const entry = registered.find((r) => r.name === "from-outputs");
  expect(entry?.inputs).toMatchObject({
    org: "web",
    selectedRepositoryIds: [11, 12],
  });
});

test("missing arguments are a clear error naming the resource", () => {
  expect(() => new sdk.RepoSecret("broken", undefined as never)).toThrow(
    'RepoSecret "broken": missing arguments',
  );
});
