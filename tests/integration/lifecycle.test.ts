// Every kind, end to end: @pulumi/pulumi's own dynamic-provider host (the process `pulumi up`
// starts) driven over gRPC, with the __provider the real SDK class serializes, against the
// GitHub emulator over real HTTP. The emulator decrypts what it receives; we compare.
import {
  startEmulator,
  type Emulator,
  type FamilyId,
} from "../../tools/github-emulator";
import { type ProviderHost } from "../../tools/provider-host";
import { hostAgainst } from "../support/host";
import { leaksIn } from "../support/leaks";
import { serializedProvider } from "../support/serialized-provider";

interface KindCase {
  className: string;
  family: FamilyId;
  scope: string;
  args: Record<string, unknown>;
  /** Expected scope outputs. */
  outputs: Record<string, unknown>;
}

const kindCases: KindCase[] = [
  {
    className: "RepoSecret",
    family: "actions-repo",
    scope: "acme/api",
    args: { repository: "api" },
    outputs: { owner: "acme", repository: "api" },
  },
  {
    className: "EnvironmentSecret",
    family: "actions-environment",
    scope: "acme/api/production env/with space",
    args: { repository: "api", environment: "production env/with space" },
    outputs: {
      owner: "acme",
      repository: "api",
      environment: "production env/with space",
    },
  },
  {
    className: "OrgSecret",
    family: "actions-org",
    scope: "acme",
    args: {
      org: "acme",
      visibility: "selected",
      selectedRepositoryIds: [102, 101],
    },
    outputs: {
      org: "acme",
      visibility: "selected",
      selectedRepositoryIds: [101, 102],
    },
  },
  {
    className: "CodespacesSecret",
    family: "codespaces-repo",
    scope: "acme/web",
    args: { repository: "web" },
    outputs: { owner: "acme", repository: "web" },
  },
  {
    className: "AgentSecret",
    family: "agents-repo",
    scope: "acme/infra",
    args: { owner: "acme", repository: "infra" },
    outputs: { owner: "acme", repository: "infra" },
  },
  {
    className: "DependabotSecret",
    family: "dependabot-repo",
    scope: "acme/api",
    args: { repository: "api" },
    outputs: { owner: "acme", repository: "api" },
  },
  {
    className: "DependabotOrgSecret",
    family: "dependabot-org",
    scope: "acme",
    args: { selectedRepositoryIds: [103] },
    outputs: {
      org: "acme",
      visibility: "selected",
      selectedRepositoryIds: [103],
    },
  },
  {
    className: "CodespacesOrgSecret",
    family: "codespaces-org",
    scope: "acme",
    args: { org: "acme", visibility: "all" },
    outputs: { org: "acme", visibility: "all" },
  },
  {
    className: "CodespacesUserSecret",
    family: "codespaces-user",
    scope: "octocat",
    args: { selectedRepositoryIds: [201] },
    outputs: { selectedRepositoryIds: [201] },
  },
  {
    className: "AgentOrgSecret",
    family: "agents-org",
    scope: "acme",
    args: { org: "acme" },
    outputs: { org: "acme", visibility: "private" },
  },
];

const firstValue = "first-value-\u00e9\u00e8-\u2713\nsecond line\n";
const secondValue = "second-value-" + "0123456789abcdef".repeat(3000); // 48 000 bytes, multi-KB

let emulator: Emulator;
let host: ProviderHost;
/** A later deployment (pulumi destroy): a new provider process, which wrote nothing yet. */
let later: ProviderHost;

beforeAll(async () => {
  emulator = await startEmulator();
  [host, later] = await Promise.all([
    hostAgainst(emulator, "lifecycle"),
    hostAgainst(emulator, "lifecycle"),
  ]);
});

afterAll(async () => {
  await Promise.all([host?.close(), later?.close()]);
  await emulator?.close();
});

describe.each(kindCases)(
  "$className lifecycle through the dynamic-provider host",
  ({ className, family, scope, args, outputs }) => {
    const urn = `urn:pulumi:test::lifecycle::pulumi-nodejs:dynamic/github-secrets:${className}::it`;
    const name = `${className.toLowerCase()}_token`;

    test("check → create → diff → update → read → delete, values decrypted by GitHub", async () => {
      const __provider = await serializedProvider(className);
      const news = { __provider, ...args, secretName: name, value: firstValue };

      const checked = await host.check(urn, {}, news);
      expect(checked.failures).toEqual([]);

      const created = await host.create(urn, checked.inputs);
      expect(created.id).toMatch(new RegExp(`/${name.toUpperCase()}$`));
      expect(created.outputs).toMatchObject({
        ...outputs,
        secretName: name.toUpperCase(),
      });
      expect(created.outputs.keyId).toBe(
        emulator.getPublicKey(family, scope).keyId,
      );
      expect(emulator.getSecret(family, scope, name)?.value).toBe(firstValue);

      const noChange = await host.diff(
        created.id,
        urn,
        created.outputs,
        checked.inputs,
      );
      expect(noChange.changes).toBe(false);

      const edited = await host.check(urn, checked.inputs, {
        ...news,
        value: secondValue,
      });
      const diff = await host.diff(
        created.id,
        urn,
        created.outputs,
        edited.inputs,
      );
      expect(diff).toEqual({
        changes: true,
        replaces: [],
        deleteBeforeReplace: false,
      });
      const updated = await host.update(
        created.id,
        urn,
        created.outputs,
        edited.inputs,
      );
      expect(emulator.getSecret(family, scope, name)?.value).toBe(secondValue);
      expect(updated.outputs.createdAt).toBe(created.outputs.createdAt);

      const read = await host.read(created.id, urn, updated.outputs);
      expect(read.id).toBe(created.id);
      expect(read.outputs).toMatchObject({
        ...outputs,
        secretName: name.toUpperCase(),
      });
      expect(read.outputs.updatedAt).toBe(
        emulator
          .getSecret(family, scope, name)
          ?.updatedAt.replace(/\.\d+Z$/, "Z"),
      );
      expect(read.outputs.drift).toBeUndefined();
      const afterRefresh = await host.diff(
        created.id,
        urn,
        read.outputs,
        edited.inputs,
      );
      expect(afterRefresh.changes).toBe(false);

      await later.delete(created.id, urn, read.outputs);
      expect(emulator.getSecret(family, scope, name)).toBeUndefined();

      // Outputs never carry the plaintext; the engine gets only the salted digest.
      for (const state of [
        created.outputs,
        updated.outputs,
        read.outputs,
        read.inputs ?? {},
      ]) {
        expect(
          leaksIn(JSON.stringify(state), [
            firstValue.slice(0, 12),
            secondValue.slice(0, 20),
          ]),
        ).toEqual([]);
      }
    });

    test("read after an out-of-band delete says the secret is gone; delete of a gone secret succeeds", async () => {
      const __provider = await serializedProvider(className);
      const checked = await host.check(
        urn,
        {},
        { __provider, ...args, secretName: `${name}_gone`, value: firstValue },
      );
      const created = await host.create(urn, checked.inputs);
      expect(emulator.deleteSecret(family, scope, `${name}_gone`)).toBe(true);
      const read = await host.read(created.id, urn, created.outputs);
      expect(read.id).toBe("");
      await expect(
        later.delete(created.id, urn, created.outputs),
      ).resolves.toBeUndefined();
    });
  },
);

test("no plaintext value and no token in anything the provider host printed", () => {
  expect(
    leaksIn(host.output() + later.output(), [
      firstValue.slice(0, 12),
      secondValue.slice(0, 20),
      emulator.token,
    ]),
  ).toEqual([]);
});

test("the emulator saw no request or response that breaks GitHub's OpenAPI description", () => {
  expect(emulator.schemaViolations()).toEqual([]);
});
