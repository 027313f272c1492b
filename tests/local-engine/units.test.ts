import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "../../tools/local-engine/cli";
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

  it("namespaces bare keys, passes structured values as JSON and adds github:* from the environment", () => {
    write(
      "config:\n  name: x\n  other:n: 3\n  proj:list: [1, 2]\n  github:owner: from-file\n",
    );
    const cfg = loadStackConfig(loadProject(dir), "dev", {
      GITHUB_TOKEN: "t0k",
      GITHUB_OWNER: "from-env",
      GITHUB_BASE_URL: "http://127.0.0.1:1",
    });
    expect(cfg.values).toEqual({
      "proj:name": "x",
      "other:n": "3",
      "proj:list": "[1,2]",
      "github:owner": "from-file",
      "github:token": "t0k",
      "github:baseUrl": "http://127.0.0.1:1",
    });
    expect(cfg.secretKeys).toEqual(["github:token"]);
  });

  it("fails on secure values unless the environment supplies them", () => {
    write(
      "config:\n  proj:apiKey:\n    secure: AAAB\n  github:token:\n    secure: AAAB\n",
    );
    expect(() => loadStackConfig(loadProject(dir), "dev", {})).toThrow(
      /secure values cannot be decrypted by the local engine.*proj:apiKey \(set PULUMI_CONFIG_PROJ_APIKEY\).*github:token \(set PULUMI_CONFIG_GITHUB_TOKEN or GITHUB_TOKEN\)/,
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
  it("rejects unknown commands and bad values", () => {
    expect(() => parseArgs(["apply"])).toThrow(/usage/);
    expect(() => parseArgs(["up", "--parallel", "0"])).toThrow(
      /positive integer/,
    );
    expect(() => parseArgs(["up", "--stack"])).toThrow(/needs a value/);
  });
});
