// The provider plugin `github-secrets` driven over gRPC as the engine drives it (plugin/,
// started from its executable): its schema and version, CheckConfig of bad settings, Check of
// bad input (the property and the rule named, never a value) and of every bad valueFrom source,
// a property-level Diff, and Read by id alone (import); and its release archive, whose one file
// needs nothing but node.
import { execFile as execFileCallback } from "node:child_process";
import * as fs from "node:fs";
import { builtinModules } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import { pulumiBinary } from "../../tools/pulumi-cli";
import {
  startProviderHost,
  type ProviderHost,
} from "../../tools/provider-host";
import { executableName, pack } from "../../tools/plugin-archive";
import { isolatedEnv } from "../support/host";
import { leaksIn } from "../support/leaks";
import { pluginDir } from "../support/pulumi";
import { repositoryRoot } from "../support/serialized-provider";
import { putOutsidePulumi } from "./outside";

const execFile = promisify(execFileCallback);
const executable = path.join(pluginDir, "pulumi-resource-github-secrets");
const urn = (type: string, name: string) =>
  `urn:pulumi:dev::plugin-test::github-secrets:index:${type}::${name}`;
const providerUrn =
  "urn:pulumi:dev::plugin-test::pulumi:providers:github-secrets::default";
const value = "plugin-test-plaintext-\u2713-value";

let github: Emulator;
const plugins: ProviderHost[] = [];

async function plugin(
  config: Record<string, unknown> = {},
  started: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ProviderHost> {
  const host = await startProviderHost({
    cwd: started.cwd ?? repositoryRoot,
    project: "plugin-test",
    plugin: executable,
    env: { ...isolatedEnv, ...started.env },
  });
  plugins.push(host);
  await host.configure({
    token: github.token,
    baseUrl: github.url,
    owner: "acme",
    ...config,
  } as Record<string, string>);
  return host;
}

beforeAll(async () => {
  github = await startEmulator();
});
afterAll(async () => {
  await Promise.all(plugins.map((p) => p.close()));
  await github?.close();
});
afterEach(() => {
  for (const p of plugins)
    expect(leaksIn(p.output(), [value, github.token])).toEqual([]);
});

test("serves the schema committed in sdk/schema.json, and the package's version", async () => {
  const host = await plugin();
  const schema = JSON.parse(await host.getSchema()) as {
    name: string;
    version: string;
    resources: Record<string, unknown>;
  };
  const { version } = JSON.parse(
    fs.readFileSync(path.join(repositoryRoot, "package.json"), "utf8"),
  ) as { version: string };
  expect(schema).toEqual(
    JSON.parse(
      fs.readFileSync(path.join(repositoryRoot, "sdk/schema.json"), "utf8"),
    ),
  );
  expect(schema.version).toBe(version);
  expect(await host.getPluginInfo()).toBe(version);
  expect(Object.keys(schema.resources)).toContain(
    "github-secrets:index:AgentSecret",
  );
});

test("the pinned Pulumi CLI loads the plugin from its executable and binds its schema", async () => {
  // `pulumi package get-schema` runs the plugin, asks for its schema and binds it with the CLI's
  // own schema binder (pkg/v3 codegen/schema of v3.274.1): a schema it refuses fails here.
  const cli = pulumiBinary();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "plugin-home-"));
  try {
    const { stdout } = await execFile(
      cli.path,
      ["package", "get-schema", executable, "--non-interactive"],
      {
        env: {
          ...process.env,
          PULUMI_HOME: home,
          PULUMI_SKIP_UPDATE_CHECK: "true",
        },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    expect(JSON.parse(stdout)).toEqual(
      JSON.parse(
        fs.readFileSync(path.join(repositoryRoot, "sdk/schema.json"), "utf8"),
      ),
    );
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});

describe("CheckConfig names the setting and the rule", () => {
  test.each([
    [
      "maxRetries",
      "lots",
      /`github-secrets:maxRetries`.*whole number from 0 to 20/,
    ],
    ["baseUrl", "ftp://example", /baseUrl/],
    ["appAuth", '{"id":"x"}', /App id must be a number/],
    ["accounts", "[1]", /`github-secrets:accounts`.*must be an object/],
  ])("%s = %s", async (key, bad, rule) => {
    const host = await plugin();
    // A token wins over an App: the App's settings are read only without one.
    const { failures } = await host.checkConfig(providerUrn, {
      ...(key === "appAuth" ? {} : { token: github.token }),
      [key]: bad,
    });
    expect(failures).toHaveLength(1);
    expect(failures[0]!.property).toBe(key);
    expect(failures[0]!.reason).toMatch(rule);
  });

  test("good settings pass, handed back as given", async () => {
    const host = await plugin();
    const news = {
      token: github.token,
      owner: "acme",
      maxRetries: "2",
      version: "0.1.0",
    };
    expect(await host.checkConfig(providerUrn, news)).toEqual({
      inputs: news,
      failures: [],
    });
  });
});

describe("Check of bad input: the property and the rule, never the value", () => {
  test.each([
    ["no value", { repository: "api", secretName: "A" }, "value"],
    [
      "both values",
      { repository: "api", secretName: "A", value, encryptedValue: value },
      "value",
    ],
    [
      "a bad name",
      { repository: "api", secretName: "GITHUB_X", value },
      "secretName",
    ],
    ["no repository", { secretName: "A", value }, "repository"],
  ])("%s", async (_, news, property) => {
    const host = await plugin();
    const { failures } = await host.check(urn("RepoSecret", "bad"), {}, news);
    expect(failures.map((f) => f.property)).toContain(property);
    expect(JSON.stringify(failures)).not.toContain(value);
  });

  test("no credentials: the provider config key is named", async () => {
    const host = await plugin({ token: undefined });
    const { failures } = await host.check(
      urn("RepoSecret", "creds"),
      {},
      { repository: "api", secretName: "A", value },
    );
    expect(failures).toEqual([
      expect.objectContaining({
        reason: expect.stringMatching(
          /no GitHub credentials: set provider config `github-secrets:token`/,
        ),
      }),
    ]);
  });
});

test("Diff names each changed property, and which replace", async () => {
  const host = await plugin();
  const news = { repository: "api", secretName: "DIFFED", value };
  const checked = await host.check(urn("RepoSecret", "diffed"), {}, news);
  const created = await host.create(
    urn("RepoSecret", "diffed"),
    checked.inputs,
  );
  const changed = await host.check(
    urn("RepoSecret", "diffed"),
    checked.inputs,
    { ...news, value: `${value}-2`, repository: "web" },
  );
  const diff = await host.diff(
    created.id,
    urn("RepoSecret", "diffed"),
    created.outputs,
    changed.inputs,
  );
  expect(diff).toEqual({
    changes: true,
    replaces: ["repository"],
    deleteBeforeReplace: false,
    detailedDiff: { value: "update", repository: "update-replace" },
  });
  const same = await host.diff(
    created.id,
    urn("RepoSecret", "diffed"),
    created.outputs,
    checked.inputs,
  );
  expect(same).toEqual({
    changes: false,
    replaces: [],
    deleteBeforeReplace: false,
    detailedDiff: {},
  });
});

describe("Check of a bad valueFrom source: the resource's property and the source named, never a value or a command's output", () => {
  const printed = "plugin-test-command-output-never-shown";
  const node = (script: string) => [process.execPath, "-e", script];
  let project: string;
  let host: ProviderHost;
  beforeAll(async () => {
    // The folder the engine starts the plugin in: the program's (relative paths are read there).
    project = fs.mkdtempSync(path.join(os.tmpdir(), "plugin-project-"));
    fs.writeFileSync(path.join(project, ".env"), `OTHER=${value}\n`);
    host = await plugin({}, { cwd: project, env: { EMPTY_VALUE: "" } });
  });
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  test.each<[string, Record<string, unknown>, string]>([
    [
      "an unset variable",
      { env: "UNSET_DEPLOY_KEY" },
      "environment variable UNSET_DEPLOY_KEY is not set in the environment of the pulumi process",
    ],
    [
      "an empty variable",
      { env: "EMPTY_VALUE" },
      "environment variable EMPTY_VALUE holds an empty value (GitHub stores no empty secrets)",
    ],
    [
      "a missing file",
      { file: "secrets/deploy.pem" },
      "file secrets/deploy.pem (<project>/secrets/deploy.pem) does not exist (relative paths are read from the folder Pulumi runs the program in)",
    ],
    [
      "a missing key",
      { file: ".env", key: "DB_URL" },
      "file .env (<project>/.env) has no key DB_URL",
    ],
    [
      "a failing command",
      {
        command: node(
          `console.log(${JSON.stringify(printed)}); console.error(${JSON.stringify(printed)}); process.exit(7)`,
        ),
      },
      `command ${process.execPath} exited with status 7 (its output is not shown)`,
    ],
    [
      "a hanging command",
      {
        command: node(
          `console.log(${JSON.stringify(printed)}); setInterval(() => {}, 1000)`,
        ),
        timeoutSeconds: 1,
      },
      `command ${process.execPath} did not finish within 1 s (valueFrom.timeoutSeconds) and was stopped`,
    ],
    [
      "two sources at once",
      { env: "A", file: "b" },
      "valueFrom must name exactly one source: { env: NAME }, { file: PATH, key?: KEY } or { command: [ARGV0, ...ARGS], timeoutSeconds?: N }; it names env and file",
    ],
  ])("%s", async (_, valueFrom, reason) => {
    github.resetLog();
    const { failures } = await host.check(
      urn("EnvironmentSecret", "sourced"),
      {},
      {
        repository: "api",
        environment: "dev",
        secretName: "SOURCED",
        valueFrom,
      },
    );
    expect(failures).toEqual([
      { property: "valueFrom", reason: reason.replace("<project>", project) },
    ]);
    expect(github.requestLog()).toEqual([]);
    expect(leaksIn(JSON.stringify(failures), [value, printed])).toEqual([]);
    expect(leaksIn(host.output(), [value, printed])).toEqual([]);
  });

  test("a run cancelled while a command runs (the engine interrupts the plugin) stops the command too", async () => {
    const cancelled = await plugin({}, { cwd: project });
    const pidFile = path.join(project, "command.pid");
    const check = cancelled
      .check(
        urn("RepoSecret", "cancelled"),
        {},
        {
          repository: "api",
          secretName: "CANCELLED",
          valueFrom: {
            command: node(
              `require("fs").writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000)`,
            ),
            timeoutSeconds: 120,
          },
        },
      )
      .catch((error: unknown) => error);
    while (!fs.existsSync(pidFile))
      await new Promise((resolve) => setTimeout(resolve, 50));
    const commandPid = Number(fs.readFileSync(pidFile, "utf8"));
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(alive(commandPid)).toBe(true);
    cancelled.kill("SIGINT");
    await check;
    for (let i = 0; i < 40 && alive(commandPid); i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(alive(commandPid)).toBe(false);
  });

  test("value and valueFrom at once", async () => {
    const { failures } = await host.check(
      urn("RepoSecret", "both"),
      {},
      { repository: "api", secretName: "BOTH", value, valueFrom: { env: "A" } },
    );
    expect(failures).toEqual([
      {
        property: "valueFrom",
        reason:
          "give exactly one of value, encryptedValue and valueFrom, not value and valueFrom",
      },
    ]);
  });

  test("a good source: the digest comes back a Pulumi secret, the source's revision 1, no value", async () => {
    fs.writeFileSync(path.join(project, "token"), value);
    const { inputs, failures } = await host.check(
      urn("RepoSecret", "good"),
      {},
      { repository: "api", secretName: "GOOD", valueFrom: { file: "token" } },
    );
    expect(failures).toEqual([]);
    expect(inputs.valueFrom).toEqual({ file: "token", revision: 1 });
    expect(inputs.__valueDigest).toEqual({
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      value: expect.stringMatching(/^\$scrypt\$ln=15,r=8,p=1\$/),
    });
    expect(leaksIn(JSON.stringify(inputs), [value])).toEqual([]);
  });

  test("with valueVersion, check reads nothing; create fails naming the source, nothing written", async () => {
    github.resetLog();
    const news = {
      repository: "api",
      secretName: "VERSIONED",
      valueFrom: { env: "UNSET_DEPLOY_KEY" },
      valueVersion: "1",
    };
    const checked = await host.check(urn("RepoSecret", "versioned"), {}, news);
    expect(checked.failures).toEqual([]);
    expect(checked.inputs.__valueDigest).toBeUndefined();
    await expect(
      host.create(urn("RepoSecret", "versioned"), checked.inputs),
    ).rejects.toThrow(
      "RepoSecret VERSIONED in repository acme/api: valueFrom: environment variable UNSET_DEPLOY_KEY is not set in the environment of the pulumi process; nothing was written",
    );
    expect(github.requestLog().filter((r) => r.method !== "GET")).toEqual([]);
  });
});

describe("Read by id alone (import)", () => {
  test("a secret: its scope and name from the id; no value, so the next up writes one", async () => {
    await putOutsidePulumi(
      github,
      "repos/acme/api/actions/secrets",
      "IMPORTED",
    );
    const host = await plugin();
    const read = await host.read(
      "repos/acme/api/actions/secrets/IMPORTED",
      urn("RepoSecret", "imported"),
      {},
    );
    expect(read.id).toBe("repos/acme/api/actions/secrets/IMPORTED");
    expect(read.inputs).toEqual({
      owner: "acme",
      repository: "api",
      secretName: "IMPORTED",
    });
    expect(read.outputs).toMatchObject({
      owner: "acme",
      repository: "api",
      secretName: "IMPORTED",
      valueDigest: "",
    });
    expect(host.output()).toMatch(
      /imported RepoSecret IMPORTED in repository acme\/api: GitHub never reveals a value/,
    );
  });

  test("an id of another shape is refused with the expected shape", async () => {
    const host = await plugin();
    await expect(
      host.read("acme/api/IMPORTED", urn("RepoSecret", "bad-id"), {}),
    ).rejects.toThrow(
      /RepoSecret: the import id must be the secret's API path, repos\/OWNER\/REPO\/actions\/secrets\/SECRET_NAME/,
    );
  });

  test("a secret that does not exist: said so, with the host", async () => {
    const host = await plugin();
    await expect(
      host.read(
        "orgs/acme/actions/secrets/NOPE",
        urn("OrgSecret", "missing"),
        {},
      ),
    ).rejects.toThrow(
      /cannot import OrgSecret NOPE in organization acme: it does not exist on 127\.0\.0\.1/,
    );
  });
});

describe("the release archive (npm run plugin:pack)", () => {
  let dir: string;
  beforeAll(async () => {
    // Unpacked where no node_modules is above it (the tests' PULUMI_HOME is inside this
    // repository, whose node_modules a stray require would still find).
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "plugin-archive-"));
    const { archive } = await pack();
    await execFile("tar", ["-xzf", archive, "-C", dir]);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("holds one executable, which requires nothing but Node's own modules", () => {
    expect(fs.readdirSync(dir)).toEqual([executableName]);
    const file = path.join(dir, executableName);
    expect(fs.statSync(file).mode & 0o111).toBe(0o111);
    const text = fs.readFileSync(file, "utf8");
    expect(text.startsWith("#!/usr/bin/env node\n")).toBe(true);
    const required = new Set(
      [...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!),
    );
    expect(required.size).toBeGreaterThan(0);
    expect(
      [...required].filter(
        (id) => !builtinModules.includes(id.replace(/^node:/, "")),
      ),
    ).toEqual([]);
  });

  test("serves the schema and writes a secret from a folder without node_modules", async () => {
    const host = await startProviderHost({
      cwd: dir,
      project: "plugin-test",
      plugin: path.join(dir, executableName),
      env: isolatedEnv,
    });
    plugins.push(host);
    await host.configure({
      token: github.token,
      baseUrl: github.url,
      owner: "acme",
    } as Record<string, string>);
    expect(JSON.parse(await host.getSchema())).toEqual(
      JSON.parse(
        fs.readFileSync(path.join(repositoryRoot, "sdk/schema.json"), "utf8"),
      ),
    );
    const news = { repository: "api", secretName: "FROM_ARCHIVE", value };
    const checked = await host.check(urn("RepoSecret", "archive"), {}, news);
    await host.create(urn("RepoSecret", "archive"), checked.inputs);
    expect(
      github.getSecret("actions-repo", "acme/api", "FROM_ARCHIVE")?.value,
    ).toBe(value);
  });
});
