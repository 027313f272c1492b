import { fixtures, names, ops, run } from "./helpers";

jest.setTimeout(120000);

describe("local engine failures", () => {
  const fixture = fixtures();

  it("stops at a failing step with the provider's message and keeps completed steps", async () => {
    const fx = fixture({
      items: [
        { name: "a", value: "1" },
        { name: "b", value: "1", dependsOn: ["a"], fail: "create" },
        { name: "c", value: "1", dependsOn: ["b"] },
      ],
    });
    const up = await run(fx, "up");
    expect(up.exitCode).toBe(1);
    expect(up.output).toContain("create exploded for b");
    expect(up.errors.join("\n")).toContain("create exploded for b");
    expect(ops(up)).toEqual([
      "create fixture-dev",
      "create a",
      "create b (failed)",
    ]);
    expect(names(up)).toEqual(["fixture-dev", "a"]);
    expect(fx.calls()).toEqual([
      "create-start a",
      "create-end a",
      "create-start b",
    ]);

    // A check failure names the property and the reason, in preview as in up.
    fx.setSpec({ items: [{ name: "a", value: "1", fail: "check" }] });
    const preview = await run(fx, "preview");
    expect(preview.exitCode).toBe(1);
    expect(preview.output).toContain("check failed: value: is not acceptable");
  });

  it("records a partial failure as created", async () => {
    const fx = fixture({ items: [{ name: "a", value: "1", fail: "partial" }] });
    const up = await run(fx, "up");
    expect(up.exitCode).toBe(1);
    expect(up.output).toContain("half created a");
    expect(up.state?.resources.find((r) => r.name === "a")?.id).toBe("id-a");
  });
});
