import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "../../tools/local-engine/cli";
import { configSet } from "../../tools/local-engine/config-set";
import { aliasUrns, newUrn } from "../../tools/local-engine/urn";
import {
  configEnvName,
  limiter,
  loadProject,
  loadStackConfig,
  SECRET_SIG,
  SIG,
} from "../../tools/local-engine";
import {
  remark,
  SecretsManager,
  unwrap,
} from "../../tools/local-engine/secrets";

describe("stack config", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "local-engine-config-"));
    fs.writeFileSync(
      path.join(dir, "Pulumi.yaml"),
      "name: proj\nruntime: nodejs\n",
    );
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (yaml: string) =>
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), yaml);

  it("namespaces bare keys, passes structured values as JSON and leaves github:* of the environment to the provider", () => {
    write(
      "config:\n  name: x\n  other:n: 3\n  proj:list: [1, 2]\n  github:owner: from-file\n",
    );
    const cfg = loadStackConfig(loadProject(dir), "dev", {
      GITHUB_TOKEN: "t0k",
      GITHUB_OWNER: "from-env",
      GITHUB_BASE_URL: "http://127.0.0.1:1",
    });
    // Pulumi does not copy GITHUB_* into the stack config: the provider process inherits the
    // environment; only config is saved in the state for refresh and destroy.
    expect(cfg.values).toEqual({
      "proj:name": "x",
      "other:n": "3",
      "proj:list": "[1,2]",
      "github:owner": "from-file",
    });
    expect(cfg.secretKeys).toEqual([]);
  });

  it("fails on secure values unless the environment supplies them", () => {
    write(
      "config:\n  proj:apiKey:\n    secure: AAAB\n  github:token:\n    secure: AAAB\n",
    );
    expect(() => loadStackConfig(loadProject(dir), "dev", {})).toThrow(
      /secure values cannot be decrypted without PULUMI_CONFIG_PASSPHRASE.*proj:apiKey \(set PULUMI_CONFIG_PROJ_APIKEY\).*github:token \(set PULUMI_CONFIG_GITHUB_TOKEN or GITHUB_TOKEN\)/,
    );
    const cfg = loadStackConfig(loadProject(dir), "dev", {
      PULUMI_CONFIG_PROJ_APIKEY: "k",
      GITHUB_TOKEN: "t",
    });
    expect(cfg.values).toEqual({ "proj:apiKey": "k", "github:token": "t" });
    expect(cfg.secretKeys).toEqual(["github:token", "proj:apiKey"]);
  });

  it("names environment overrides predictably", () => {
    expect(configEnvName("github:baseUrl")).toBe(
      "PULUMI_CONFIG_GITHUB_BASEURL",
    );
  });

  it("requires a project name", () => {
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "runtime: nodejs\n");
    expect(() => loadProject(dir)).toThrow(/missing project name/);
  });
});

describe("secrets at rest", () => {
  it("seals secrets into ciphertext envelopes and opens them again", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "local-engine-key-"));
    try {
      const mgr = SecretsManager.open(undefined, {}, path.join(dir, "dev.key"));
      const value = { a: { [SIG]: SECRET_SIG, value: "plain" }, b: [1] };
      const sealed = mgr.seal(value);
      expect(JSON.stringify(sealed)).not.toContain("plain");
      expect(sealed).toMatchObject({
        a: { [SIG]: SECRET_SIG, ciphertext: expect.any(String) },
      });
      expect(mgr.open(sealed)).toEqual(value);
      expect(unwrap(value)).toEqual({ a: "plain", b: [1] });
      // Nothing is written before the first save.
      expect(fs.existsSync(path.join(dir, "dev.key"))).toBe(false);
      mgr.persist();
      expect(fs.statSync(path.join(dir, "dev.key")).mode & 0o777).toBe(0o600);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("re-marks named outputs secret", () => {
    expect(remark({ v: "x", w: "y" }, ["v", "missing"])).toEqual({
      v: { [SIG]: SECRET_SIG, value: "x" },
      w: "y",
    });
  });
});

describe("limiter", () => {
  it("never runs more than n at once", async () => {
    const limit = limiter(2);
    let active = 0;
    let max = 0;
    const task = () =>
      limit(async () => {
        max = Math.max(max, ++active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
      });
    await Promise.all(Array.from({ length: 10 }, task));
    expect(max).toBe(2);
  });
});

describe("cli arguments", () => {
  it("parses the command and flags", () => {
    expect(
      parseArgs([
        "up",
        "--stack",
        "prod",
        "--cwd=/x",
        "--parallel",
        "3",
        "--yes",
      ]),
    ).toEqual({
      command: "up",
      stack: "prod",
      cwd: "/x",
      parallel: 3,
    });
  });
  it("takes the CLI's flags that change what a provider sees", () => {
    expect(
      parseArgs([
        "up",
        "--cwd=/x",
        "--skip-preview",
        "--refresh",
        "--target",
        "urn:a",
        "-t",
        "urn:b",
        "--target-dependents",
        "--replace=urn:c",
      ]),
    ).toMatchObject({
      command: "up",
      skipPreview: true,
      refresh: true,
      targets: ["urn:a", "urn:b"],
      targetDependents: true,
      replace: ["urn:c"],
    });
    expect(parseArgs(["destroy", "--run-program"])).toMatchObject({
      runProgram: true,
    });
  });
  it("rejects unknown commands and bad values", () => {
    expect(() => parseArgs(["apply"])).toThrow(/usage/);
    expect(() => parseArgs(["up", "--parallel", "0"])).toThrow(
      /positive integer/,
    );
    expect(() => parseArgs(["up", "--stack"])).toThrow(/needs a value/);
  });
});

describe("secure config with Pulumi's passphrase provider", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "local-engine-secure-"));
    fs.writeFileSync(
      path.join(dir, "Pulumi.yaml"),
      "name: proj\nruntime: nodejs\n",
    );
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("config-set encrypts, loadStackConfig decrypts; a wrong passphrase is refused", () => {
    const set = (key: string, value: string, secret: boolean) =>
      configSet({
        cwd: dir,
        stack: "dev",
        key,
        value,
        secret,
        passphrase: "pw",
      });
    set("github:owner", "acme", false);
    set("apiKey", "the-api-key-value", true);
    const text = fs.readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8");
    expect(text).not.toContain("the-api-key-value");
    // Pulumi's forms: the salt and the check value, then "v1:<nonce>:<ciphertext>".
    expect(text).toMatch(/encryptionsalt: v1:[A-Za-z0-9+/=]+:v1:[^:]+:[^:\s]+/);
    expect(text).toMatch(
      /proj:apiKey:\n\s+secure: v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+/,
    );
    const cfg = loadStackConfig(loadProject(dir), "dev", {
      PULUMI_CONFIG_PASSPHRASE: "pw",
    });
    expect(cfg.values).toEqual({
      "github:owner": "acme",
      "proj:apiKey": "the-api-key-value",
    });
    expect(cfg.secretKeys).toEqual(["proj:apiKey"]);
    expect(() =>
      loadStackConfig(loadProject(dir), "dev", {
        PULUMI_CONFIG_PASSPHRASE: "wrong",
      }),
    ).toThrow(/incorrect passphrase/);
  });
});

describe("URNs and aliases", () => {
  const stackUrn = "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev";
  it("qualify the type with the parent's whole chain, never the root stack", () => {
    const outer = newUrn("dev", "p", stackUrn, "a:b:Outer", "o");
    const inner = newUrn("dev", "p", outer, "a:b:Inner", "i");
    expect(newUrn("dev", "p", inner, "x:y:Z", "leaf")).toBe(
      "urn:pulumi:dev::p::a:b:Outer$a:b:Inner$x:y:Z::leaf",
    );
    expect(newUrn("dev", "p", stackUrn, "x:y:Z", "top")).toBe(
      "urn:pulumi:dev::p::x:y:Z::top",
    );
  });
  it("fill an alias spec from the resource, and give children of an aliased parent its old URN", () => {
    const outer = "urn:pulumi:dev::p::a:b:Outer::o";
    const ctx = {
      stack: "dev",
      project: "p",
      type: "x:y:Z",
      name: "leaf",
      parentUrn: outer,
      oldUrnOf: (u: string) =>
        u === outer ? "urn:pulumi:dev::p::a:b:Old::o" : undefined,
    };
    expect(aliasUrns([{ noParent: true }, { name: "before" }], ctx)).toEqual([
      "urn:pulumi:dev::p::x:y:Z::leaf",
      "urn:pulumi:dev::p::a:b:Old$x:y:Z::before",
      "urn:pulumi:dev::p::a:b:Old$x:y:Z::leaf",
    ]);
  });
});
