// A GitHub App as the provider's identity: through the provider host, the App's signed JWT is
// traded for an installation token at the emulator (which verifies the signature), and the
// secrets are written with that token.
import { generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import { ProviderError, type ProviderHost } from "../../tools/provider-host";
import { hostAgainst } from "../support/host";
import { leaksIn } from "../support/leaks";
import { serializedProvider } from "../support/serialized-provider";

const app = generateKeyPairSync("rsa", { modulusLength: 2048 });
const privateKey = app.privateKey
  .export({ type: "pkcs1", format: "pem" })
  .toString();
const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 })
  .privateKey.export({ type: "pkcs1", format: "pem" })
  .toString();
const value = "app-authenticated-value-01";
const urn =
  "urn:pulumi:test::app::pulumi-nodejs:dynamic/github-secrets:RepoSecret::it";

let emulator: Emulator;
let pemFile: string;
const hosts: ProviderHost[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
    apps: [
      {
        id: 4242,
        installationId: 77,
        publicKey: app.publicKey
          .export({ type: "spki", format: "pem" })
          .toString(),
        login: "octocat",
      },
    ],
  });
  pemFile = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), "app-")),
    "app.pem",
  );
  fs.writeFileSync(pemFile, privateKey, { mode: 0o600 });
});
afterAll(async () => {
  await Promise.all(hosts.map((host) => host.close()));
  await emulator?.close();
});

async function host(
  config: Record<string, string>,
  env: NodeJS.ProcessEnv = {},
): Promise<ProviderHost> {
  const started = await hostAgainst(
    emulator,
    "app",
    { "github:token": "", ...config },
    env,
  );
  hosts.push(started);
  return started;
}

async function write(
  provider: ProviderHost,
  secretName: string,
): Promise<void> {
  const checked = await provider.check(
    urn,
    {},
    {
      __provider: await serializedProvider("RepoSecret"),
      repository: "api",
      secretName,
      value,
    },
  );
  expect(checked.failures).toEqual([]);
  await provider.create(urn, checked.inputs);
}

test("github:appAuth with a PEM file: one installation token minted, every secret written with it", async () => {
  emulator.resetLog();
  const provider = await host({
    "github:appAuth": JSON.stringify({
      id: "4242",
      installationId: "77",
      pemFile,
    }),
  });
  for (const name of ["APP_ONE", "APP_TWO", "APP_THREE"])
    await write(provider, name);
  for (const name of ["APP_ONE", "APP_TWO", "APP_THREE"]) {
    expect(emulator.getSecret("actions-repo", "acme/api", name)?.value).toBe(
      value,
    );
  }
  const mints = emulator
    .requestLog()
    .filter(
      (entry) =>
        entry.route.includes("access_tokens") ||
        entry.path.includes("access_tokens"),
    );
  expect(mints).toHaveLength(1);
  expect(mints[0]?.status).toBe(201);
});

test("the GITHUB_APP_* environment variables, with the PEM text itself", async () => {
  const provider = await host(
    {},
    {
      GITHUB_APP_ID: "4242",
      GITHUB_APP_INSTALLATION_ID: "77",
      GITHUB_APP_PEM_FILE: privateKey,
    },
  );
  await write(provider, "APP_FROM_ENV");
  expect(
    emulator.getSecret("actions-repo", "acme/api", "APP_FROM_ENV")?.value,
  ).toBe(value);
});

test("a key that is not the App's: GitHub's 401 in one line", async () => {
  const provider = await host({
    "github:appAuth": JSON.stringify({
      id: 4242,
      installationId: 77,
      pemFile: stranger,
    }),
  });
  const checked = await provider.check(
    urn,
    {},
    {
      __provider: await serializedProvider("RepoSecret"),
      repository: "api",
      secretName: "NOPE",
      value,
    },
  );
  const error = await provider.create(urn, checked.inputs).then(
    () => undefined,
    (e: unknown) => e as ProviderError,
  );
  expect(error?.details).toMatch(
    /^RepoSecret NOPE in repository acme\/api: fetching the public key failed: GitHub answered 401/,
  );
  expect(error?.details.split("\n")).toHaveLength(1);
});

test("malformed appAuth fails check naming the setting, never echoing the key", async () => {
  const provider = await host({
    "github:appAuth": JSON.stringify({
      id: "app",
      installationId: "77",
      pemFile: "not a key",
    }),
  });
  const checked = await provider.check(
    urn,
    {},
    {
      __provider: await serializedProvider("RepoSecret"),
      repository: "api",
      secretName: "X",
      value,
    },
  );
  expect(checked.failures).toEqual([
    {
      property: "github:appAuth",
      reason: "stack config `github:appAuth`: the App id must be a number",
    },
  ]);
});

test("nothing printed holds the private key, a minted token or the value", () => {
  const minted = [...emulator.world.tokens.keys()].filter((token) =>
    token.startsWith("ghs_"),
  );
  expect(minted.length).toBeGreaterThan(0);
  const printed = hosts.map((h) => h.output()).join("\n");
  expect(
    leaksIn(printed, [value, ...minted, privateKey.split("\n")[1]!]),
  ).toEqual([]);
});
