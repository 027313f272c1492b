// Every kind, end to end: @pulumi/pulumi's own dynamic-provider host (the process `pulumi up`
// starts) driven over gRPC, with the __provider the real SDK class serializes, against the
// GitHub emulator over real HTTP. The emulator decrypts what it receives; we compare.
import { kinds } from "../../provider/kinds";
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import { type ProviderHost } from "../../tools/provider-host";
import { hostPool } from "../support/host";
import { kindCases } from "../support/kinds";
import { leaksIn } from "../support/leaks";
import { serializedProvider } from "../support/serialized-provider";

const firstValue = "first-value-\u00e9\u00e8-\u2713\nsecond line\n";
const secondValue = "second-value-" + "0123456789abcdef".repeat(3000); // 48 000 bytes, multi-KB

let emulator: Emulator;
const pool = hostPool(() => emulator, "lifecycle");
let host: ProviderHost;
/** A later deployment (pulumi destroy): a new provider process, which wrote nothing yet. */
let later: ProviderHost;

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

test("every row of the kinds table has a case", () => {
  expect(kindCases.map((c) => c.kind)).toEqual(Object.keys(kinds));
});

describe.each(kindCases)(
  "$kind lifecycle through the dynamic-provider host",
  ({ kind: className, family, scope, args, outputs }) => {
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
    leaksIn(pool.output(), [
      firstValue.slice(0, 12),
      secondValue.slice(0, 20),
      emulator.token,
    ]),
  ).toEqual([]);
});

test("the emulator saw no request or response that breaks GitHub's OpenAPI description", () => {
  expect(emulator.schemaViolations()).toEqual([]);
});
