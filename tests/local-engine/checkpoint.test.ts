import * as fs from "node:fs";
import { fixtures, names, run } from "./helpers";

// The module object itself: the engine's `import * as fs` reads its properties at call time.
const nodeFs: typeof fs = require("node:fs");

jest.setTimeout(120000);

describe("checkpointIntervalMs", () => {
  const fixture = fixtures();
  const items = ["a", "b", "c", "d", "e"].map((name) => ({ name, value: "1" }));

  /** Runs `fn` counting the checkpoint writes to `file` (temp file renamed over it). */
  async function countingWrites<T>(
    file: string,
    fn: () => Promise<T>,
  ): Promise<{ result: T; writes: number }> {
    const spy = jest.spyOn(nodeFs, "renameSync");
    try {
      const result = await fn();
      const writes = spy.mock.calls.filter(([, to]) => to === file).length;
      return { result, writes };
    } finally {
      spy.mockRestore();
    }
  }

  it("writes after every step by default", async () => {
    const fx = fixture({ items });
    const { result, writes } = await countingWrites(fx.stateFile(), () =>
      run(fx, "up"),
    );
    expect(result.exitCode).toBe(0);
    expect(writes).toBeGreaterThan(items.length);
  });

  it("coalesces writes and still leaves the complete state when the run ends", async () => {
    const fx = fixture({ items });
    const up = await countingWrites(fx.stateFile(), () =>
      run(fx, "up", { checkpointIntervalMs: 60_000 }),
    );
    expect(up.result.exitCode).toBe(0);
    // The first step's write, then one at the end.
    expect(up.writes).toBe(2);
    expect(names(up.result).sort()).toEqual(
      ["a", "b", "c", "d", "e", "fixture-dev"].sort(),
    );
    const onDisk = JSON.parse(fs.readFileSync(fx.stateFile(), "utf8"));
    // The five items, the stack and the default provider the engine registered for them.
    expect(onDisk.resources).toHaveLength(7);

    const destroy = await countingWrites(fx.stateFile(), () =>
      run(fx, "destroy", { checkpointIntervalMs: 60_000 }),
    );
    expect(destroy.result.exitCode).toBe(0);
    expect(destroy.writes).toBe(2);
    expect(
      JSON.parse(fs.readFileSync(fx.stateFile(), "utf8")).resources,
    ).toEqual([]);
  });
});
