// Every Python block of the README, compiled and run as a Pulumi program under Pulumi's mocks
// (python/run_block.py) in the tests' virtualenv (tools/python-env: the pinned Pulumi SDK and the
// generated SDK installed from sdk/python as a user installs it). The generated classes check
// their own arguments (an unknown keyword, a missing required one), so a block that passes here
// declares its resources as the SDK takes them; each resource of this package it registers is a
// type of sdk/schema.json.
import { execFile as execFileCallback } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { pythonEnv } from "../../tools/python-env";
import { checkedBlocks, describeBlock, where, type Block } from "./blocks";
import { readSchema } from "./config-keys";
import { pythonSource } from "./preludes";

jest.setTimeout(180_000);

const execFile = promisify(execFileCallback);
const runner = path.join(__dirname, "python", "run_block.py");
const project = "readme";

interface Registered {
  type: string;
  name: string;
  inputs: string[];
}

let python: string;
let dir: string;
beforeAll(() => {
  python = pythonEnv();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "readme-python-"));
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** The config keys a block reads (config.require_secret("deployKey")…), each given a value. */
function configOf(code: string): Record<string, string> {
  return Object.fromEntries(
    [
      ...code.matchAll(/\.(?:require|get)(?:_secret)?\(\s*["']([\w.-]+)["']/g),
    ].map((m) => [m[1]!, `readme-python-${m[1]}`]),
  );
}

/** Runs the block; a failure quotes Python's error with the README line it points at. */
async function run(block: Block): Promise<Registered[]> {
  const source = pythonSource(block);
  const file = path.join(dir, `block_${block.line}.py`);
  fs.writeFileSync(file, source.text);
  try {
    const { stdout } = await execFile(
      python,
      [runner, project, file, JSON.stringify(configOf(source.text))],
      { cwd: dir, env: { ...process.env, PULUMI_CONFIG: undefined } },
    );
    return JSON.parse(stdout.trim().split("\n").pop()!) as Registered[];
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    // "File ".../block_120.py", line 7" → the README's line.
    throw new Error(
      stderr.replace(
        new RegExp(
          `File "${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}", line (\\d+)`,
          "g",
        ),
        (_, line: string) =>
          `${where(block, block.line + Number(line) - source.offset - 1)}`,
      ),
    );
  }
}

for (const block of checkedBlocks("python"))
  test(`${describeBlock(block)} compiles, and runs under Pulumi's mocks with the generated SDK`, async () => {
    const registered = await run(block);
    const schema = readSchema();
    const ours = registered.filter((r) => r.type.startsWith(`${schema.name}:`));
    expect(ours.length).toBeGreaterThan(0);
    expect(
      ours.filter((r) => !(r.type in schema.resources)).map((r) => r.type),
    ).toEqual([]);
  });

test("the runner fails on a block the SDK refuses, naming the README's line", async () => {
  const block: Block = {
    document: "README.md",
    line: 100,
    info: "python",
    language: "python",
    code: [
      "import pulumi_github_secrets as secrets",
      'secrets.RepoSecret("x", repository="api", secretNmae="X", value="v")',
    ].join("\n"),
    heading: "a test",
    marker: { needs: [] },
  };
  await expect(run(block)).rejects.toThrow(/README\.md:101[\s\S]*secretNmae/);
});
