// Repository selections owned by their own resources (<Kind>Repositories, <Kind>Repository), for
// every kind with selected repositories, through the dynamic-provider host against the emulator.
import { selectionKinds } from "../../provider/kinds";
import * as sdk from "../../sdk";
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import { ProviderError, type ProviderHost } from "../../tools/provider-host";
import { hostPool } from "../support/host";
import { selectionCases } from "../support/kinds";
import { serializedProvider } from "../support/serialized-provider";

let emulator: Emulator;
const pool = hostPool(() => emulator, "selection");
let host: ProviderHost;
/** A later deployment (pulumi destroy): a new provider process, which wrote nothing yet. */
let later: ProviderHost;
const urn = (type: string) =>
  `urn:pulumi:test::selection::pulumi-nodejs:dynamic/github-secrets:${type}::it`;

beforeAll(async () => {
  emulator = await startEmulator();
  [host, later] = await Promise.all([
    pool.hostFor(),
    pool.hostFor({}, "later"),
  ]);
});

afterAll(async () => {
  await emulator?.close();
});

/** Checks and creates a resource of `type`; fails the test on check failures. */
async function up(type: string, args: Record<string, unknown>) {
  const __provider = await serializedProvider(type);
  const checked = await host.check(urn(type), {}, { __provider, ...args });
  expect(checked.failures).toEqual([]);
  const created = await host.create(urn(type), checked.inputs);
  return { checked, created };
}

test("every kind with selected repositories has both selection classes in the SDK", () => {
  const expected = [
    "AgentOrgSecretRepositories",
    "AgentOrgSecretRepository",
    "CodespacesOrgSecretRepositories",
    "CodespacesOrgSecretRepository",
    "CodespacesUserSecretRepositories",
    "CodespacesUserSecretRepository",
    "DependabotOrgSecretRepositories",
    "DependabotOrgSecretRepository",
    "OrgSecretRepositories",
    "OrgSecretRepository",
  ];
  expect([...selectionKinds.keys()].sort()).toEqual(expected);
  expect(selectionCases.map((c) => c.kind).sort()).toEqual(
    [
      ...new Set(expected.map((n) => n.replace(/Repositor(y|ies)$/, ""))),
    ].sort(),
  );
  for (const name of expected)
    expect((sdk as Record<string, unknown>)[name]).toBeDefined();
});

describe.each(
  selectionCases.map(({ kind, family, scope, selection }) => ({
    secret: kind,
    family,
    scope,
    args: selection.args,
    notSelected: selection.notSelected,
  })),
)(
  "$secret selection resources",
  ({ secret, family, scope, args, notSelected }) => {
    const name = `${secret.toLowerCase()}_selected`;
    const ids = () =>
      [
        ...(emulator.getSecret(family, scope, name)?.selectedRepositoryIds ??
          []),
      ].sort();

    test("the list and one-repository resources own the selection; the secret leaves it alone", async () => {
      const owner = await up(secret, {
        ...args,
        secretName: name,
        value: "v1",
      });
      expect(owner.checked.inputs.selectedRepositoryIds).toBeUndefined();

      // The whole list, by name and id together.
      const list = await up(`${secret}Repositories`, {
        ...(args.org ? { org: args.org } : {}),
        secretName: name,
        selectedRepositories: ["api", "web"],
        selectedRepositoryIds: [101],
      });
      expect(list.created.id).toMatch(
        new RegExp(`/${name.toUpperCase()}/repositories$`),
      );
      expect(list.created.outputs.selectedRepositoryIds).toEqual([101, 102]);
      expect(ids()).toEqual([101, 102]);

      // The secret, written again with a new value, sends no list and sees no change in it.
      const refreshed = await host.read(
        owner.created.id,
        urn(secret),
        owner.created.outputs,
      );
      const noChange = await host.diff(
        owner.created.id,
        urn(secret),
        refreshed.outputs,
        owner.checked.inputs,
      );
      expect(noChange.changes).toBe(false);
      const edited = await host.check(urn(secret), owner.checked.inputs, {
        ...owner.checked.inputs,
        value: "v2",
      });
      await host.update(
        owner.created.id,
        urn(secret),
        refreshed.outputs,
        edited.inputs,
      );
      expect(emulator.getSecret(family, scope, name)?.value).toBe("v2");
      expect(ids()).toEqual([101, 102]);

      // One more repository, by its own resource.
      const one = await up(`${secret}Repository`, {
        ...(args.org ? { org: args.org } : {}),
        secretName: name,
        repository: "infra",
      });
      expect(one.created.outputs.repositoryId).toBe(103);
      expect(ids()).toEqual([101, 102, 103]);
      const readOne = await host.read(
        one.created.id,
        urn(`${secret}Repository`),
        one.created.outputs,
      );
      expect(readOne.id).toBe(one.created.id);

      // The list resource notices the addition on refresh, and a diff against the program shows it.
      const readList = await host.read(
        list.created.id,
        urn(`${secret}Repositories`),
        list.created.outputs,
      );
      expect(readList.outputs.selectedRepositoryIds).toEqual([101, 102, 103]);
      const drift = await host.diff(
        list.created.id,
        urn(`${secret}Repositories`),
        readList.outputs,
        list.checked.inputs,
      );
      expect(drift.changes).toBe(true);

      await later.delete(
        one.created.id,
        urn(`${secret}Repository`),
        one.created.outputs,
      );
      expect(ids()).toEqual([101, 102]);
      const gone = await host.read(
        one.created.id,
        urn(`${secret}Repository`),
        one.created.outputs,
      );
      expect(gone.id).toBe("");

      await later.delete(
        list.created.id,
        urn(`${secret}Repositories`),
        list.created.outputs,
      );
      expect(ids()).toEqual([]);
    });

    test("an unknown repository name is one clear check failure", async () => {
      const __provider = await serializedProvider(`${secret}Repositories`);
      const checked = await host.check(
        urn(`${secret}Repositories`),
        {},
        {
          __provider,
          secretName: name,
          selectedRepositories: ["api", "no-such-repo"],
        },
      );
      expect(checked.failures).toEqual([
        {
          property: "selectedRepositories",
          reason: expect.stringContaining("no repository acme/no-such-repo"),
        },
      ]);
      expect(checked.failures[0]?.reason).not.toContain("\n");
    });

    if (notSelected) {
      test('a selection of a secret whose visibility is not "selected" is a clear error (GitHub answers 409)', async () => {
        const other = `${name}_all`;
        await up(secret, { ...notSelected, secretName: other, value: "v" });
        const __provider = await serializedProvider(`${secret}Repositories`);
        const checked = await host.check(
          urn(`${secret}Repositories`),
          {},
          {
            __provider,
            secretName: other,
            selectedRepositoryIds: [101],
          },
        );
        const error = await host
          .create(urn(`${secret}Repositories`), checked.inputs)
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(error).toBeInstanceOf(ProviderError);
        const details = (error as ProviderError).details;
        expect(details).toContain(other.toUpperCase());
        // Named by its organization, never by the repository the selection adds.
        expect(details).toContain(
          `${secret} ${other.toUpperCase()} in organization acme:`,
        );
        expect(details).not.toContain("undefined");
        expect(details).toContain("409");
        expect(details).toContain('visibility is "selected"');
        expect(details).not.toContain("\n");
      });
    }
  },
);

test("secrets accept repository names, resolved once per provider process", async () => {
  const lookups = () =>
    emulator
      .requestLog()
      // Unknown names are asked again (not cached): the repository may be created meanwhile.
      .filter(
        (entry) =>
          entry.route === "GET /repos/{owner}/{repo}" && entry.status === 200,
      )
      .map((entry) => entry.path);
  const first = await up("OrgSecret", {
    secretName: "BY_NAME",
    value: "v",
    selectedRepositories: ["api", "acme/web"],
  });
  expect(first.checked.inputs.visibility).toBe("selected");
  expect(first.created.outputs.selectedRepositoryIds).toEqual([101, 102]);
  expect(
    emulator
      .getSecret("actions-org", "acme", "BY_NAME")
      ?.selectedRepositoryIds?.sort(),
  ).toEqual([101, 102]);
  const before = lookups();
  expect(new Set(before).size).toBe(before.length);
  expect(before).toEqual(
    expect.arrayContaining(["/repos/acme/api", "/repos/acme/web"]),
  );
  const again = await host.check(
    urn("OrgSecret"),
    first.checked.inputs,
    first.checked.inputs,
  );
  const diff = await host.diff(
    first.created.id,
    urn("OrgSecret"),
    first.created.outputs,
    again.inputs,
  );
  expect(diff.changes).toBe(false);
  expect(lookups()).toEqual(before);
});

test("a later deployment's check reuses the ids of unchanged names and looks up only a new one", async () => {
  const lookups = () =>
    emulator
      .requestLog()
      .filter((entry) => entry.route === "GET /repos/{owner}/{repo}")
      .map((entry) => entry.path);
  const first = await up("OrgSecret", {
    secretName: "BY_NAME_LATER",
    value: "v",
    selectedRepositories: ["api", "web"],
  });
  // A new provider process, as the next `pulumi preview` starts: olds are the stored inputs.
  emulator.resetLog();
  const same = await later.check(urn("OrgSecret"), first.checked.inputs, {
    ...first.checked.inputs,
    selectedRepositories: ["API", "web"],
  });
  expect(same.failures).toEqual([]);
  expect(same.inputs.selectedRepositoryIds).toEqual([101, 102]);
  expect(lookups()).toEqual([]);
  const grown = await later.check(urn("OrgSecret"), first.checked.inputs, {
    ...first.checked.inputs,
    selectedRepositories: ["api", "web", "infra"],
  });
  expect(grown.failures).toEqual([]);
  expect(lookups()).toEqual(["/repos/acme/infra"]);
  expect(grown.inputs.selectedRepositoryIds).toEqual([
    101,
    102,
    emulator.world.repository("acme", "infra")!.id,
  ]);
});

test("the emulator saw no request or response that breaks GitHub's OpenAPI description", () => {
  expect(emulator.schemaViolations()).toEqual([]);
});
