// The engine behaviours our provider depends on, each as pulumi/pulumi's engine has it (the Go
// file and function are cited where the local engine implements them). `run` skips the preview
// deployment (helpers.ts); the test of up's preview calls runEngine with the CLI's default.
import * as os from "node:os";
import { runEngine } from "../../tools/local-engine";
import { fixtures, names, ops, run } from "./helpers";

jest.setTimeout(180000);

const urnOf = (name: string, type = "pulumi-nodejs:dynamic:Resource") =>
  `urn:pulumi:dev::fixture::${type}::${name}`;
const item = (name: string, extra: object = {}) => ({
  name,
  value: "1",
  ...extra,
});

describe("replacement", () => {
  const fixture = fixtures();

  it("--replace: Checked with no olds, created, then the old one deleted at the end", async () => {
    const fx = fixture({ items: [item("a"), item("b")] });
    expect((await run(fx, "up")).exitCode).toBe(0);
    fx.calls();
    fx.engineCalls();

    const up = await run(fx, "up", {
      replace: [urnOf("a")],
    });
    expect(up.exitCode).toBe(0);
    expect(up.steps.find((s) => s.name === "a")).toMatchObject({
      op: "replace",
      replaces: ["id"],
      deleteBeforeReplace: false,
    });
    // Same key, same remote id: the create overwrites, then the old one's delete removes it.
    expect(fx.calls()).toEqual([
      "create-start a",
      "create-end a",
      "delete id-a",
    ]);
    const checks = fx.engineCalls().filter((c) => c.startsWith("check-start"));
    expect(checks).toEqual(["check-start a no-olds", "check-start b olds"]);
    expect(names(up).sort()).toEqual(["a", "b", "fixture-dev"]);
  });

  it("marks the old resource for deletion only after the new one was created", async () => {
    const fx = fixture({ items: [item("a")] });
    expect((await run(fx, "up")).exitCode).toBe(0);
    fx.setSpec({ items: [item("a", { key: "a2", fail: "create" })] });
    const failed = await run(fx, "up");
    expect(failed.exitCode).toBe(1);
    const a = failed.state?.resources.filter((r) => r.name === "a") ?? [];
    expect(a.map((r) => [r.id, r.delete ?? false])).toEqual([["id-a", false]]);
    expect(fx.remote()).toEqual({ "id-a": { value: "1" } });
  });

  it("a replacement is Checked again with no olds (the provider recomputes defaults)", async () => {
    const fx = fixture({ items: [item("a")] });
    expect((await run(fx, "up")).exitCode).toBe(0);
    fx.engineCalls();
    fx.setSpec({ items: [item("a", { key: "a2" })] });
    expect((await run(fx, "up")).exitCode).toBe(0);
    expect(fx.engineCalls().filter((c) => c.startsWith("check-start"))).toEqual(
      ["check-start a2 olds", "check-start a2 no-olds"],
    );
  });

  it("replacementTrigger and replaceWith replace like a changed key", async () => {
    const fx = fixture({
      items: [item("a"), item("b", { opts: { replacementTrigger: "v1" } })],
    });
    expect((await run(fx, "up")).exitCode).toBe(0);
    fx.setSpec({
      items: [
        item("a", { key: "a2" }),
        item("b", { opts: { replacementTrigger: "v2", replaceWith: ["a"] } }),
      ],
    });
    const up = await run(fx, "up");
    expect(up.steps.find((s) => s.name === "b")).toMatchObject({
      op: "replace",
      replaces: ["replacementTrigger", "replaceWith"],
    });
  });
});

describe("URNs and aliases", () => {
  const fixture = fixtures();

  it("a child's URN carries its parents' type chain; moving it without an alias creates, then deletes the old", async () => {
    const fx = fixture({ items: [item("a")] });
    expect((await run(fx, "up")).exitCode).toBe(0);
    fx.calls();
    fx.setSpec({
      components: [{ name: "outer" }, { name: "inner", parent: "outer" }],
      items: [item("a", { opts: { parent: "inner" } })],
    });
    const up = await run(fx, "up");
    expect(up.exitCode).toBe(0);
    const moved = urnOf(
      "a",
      "fixture:index:Group$fixture:index:Group$pulumi-nodejs:dynamic:Resource",
    );
    expect(up.state?.resources.map((r) => r.urn)).toContain(moved);
    expect(ops(up)).toEqual([
      "create outer",
      "create inner",
      "create a",
      "delete a",
    ]);
    expect(fx.calls()).toEqual([
      "create-start a",
      "create-end a",
      "delete id-a",
    ]);
  });

  it("an alias naming the old place keeps the resource: no create, no delete", async () => {
    const fx = fixture({ items: [item("a")] });
    expect((await run(fx, "up")).exitCode).toBe(0);
    fx.calls();
    fx.setSpec({
      components: [{ name: "group" }],
      items: [
        item("a", { opts: { parent: "group", aliases: [{ parent: null }] } }),
      ],
    });
    const up = await run(fx, "up");
    expect(up.exitCode).toBe(0);
    expect(ops(up)).toEqual(["create group"]);
    expect(fx.calls()).toEqual([]);
    expect(up.state?.resources.find((r) => r.name === "a")?.urn).toBe(
      urnOf("a", "fixture:index:Group$pulumi-nodejs:dynamic:Resource"),
    );
  });
});

describe("targets", () => {
  const fixture = fixtures();

  it("--target changes only the target: others keep their state unchecked, new ones are not created", async () => {
    const fx = fixture({ items: [item("a"), item("b")] });
    expect((await run(fx, "up")).exitCode).toBe(0);
    fx.calls();
    fx.engineCalls();
    fx.setSpec({
      items: [item("a", { value: "2" }), item("b", { value: "2" }), item("c")],
    });
    const up = await run(fx, "up", {
      targets: [urnOf("a")],
    });
    expect(up.exitCode).toBe(0);
    expect(ops(up)).toEqual(["update a"]);
    expect(fx.calls()).toEqual(["update a"]);
    expect(fx.engineCalls().filter((c) => c.startsWith("check-start"))).toEqual(
      ["check-start a olds"],
    );
    expect(names(up)).toEqual(["fixture-dev", "a", "b"]);
    expect(fx.remote()["id-b"]).toEqual({ value: "1" });
  });
});

describe("refresh and saved provider config", () => {
  const fixture = fixtures();

  it("refresh and destroy configure the provider from the config saved at the last up, unless --run-program", async () => {
    const fx = fixture({ items: [item("a")] }, { "fixture:marker": "first" });
    expect((await run(fx, "up")).exitCode).toBe(0);
    fx.setConfig({ "fixture:marker": "second" });
    fx.engineCalls();

    expect((await run(fx, "refresh")).exitCode).toBe(0);
    expect(configured(fx.engineCalls())).toEqual(["first"]);
    expect((await run(fx, "refresh", { runProgram: true })).exitCode).toBe(0);
    expect(configured(fx.engineCalls())).toEqual(["second"]);

    // An up saves the new config; a plain refresh then sees it.
    fx.setConfig({ "fixture:marker": "third" });
    expect((await run(fx, "up")).exitCode).toBe(0);
    fx.setConfig({ "fixture:marker": "fourth" });
    fx.engineCalls();
    expect((await run(fx, "destroy")).exitCode).toBe(0);
    expect(configured(fx.engineCalls())).toEqual(["third"]);
  });

  it("a refresh that reads what the program declares shows nothing; up --refresh reads, then updates, in one deployment", async () => {
    const fx = fixture({ items: [item("a"), item("b")] });
    expect((await run(fx, "up")).exitCode).toBe(0);
    fx.calls();
    const quiet = await run(fx, "refresh");
    expect(quiet.exitCode).toBe(0);
    expect(ops(quiet)).toEqual([]);
    expect(fx.calls().sort()).toEqual(["read id-a", "read id-b"]);

    fx.setRemote({ "id-a": { value: "drifted" }, "id-b": { value: "1" } });
    fx.engineCalls();
    const up = await run(fx, "up", { refresh: true });
    expect(up.exitCode).toBe(0);
    const calls = fx.calls();
    expect(calls.slice(0, 2).sort()).toEqual(["read id-a", "read id-b"]);
    expect(calls.slice(2)).toEqual(["update a"]);
    // One provider process for the whole deployment, configured for the refresh first.
    const pids = new Set(
      fx
        .engineCalls()
        .filter((c) => c.startsWith("configure"))
        .map((c) => c.split(" ")[1]),
    );
    expect(pids.size).toBe(1);
  });
});

describe("deployments and parallelism", () => {
  const fixture = fixtures();

  it("up is a preview and then an update, each with its own provider process; --skip-preview is one", async () => {
    const fx = fixture({ items: [item("a")] });
    const up = await runEngine({
      command: "up",
      cwd: fx.dir,
      stack: "dev",
      env: { GITHUB_TOKEN: undefined },
    });
    expect(up.exitCode).toBe(0);
    expect(up.previewSteps?.map((s) => `${s.op} ${s.name}`)).toEqual([
      "create fixture-dev",
      "create a",
    ]);
    expect(up.output).toMatch(
      /Previewing update \(dev\):[^]*Updating \(dev\):/,
    );
    expect(processes(fx.engineCalls())).toBe(2);
    fx.setSpec({ items: [item("a", { value: "2" })] });
    expect((await run(fx, "up", { skipPreview: true })).exitCode).toBe(0);
    expect(processes(fx.engineCalls())).toBe(1);
  });

  it("runs 4 × CPUs creates at once by default, and Check one resource at a time", async () => {
    const n = 4 * os.availableParallelism() + 2;
    const fx = fixture({
      items: Array.from({ length: n }, (_, i) =>
        item(`i${i}`, { delay: 400, checkDelay: 20 }),
      ),
    });
    expect((await run(fx, "up")).exitCode).toBe(0);
    expect(overlap(fx.calls(), "create")).toBe(4 * os.availableParallelism());
    expect(overlap(fx.engineCalls(), "check")).toBe(1);
  });
});

describe("protect, retainOnDelete, deletedWith", () => {
  const fixture = fixtures();

  it("a protected resource is neither deleted nor replaced; the error says how to unprotect it", async () => {
    const fx = fixture({ items: [item("a", { opts: { protect: true } })] });
    expect((await run(fx, "up")).exitCode).toBe(0);
    fx.setSpec({ items: [item("a", { key: "a2", opts: { protect: true } })] });
    const replace = await run(fx, "up");
    expect(replace.exitCode).toBe(1);
    expect(replace.output).toContain(
      "as it is currently marked for protection. To unprotect the resource, remove the `protect` flag",
    );
    fx.setSpec({ items: [] });
    const remove = await run(fx, "up");
    expect(remove.exitCode).toBe(1);
    expect(remove.output).toContain("because it is protected");
    expect(fx.remote()).toEqual({ "id-a": { value: "1" } });
  });

  it("retainOnDelete leaves the resource; deletedWith skips the delete when its owner goes too", async () => {
    const fx = fixture({
      items: [
        item("owner"),
        item("child", { opts: { deletedWith: "owner" } }),
        item("kept", { opts: { retainOnDelete: true } }),
      ],
    });
    expect((await run(fx, "up")).exitCode).toBe(0);
    fx.calls();
    fx.setSpec({ items: [] });
    const up = await run(fx, "up");
    expect(up.exitCode).toBe(0);
    expect(fx.calls()).toEqual(["delete id-owner"]);
    expect(names(up)).toEqual(["fixture-dev"]);
    expect(up.steps.find((s) => s.name === "child")?.skipped).toMatch(
      /deleted with/,
    );
  });
});

describe("import and replaceOnChanges, as the engine treats a dynamic resource", () => {
  const fixture = fixtures();

  it("import reaches Read without __provider, and the dynamic-provider host cannot load one (pulumi/pulumi#16175)", async () => {
    const fx = fixture({ items: [item("a", { opts: { import: "id-a" } })] });
    const up = await run(fx, "up");
    expect(up.exitCode).toBe(1);
    expect(up.output).toMatch(/import failed/);
    expect(fx.calls()).toEqual([]);
  });

  it("replaceOnChanges has no effect when the provider answers changes without naming them, as the dynamic host does", async () => {
    const fx = fixture({
      items: [
        item("named", { opts: { replaceOnChanges: ["value"] } }),
        item("unknown", {
          diffUnknown: true,
          opts: { replaceOnChanges: ["value"] },
        }),
      ],
    });
    expect((await run(fx, "up")).exitCode).toBe(0);
    fx.setSpec({
      items: [
        item("named", { value: "2", opts: { replaceOnChanges: ["value"] } }),
        item("unknown", {
          value: "2",
          diffUnknown: true,
          opts: { replaceOnChanges: ["value"] },
        }),
      ],
    });
    const up = await run(fx, "up");
    expect(up.exitCode).toBe(0);
    // The replaced original is deleted at the end.
    expect(ops(up).sort()).toEqual([
      "delete unknown",
      "replace unknown",
      "update named",
    ]);
  });
});

/** The markers the provider was configured with, one per provider process. */
function configured(calls: string[]): string[] {
  return calls
    .filter((c) => c.startsWith("configure"))
    .map((c) => c.split(" ")[2] ?? "");
}

function processes(calls: string[]): number {
  return new Set(
    calls.filter((c) => c.startsWith("configure")).map((c) => c.split(" ")[1]),
  ).size;
}

/** The most `<kind>-start … <kind>-end` spans open at once. */
function overlap(calls: string[], kind: string): number {
  let active = 0;
  let max = 0;
  for (const c of calls) {
    if (c.startsWith(`${kind}-start`)) max = Math.max(max, ++active);
    if (c.startsWith(`${kind}-end`)) active--;
  }
  return max;
}
