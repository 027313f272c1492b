// Older GitHub Enterprise Servers serve environment secrets only at
// /repositories/{repository_id}/environments/{environment_name}/secrets: the provider falls back
// to the row's legacyCollection after one 404, and remembers it for the process.
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import { type ProviderHost } from "../../tools/provider-host";
import { serializedProvider } from "../support/serialized-provider";
import { hostAgainst } from "../support/host";

let emulator: Emulator;
let host: ProviderHost;
/** A later deployment (pulumi destroy): a new provider process, which wrote nothing yet. */
let later: ProviderHost;
const urn =
  "urn:pulumi:test::ghes::pulumi-nodejs:dynamic/github-secrets:EnvironmentSecret::it";

beforeAll(async () => {
  emulator = await startEmulator({
    legacyEnvironmentSecrets: true,
    pathPrefix: "/api/v3",
  });
  [host, later] = await Promise.all([
    hostAgainst(emulator, "ghes"),
    hostAgainst(emulator, "ghes"),
  ]);
});

afterAll(async () => {
  await Promise.all([host?.close(), later?.close()]);
  await emulator?.close();
});

test("environment secrets fall back to the legacy route once, then use it for the process", async () => {
  const __provider = await serializedProvider("EnvironmentSecret");
  const scope = "acme/api/prod";
  const ids: string[] = [];
  for (const secretName of ["FIRST", "SECOND"]) {
    const checked = await host.check(
      urn,
      {},
      {
        __provider,
        repository: "api",
        environment: "prod",
        secretName,
        value: `v-${secretName}`,
      },
    );
    const created = await host.create(urn, checked.inputs);
    ids.push(created.id);
    expect(
      emulator.getSecret("actions-environment", scope, secretName)?.value,
    ).toBe(`v-${secretName}`);
    const read = await host.read(created.id, urn, created.outputs);
    expect(read.id).toBe(created.id);
    await later.delete(created.id, urn, read.outputs);
    expect(
      emulator.getSecret("actions-environment", scope, secretName),
    ).toBeUndefined();
  }
  // The resource id stays the modern path whatever the server: state does not depend on it.
  expect(ids[0]).toBe("repos/acme/api/environments/prod/secrets/FIRST");
  // Once per process: the up's first key fetch; the destroy's first DELETE, which a 404 leaves
  // ambiguous until the modern key 404s too. Every later request goes to the legacy route.
  const modern = emulator
    .requestLog()
    .filter((entry) => entry.path.includes("/repos/acme/api/environments/"))
    .map((entry) => `${entry.method} ${entry.status}`);
  expect(modern).toEqual(["GET 404", "DELETE 404", "GET 404"]);
  expect(
    emulator
      .requestLog()
      .filter(
        (entry) =>
          entry.path.startsWith("/api/v3/repositories/101/environments/") ||
          entry.path.startsWith("/repositories/101/environments/"),
      ).length,
  ).toBeGreaterThan(4);
  expect(emulator.schemaViolations()).toEqual([]);
});
