import * as fs from "node:fs";
import { ITEM, fixtures, names, ops, run } from "./helpers";

jest.setTimeout(120000);

describe("local engine lifecycle", () => {
  const fixture = fixtures();

  it("previews without writing, then creates, then a second up changes nothing", async () => {
    const fx = fixture({
      items: [
        { name: "a", value: "1" },
        { name: "b", value: "2", dependsOn: ["a"] },
      ],
    });

    const preview = await run(fx, "preview");
    expect(preview.exitCode).toBe(0);
    expect(ops(preview)).toEqual([
      "create fixture-dev",
      "create a",
      "create b",
    ]);
    expect(preview.output).toContain("+ 3 to create");
    expect(preview.output).toContain("firstId: output<unknown>");
    expect(fs.existsSync(fx.stateFile())).toBe(false);
    expect(fs.existsSync(`${fx.dir}/.pulumi-local`)).toBe(false);
    expect(fx.calls()).toEqual([]);

    const up = await run(fx, "up");
    expect(up.exitCode).toBe(0);
    expect(ops(up)).toEqual(["create fixture-dev", "create a", "create b"]);
    expect(fx.calls()).toEqual([
      "create-start a",
      "create-end a",
      "create-start b",
      "create-end b",
    ]);
    expect(up.output).toContain("+ 3 created");
    expect(up.output).toContain('first: "1"');
    const b = up.state?.resources.find((r) => r.name === "b");
    expect(b).toMatchObject({ id: "id-b", type: ITEM, kind: "dynamic" });
    expect(b?.dependencies).toEqual([
      "urn:pulumi:dev::fixture::pulumi-nodejs:dynamic:Resource::a",
    ]);
    expect(b?.outputs.upstream).toBe("id-a");

    const again = await run(fx, "up");
    expect(again.exitCode).toBe(0);
    expect(ops(again)).toEqual([]);
    expect(again.output).toContain("3 unchanged");
    // Check and Diff only: no Create, Update, Delete nor Read.
    expect(fx.calls()).toEqual([]);
  });

  it("updates in place, and replaces create-before-delete or delete-before-replace", async () => {
    const fx = fixture({
      items: [
        { name: "a", value: "1" },
        { name: "b", value: "1" },
      ],
    });
    expect((await run(fx, "up")).exitCode).toBe(0);
    fx.calls();

    fx.setSpec({
      items: [
        { name: "a", value: "2" },
        { name: "b", value: "1" },
      ],
    });
    const preview = await run(fx, "preview");
    expect(ops(preview)).toEqual(["update a"]);
    expect(preview.output).toContain("~ 1 to update");
    expect(fx.calls()).toEqual([]);
    const update = await run(fx, "up");
    expect(ops(update)).toEqual(["update a"]);
    expect(fx.calls()).toEqual(["update a"]);
    expect(fx.remote()["id-a"]).toEqual({ value: "2" });

    fx.setSpec({
      items: [
        { name: "a", value: "2", key: "a2" },
        { name: "b", value: "1" },
      ],
    });
    const cbd = await run(fx, "up");
    expect(cbd.exitCode).toBe(0);
    expect(cbd.steps.find((s) => s.name === "a")).toMatchObject({
      op: "replace",
      deleteBeforeReplace: false,
      replaces: ["key"],
    });
    expect(cbd.output).toMatch(
      /\+- +pulumi-nodejs:dynamic:Resource {2}a {2}replaced \[diff: ~key\]/,
    );
    expect(fx.calls()).toEqual([
      "create-start a2",
      "create-end a2",
      "delete id-a",
    ]);
    expect(
      cbd.state?.resources.filter((r) => r.name === "a").map((r) => r.id),
    ).toEqual(["id-a2"]);

    fx.setSpec({
      items: [
        { name: "a", value: "2", key: "a3", dbr: true },
        { name: "b", value: "1" },
      ],
    });
    const dbr = await run(fx, "up");
    expect(dbr.exitCode).toBe(0);
    expect(dbr.steps.find((s) => s.name === "a")).toMatchObject({
      op: "replace",
      deleteBeforeReplace: true,
    });
    expect(dbr.output).toMatch(
      /-\+ +pulumi-nodejs:dynamic:Resource {2}a {2}replaced/,
    );
    expect(fx.calls()).toEqual([
      "delete id-a2",
      "create-start a3",
      "create-end a3",
    ]);
    expect(Object.keys(fx.remote()).sort()).toEqual(["id-a3", "id-b"]);
  });

  it("deletes resources that left the program, dependents first", async () => {
    const fx = fixture({
      items: [
        { name: "a", value: "1" },
        { name: "b", value: "1", dependsOn: ["a"] },
        { name: "c", value: "1", dependsOn: ["b"] },
        { name: "keep", value: "1" },
      ],
    });
    expect((await run(fx, "up")).exitCode).toBe(0);
    fx.calls();

    fx.setSpec({ items: [{ name: "keep", value: "1" }] });
    const preview = await run(fx, "preview");
    expect(preview.output).toContain("- 3 to delete");
    expect(fx.calls()).toEqual([]);

    const up = await run(fx, "up");
    expect(up.exitCode).toBe(0);
    expect(fx.calls()).toEqual(["delete id-c", "delete id-b", "delete id-a"]);
    expect(names(up)).toEqual(["fixture-dev", "keep"]);
  });

  it("refreshes outputs and inputs from the provider and drops resources that are gone", async () => {
    const fx = fixture({
      items: [
        { name: "a", value: "1" },
        { name: "b", value: "1" },
      ],
    });
    expect((await run(fx, "up")).exitCode).toBe(0);
    fx.calls();
    fx.setRemote({ "id-a": { value: "drifted" } });

    const refresh = await run(fx, "refresh", { skipPreview: false });
    expect(refresh.exitCode).toBe(0);
    expect(ops(refresh)).toEqual(
      expect.arrayContaining(["update a", "delete b"]),
    );
    // `pulumi refresh` previews first, and its preview reads too (writing nothing).
    expect(refresh.previewSteps?.map((s) => `${s.op} ${s.name}`)).toEqual(
      expect.arrayContaining(["update a", "delete b"]),
    );
    expect(fx.calls().sort()).toEqual([
      "read id-a",
      "read id-a",
      "read id-b",
      "read id-b",
    ]);
    const a = refresh.state?.resources.find((r) => r.name === "a");
    expect(a?.outputs.value).toBe("drifted");
    expect(a?.inputs.value).toBe("drifted");
    expect(names(refresh)).toEqual(["fixture-dev", "a"]);

    // The program still says "1": the next up puts it back and re-creates b.
    const up = await run(fx, "up");
    expect(ops(up).sort()).toEqual(["create b", "update a"]);
  });

  it("destroys everything in reverse dependency order", async () => {
    const fx = fixture({
      items: [
        { name: "a", value: "1" },
        { name: "b", value: "1", dependsOn: ["a"] },
      ],
    });
    expect((await run(fx, "up")).exitCode).toBe(0);
    fx.calls();
    const destroy = await run(fx, "destroy");
    expect(destroy.exitCode).toBe(0);
    expect(fx.calls()).toEqual(["delete id-b", "delete id-a"]);
    expect(destroy.state?.resources).toEqual([]);
    expect(destroy.output).toContain("- 3 deleted");
    expect(fx.remote()).toEqual({});
  });
});
