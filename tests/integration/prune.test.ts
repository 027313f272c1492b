// SecretSet's prune resource through the dynamic-provider host: check names what it would
// delete (what `pulumi preview --diff` shows), create deletes it, refresh notices newcomers.
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import { type ProviderHost } from "../../tools/provider-host";
import { serializedProvider } from "../support/serialized-provider";
import { hostAgainst } from "../support/host";

let emulator: Emulator;
let host: ProviderHost;
/** Writes the secrets that are not the set's (another stack, or a person): its own process. */
let seeder: ProviderHost;
/** The next `pulumi up --refresh`: a new provider process, with nothing listed yet. */
let next: ProviderHost;
const urn =
  "urn:pulumi:test::prune::pulumi-nodejs:dynamic/github-secrets:SecretSetPrune::it";

beforeAll(async () => {
  emulator = await startEmulator();
  [host, seeder, next] = await Promise.all([
    hostAgainst(emulator, "prune"),
    hostAgainst(emulator, "prune"),
    hostAgainst(emulator, "prune"),
  ]);
});

afterAll(async () => {
  await Promise.all([host?.close(), seeder?.close(), next?.close()]);
  await emulator?.close();
});

async function seed(scope: string, names: string[]): Promise<void> {
  const __provider = await serializedProvider("RepoSecret");
  const secretUrn =
    "urn:pulumi:test::prune::pulumi-nodejs:dynamic/github-secrets:RepoSecret::seed";
  for (const secretName of names) {
    const [owner, repository] = scope.split("/");
    const checked = await seeder.check(
      secretUrn,
      {},
      { __provider, owner, repository, secretName, value: "v" },
    );
    await seeder.create(secretUrn, checked.inputs);
  }
}

const names = () =>
  emulator
    .listSecrets("actions-repo", "acme/web")
    .map((s) => s.name)
    .sort();

test("check lists the undeclared secrets; create deletes only those; refresh notices newcomers", async () => {
  await seed("acme/web", ["KEEP_ME", "OLD_ONE", "OLD_TWO"]);
  const __provider = await serializedProvider("SecretSetPrune");
  const checked = await host.check(
    urn,
    {},
    { __provider, kind: "RepoSecret", repository: "web", keep: ["keep_me"] },
  );
  expect(checked.failures).toEqual([]);
  expect(checked.inputs).toMatchObject({
    owner: "acme",
    keep: ["KEEP_ME"],
    willDelete: ["OLD_ONE", "OLD_TWO"],
  });
  expect(names()).toEqual(["KEEP_ME", "OLD_ONE", "OLD_TWO"]);

  const created = await host.create(urn, checked.inputs);
  expect(names()).toEqual(["KEEP_ME"]);
  expect(created.outputs.willDelete).toEqual([]);

  const again = await host.check(urn, checked.inputs, checked.inputs);
  expect(again.inputs.willDelete).toEqual([]);
  expect(
    (await host.diff(created.id, urn, created.outputs, again.inputs)).changes,
  ).toBe(false);

  await seed("acme/web", ["NEWCOMER"]);
  const read = await next.read(created.id, urn, created.outputs);
  expect(read.outputs.willDelete).toEqual(["NEWCOMER"]);
  const rechecked = await next.check(urn, checked.inputs, checked.inputs);
  const diff = await next.diff(created.id, urn, read.outputs, rechecked.inputs);
  expect(diff.changes).toBe(true);
  await next.update(created.id, urn, read.outputs, rechecked.inputs);
  expect(names()).toEqual(["KEEP_ME"]);

  // Removing the set's prune resource deletes nothing.
  await next.delete(created.id, urn, created.outputs);
  expect(names()).toEqual(["KEEP_ME"]);
});

test("an unknown kind is a check failure", async () => {
  const __provider = await serializedProvider("SecretSetPrune");
  const checked = await host.check(
    urn,
    {},
    { __provider, kind: "NoSuchSecret", keep: [] },
  );
  expect(checked.failures).toEqual([
    {
      property: "kind",
      reason: expect.stringContaining("kind must be one of RepoSecret"),
    },
  ]);
});
