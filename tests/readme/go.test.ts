// Every Go block of the README, built and vetted (`go vet`: the compiler's type check and vet's
// analyses) against the generated Go SDK (sdk/go) and the Pulumi Go SDK, in a module laid out as
// a user's: tests/native/go's go.mod and go.sum (the versions that program is tested with),
// its replace pointing at this repository's sdk/go. A block of statements is the body of
// `main` (preludes.ts). One package per block, one `go vet` for all.
import { execFile as execFileCallback } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { repositoryRoot } from "../../tools/pulumi-cli";
import { checkedBlocks, describeBlock, where, type Block } from "./blocks";
import { goSdkImport, goSource, type Source } from "./preludes";

jest.setTimeout(300_000);

const execFile = promisify(execFileCallback);
const nativeModule = path.join(repositoryRoot, "tests", "native", "go");
const sdkModule = goSdkImport.replace(/\/githubsecrets$/, "");

/** A module of its own with tests/native/go's requirements and sums, and one package per block. */
function moduleWith(packages: { name: string; source: string }[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "readme-go-"));
  const goMod = fs
    .readFileSync(path.join(nativeModule, "go.mod"), "utf8")
    .replace(/^module .*$/m, "module example.com/readme")
    .replace(
      new RegExp(`^replace ${sdkModule.replace(/[.]/g, "\\.")} => .*$`, "m"),
      `replace ${sdkModule} => ${path.join(repositoryRoot, "sdk", "go")}`,
    );
  if (!goMod.includes(`=> ${path.join(repositoryRoot, "sdk", "go")}`))
    throw new Error(`${nativeModule}/go.mod has no replace of ${sdkModule}`);
  fs.writeFileSync(path.join(dir, "go.mod"), goMod);
  fs.copyFileSync(path.join(nativeModule, "go.sum"), path.join(dir, "go.sum"));
  for (const { name, source } of packages) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, "main.go"), source);
  }
  return dir;
}

/** `go vet ./...`: its complaints, each `package/main.go:LINE:COL: message`. */
async function vet(dir: string): Promise<string> {
  try {
    await execFile("go", ["vet", "-mod=readonly", "./..."], {
      cwd: dir,
      env: { ...process.env, GOWORK: "off", GOFLAGS: "-buildvcs=false" },
      maxBuffer: 16 * 1024 * 1024,
    });
    return "";
  } catch (error) {
    const failed = error as { stderr?: string; message: string };
    return failed.stderr || failed.message;
  }
}

const blocks = checkedBlocks("go").map((block) => ({
  block,
  name: `block${block.line}`,
  source: goSource(block),
}));

/** The lines of `output` about `name`'s file, with the README's line numbers. */
function complaintsAbout(
  output: string,
  name: string,
  block: Block,
  source: Source,
): string[] {
  return output
    .split("\n")
    .filter((line) => line.includes(`${name}/main.go:`))
    .map((line) =>
      line.replace(
        new RegExp(`\\S*${name}/main\\.go:(\\d+)(:\\d+)?`),
        (_, l: string, column = "") =>
          `${where(block, block.line + Number(l) - source.offset - 1)}${column}`,
      ),
    );
}

let output: string;
beforeAll(async () => {
  if (!blocks.length) return;
  const dir = moduleWith(
    blocks.map((b) => ({ name: b.name, source: b.source.text })),
  );
  try {
    const started = Date.now();
    output = await vet(dir);
    console.log(
      `go vet of ${blocks.length} Go blocks of the README: ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

for (const { block, name, source } of blocks)
  test(`${describeBlock(block)} builds and vets against the generated Go SDK`, () => {
    expect(complaintsAbout(output, name, block, source)).toEqual([]);
  });

test("nothing else fails: the module, its requirements, its sums", () => {
  const others = output
    ? output
        .split("\n")
        .filter(
          (l) => l.trim() && !/block\d+\/main\.go:/.test(l) && !/^#/.test(l),
        )
    : [];
  expect(others).toEqual([]);
});

test("a block the SDK refuses fails, on its README line", async () => {
  const block: Block = {
    document: "README.md",
    line: 200,
    info: "go",
    language: "go",
    code: [
      "pulumi.Run(func(ctx *pulumi.Context) error {",
      '\t_, err := githubsecrets.NewRepoSecret(ctx, "x", &githubsecrets.RepoSecretArgs{SecretNmae: pulumi.String("X")})',
      "\treturn err",
      "})",
    ].join("\n"),
    heading: "a test",
    marker: { needs: ["pulumi", "githubsecrets"] },
  };
  const source = goSource(block);
  const dir = moduleWith([{ name: "bad", source: source.text }]);
  try {
    expect(complaintsAbout(await vet(dir), "bad", block, source)).toEqual([
      expect.stringMatching(
        /^(vet: )?README\.md:201:\d+: unknown field SecretNmae/,
      ),
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
