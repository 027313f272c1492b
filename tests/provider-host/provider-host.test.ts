import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  ProviderError,
  startProviderHost,
  UNKNOWN,
  type ProviderHost,
} from "../../tools/provider-host";

const URN = "urn:pulumi:dev::test::pulumi-nodejs:dynamic:Resource::thing";

// A dynamic provider that logs every call to a file, serialized exactly as pulumi.dynamic.Resource
// serializes its provider (closure serialization of `() => provider`).
async function serializeProvider(logFile: string): Promise<string> {
  const provider = {
    prefix: "",
    async configure(req: pulumi.dynamic.ConfigureRequest) {
      this.prefix = `${req.config.get("prefix")}/${req.config.get("other:key")}`;
    },
    async check(_olds: Record<string, unknown>, news: Record<string, unknown>) {
      if (news.name === "bad") {
        return {
          inputs: news,
          failures: [{ property: "name", reason: "bad name" }],
        };
      }
      if (news.name === "throw-check") throw new Error("check exploded");
      return { inputs: { ...news, checked: true } };
    },
    async diff(
      _id: string,
      olds: Record<string, unknown>,
      news: Record<string, unknown>,
    ) {
      if (news.value === "04da6b54-80e4-46f7-96ec-b56ff0331ba9") return {};
      return {
        changes: olds.value !== news.value || olds.name !== news.name,
        replaces: olds.name !== news.name ? ["name"] : [],
        deleteBeforeReplace: news.dbr === true,
      };
    },
    async create(inputs: Record<string, unknown>) {
      require("fs").appendFileSync(logFile, `create ${inputs.name}\n`);
      if (inputs.name === "boom") throw new Error("boom happened");
      if (inputs.name === "partial") {
        const err = new Error("half done") as Error & {
          id?: string;
          properties?: object;
        };
        err.id = "id-partial";
        err.properties = { name: "partial", ready: false };
        throw err;
      }
      return {
        id: `id-${inputs.name}`,
        outs: {
          ...inputs,
          prefix: this.prefix,
          env: process.env.HOST_TEST_ENV,
        },
      };
    },
    async read(id: string, props: Record<string, unknown>) {
      if (id === "id-gone") return { id: "", props: {} };
      return {
        id,
        props: { ...props, refreshed: true },
        inputs: { name: props.name },
      };
    },
    async update(
      _id: string,
      _olds: Record<string, unknown>,
      news: Record<string, unknown>,
    ) {
      require("fs").appendFileSync(logFile, `update ${news.name}\n`);
      return { outs: { ...news, updated: true } };
    },
    async delete(id: string) {
      require("fs").appendFileSync(logFile, `delete ${id}\n`);
    },
  };
  const sf = await pulumi.runtime.serializeFunction(() => provider, {
    allowSecrets: true,
  });
  return sf.text;
}

describe("provider host", () => {
  let dir: string;
  let logFile: string;
  let providerText: string;
  let host: ProviderHost;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "provider-host-"));
    logFile = path.join(dir, "calls.log");
    providerText = await serializeProvider(logFile);
    host = await startProviderHost({
      cwd: dir,
      project: "test",
      env: { HOST_TEST_ENV: "e" },
    });
    await host.configure({ "test:prefix": "p", "other:key": "k" });
  });

  afterAll(async () => {
    await host?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const inputs = (extra: Record<string, unknown>) => ({
    __provider: providerText,
    ...extra,
  });

  it("runs check, create, diff, update, read and delete through the real host", async () => {
    const checked = await host.check(URN, {}, inputs({ name: "a", value: 1 }));
    expect(checked.failures).toEqual([]);
    expect(checked.inputs).toMatchObject({
      name: "a",
      value: 1,
      checked: true,
    });
    expect(checked.inputs.__provider).toBe(providerText);

    const created = await host.create(URN, checked.inputs);
    expect(created.id).toBe("id-a");
    // configure saw the whole config; keys without a colon are namespaced with the project.
    expect(created.outputs).toMatchObject({
      name: "a",
      value: 1,
      prefix: "p/k",
      env: "e",
    });
    expect(created.outputs.__provider).toBe(providerText);

    const same = await host.diff(
      created.id,
      URN,
      created.outputs,
      checked.inputs,
    );
    expect(same).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });

    const news = (
      await host.check(URN, checked.inputs, inputs({ name: "a", value: 2 }))
    ).inputs;
    const changed = await host.diff(created.id, URN, created.outputs, news);
    expect(changed).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });

    const updated = await host.update(created.id, URN, created.outputs, news);
    expect(updated.outputs).toMatchObject({
      name: "a",
      value: 2,
      updated: true,
    });

    const read = await host.read(created.id, URN, updated.outputs, news);
    expect(read.id).toBe("id-a");
    expect(read.outputs).toMatchObject({ value: 2, refreshed: true });
    expect(read.inputs).toEqual({ name: "a", __provider: providerText });

    await host.delete(created.id, URN, read.outputs);
    expect(fs.readFileSync(logFile, "utf8")).toBe(
      "create a\nupdate a\ndelete id-a\n",
    );
  });

  it("reports replacements and delete-before-replace", async () => {
    const olds = inputs({ name: "a", value: 1 });
    expect(
      await host.diff(
        "id-a",
        URN,
        olds,
        inputs({ name: "b", value: 1, dbr: true }),
      ),
    ).toEqual({ changes: true, replaces: ["name"], deleteBeforeReplace: true });
  });

  it("answers an unknown diff when the provider leaves changes undefined", async () => {
    const olds = inputs({ name: "a", value: 1 });
    const res = await host.diff(
      "id-a",
      URN,
      olds,
      inputs({ name: "a", value: UNKNOWN }),
    );
    expect(res.changes).toBeUndefined();
  });

  it("reports a read that finds nothing as an empty id", async () => {
    const res = await host.read("id-gone", URN, inputs({ name: "gone" }));
    expect(res.id).toBe("");
  });

  it("returns check failures", async () => {
    const res = await host.check(URN, {}, inputs({ name: "bad" }));
    expect(res.failures).toEqual([{ property: "name", reason: "bad name" }]);
  });

  it("turns a thrown error into a ProviderError with status 2 and the message", async () => {
    const err = await host
      .create(URN, inputs({ name: "boom" }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).code).toBe(2);
    expect((err as ProviderError).message).toBe("boom happened");
    expect((err as ProviderError).partial).toBeUndefined();

    const checkErr = await host
      .check(URN, {}, inputs({ name: "throw-check" }))
      .catch((e) => e);
    expect(checkErr).toBeInstanceOf(ProviderError);
    expect((checkErr as ProviderError).details).toContain("check exploded");
    expect(host.output()).toContain("check exploded");
  });

  it("decodes a partial failure (ErrorResourceInitFailed) from the status details", async () => {
    const err = await host
      .create(URN, inputs({ name: "partial" }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).message).toBe("half done");
    expect((err as ProviderError).partial).toEqual({
      id: "id-partial",
      outputs: { name: "partial", ready: false },
    });
  });

  it("drops undefined fields instead of failing to encode them", async () => {
    const res = await host.check(
      URN,
      {},
      inputs({ name: "u", missing: undefined, list: [1] }),
    );
    expect(res.inputs).not.toHaveProperty("missing");
    expect(res.inputs.list).toEqual([1]);
  });
});

describe("provider host startup", () => {
  it("reports the process id and stops the process on close", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "provider-host-"));
    const host = await startProviderHost({ cwd: dir, project: "p" });
    try {
      expect(host.pid).toBeGreaterThan(0);
      expect(() => process.kill(host.pid, 0)).not.toThrow();
    } finally {
      await host.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(() => process.kill(host.pid, 0)).toThrow();
  });
});
