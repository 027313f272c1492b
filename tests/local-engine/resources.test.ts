import { spawnSync } from "node:child_process";
import * as path from "node:path";
import type { ResourceEvent } from "../../tools/local-engine";
import { fixtures, run } from "./helpers";

jest.setTimeout(120000);

describe("local engine fakes and parallelism", () => {
  const fixture = fixtures();

  it("fakes other providers' resources and lets a hook react to them", async () => {
    const fx = fixture(
      { items: [{ name: "repoItem", value: "1" }], repo: "my-repo" },
      { "github:owner": "octo" },
    );
    const events: ResourceEvent[] = [];
    const onResource = (e: ResourceEvent) => {
      events.push(e);
      return e.op === "create" ? { outputs: { repoId: 4242 } } : undefined;
    };
    const up = await run(fx, "up", { onResource });
    expect(up.exitCode).toBe(0);
    const repo = up.state?.resources.find((r) => r.name === "repo");
    expect(repo).toMatchObject({ kind: "fake", id: "my-repo" });
    expect(repo?.outputs).toMatchObject({
      name: "my-repo",
      fullName: "octo/my-repo",
      repoId: 4242,
    });
    expect(
      up.state?.resources.find((r) => r.name === "repoItem")?.outputs.upstream,
    ).toBe("4242");
    expect(events.map((e) => `${e.op} ${e.name}`)).toEqual(["create repo"]);

    await run(fx, "destroy", { onResource });
    expect(events.map((e) => `${e.op} ${e.name}`)).toEqual([
      "create repo",
      "delete repo",
    ]);
  });

  it("runs all ready resources at once unless --parallel limits them", async () => {
    const items = ["p", "q", "r"].map((name) => ({
      name,
      value: "1",
      delay: 300,
    }));
    const overlap = (calls: string[]) => {
      let active = 0;
      let max = 0;
      for (const c of calls) {
        if (c.startsWith("create-start")) max = Math.max(max, ++active);
        if (c.startsWith("create-end")) active--;
      }
      return max;
    };
    const fx1 = fixture({ items });
    expect((await run(fx1, "up")).exitCode).toBe(0);
    expect(overlap(fx1.calls())).toBe(3);
    const fx2 = fixture({ items });
    expect((await run(fx2, "up", { parallel: 1 })).exitCode).toBe(0);
    expect(overlap(fx2.calls())).toBe(1);
  });

  it("has a CLI that prints the plan and exits non-zero on failure", () => {
    const fx = fixture({ items: [{ name: "a", value: "1" }] });
    const cli = path.resolve(__dirname, "../../tools/local-engine/cli.ts");
    const tsNode = require.resolve("ts-node/register/transpile-only");
    const env = { ...process.env, GITHUB_TOKEN: "" };
    const ok = spawnSync(
      process.execPath,
      ["-r", tsNode, cli, "up", "--cwd", fx.dir, "--stack", "dev"],
      {
        encoding: "utf8",
        env,
      },
    );
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain("Updating (dev):");
    expect(ok.stdout).toContain("+ 2 created");
    fx.setSpec({ items: [{ name: "a", value: "2", fail: "update" }] });
    const bad = spawnSync(
      process.execPath,
      ["-r", tsNode, cli, "up", "--cwd", fx.dir],
      { encoding: "utf8", env },
    );
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain("update exploded for a");
    const usage = spawnSync(process.execPath, ["-r", tsNode, cli, "apply"], {
      encoding: "utf8",
      env,
    });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("usage: local-engine");
  });
});
