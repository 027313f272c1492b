// Writes sdk/schema.json and the Python, Go and Node.js SDKs of the provider plugin made from it by
// Pulumi's own generators (tools/sdkgen/main.go, a Go program whose go.mod says which release and
// why: `pulumi package gen-sdk` would need language plugins we do not have). `--check` writes nothing and fails, listing every file that
// differs, when sdk/schema.json or a generated SDK is not what the kinds table makes.

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repositoryRoot, schemaPath, schemaText } from "./schema";

const fixCommand = "npm run sdk:generate";
const goModule = path.join(repositoryRoot, "tools/sdkgen");
const binary = path.join(repositoryRoot, ".cache/sdkgen/bin/sdkgen");

/**
 * Each generator's output folder and the repository folder it becomes. Only these folders are
 * written: the dynamic-provider SDK beside them in sdk/ is hand-written.
 */
const targets: { output: string; dir: string; handKept: string[] }[] = [
  { output: "python", dir: "sdk/python", handKept: [] },
  // The Go package is sdk/go/githubsecrets; sdk/go holds the module it lives in.
  { output: "go", dir: "sdk/go", handKept: ["go.mod", "go.sum"] },
  { output: "nodejs", dir: "sdk/nodejs", handKept: [] },
];

/** Files below dir, relative to it, with "/" separators. */
function walk(dir: string, prefix = ""): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix + entry.name;
    return entry.isDirectory()
      ? walk(path.join(dir, entry.name), `${relative}/`)
      : [relative];
  });
}

/**
 * The files git sees below dir (tracked or not ignored), relative to it: what the SDK is made of.
 * Build products the generated .gitignore files name (__pycache__, node_modules, bin) are
 * neither flagged nor deleted.
 */
function committedFiles(dir: string): string[] {
  const out = execFileSync(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", dir],
    { cwd: repositoryRoot, encoding: "utf8" },
  );
  return out
    .split("\0")
    .filter((file) => file && fs.existsSync(path.join(repositoryRoot, file)))
    .map((file) => path.posix.relative(dir, file));
}

function run(command: string, args: string[], cwd: string): void {
  try {
    // Inherited stderr: go's and sdkgen's own messages (binder diagnostics) reach the user as is.
    execFileSync(command, args, {
      cwd,
      stdio: ["ignore", "inherit", "inherit"],
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      throw new Error(
        `no \`${command}\` to run: the SDK generators are Go (tools/sdkgen/go.mod), install Go 1.26`,
      );
    throw new Error(`${command} ${args.join(" ")} failed (see above)`);
  }
}

function main(check: boolean): number {
  const problems: string[] = [];
  const schema = schemaText();
  const committedSchema = fs.existsSync(schemaPath)
    ? fs.readFileSync(schemaPath, "utf8")
    : undefined;
  if (committedSchema !== schema)
    problems.push(
      `${committedSchema === undefined ? "missing" : "differs"}: sdk/schema.json`,
    );

  // go build is silent and relinks nothing when the binary is current. No VCS stamp: it would
  // make every change to the working tree a new binary.
  run("go", ["build", "-buildvcs=false", "-o", binary, "."], goModule);

  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "sdkgen-"));
  try {
    // Generated from the schema the kinds table makes, so a check lists what regenerating would
    // change, even while sdk/schema.json is stale.
    const schemaFile = path.join(temp, "schema.json");
    fs.writeFileSync(schemaFile, schema);
    run(binary, [schemaFile, path.join(temp, "out")], repositoryRoot);

    if (!check && committedSchema !== schema)
      fs.writeFileSync(schemaPath, schema);
    for (const target of targets) {
      const outDir = path.join(temp, "out", target.output);
      const dir = path.join(repositoryRoot, target.dir);
      const generated = walk(outDir);
      const wanted = new Set(generated);
      for (const file of generated) {
        const content = fs.readFileSync(path.join(outDir, file));
        const existing = path.join(dir, file);
        const current = fs.existsSync(existing)
          ? fs.readFileSync(existing)
          : undefined;
        if (current?.equals(content)) continue;
        problems.push(
          `${current ? "differs" : "missing"}: ${target.dir}/${file}`,
        );
        if (!check) {
          fs.mkdirSync(path.dirname(existing), { recursive: true });
          fs.writeFileSync(existing, content);
        }
      }
      for (const file of committedFiles(target.dir)) {
        if (wanted.has(file) || target.handKept.includes(file)) continue;
        problems.push(`extra: ${target.dir}/${file}`);
        if (!check) remove(dir, file);
      }
    }
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }

  if (check) {
    if (problems.length === 0) return 0;
    console.error(
      [
        "The SDKs are not what sdk/schema.json and the kinds table make:",
        ...problems.map((p) => `  ${p}`),
        `Run \`${fixCommand}\` and commit the result.`,
      ].join("\n"),
    );
    return 1;
  }
  console.log(
    problems.length === 0
      ? "sdk/schema.json and the SDKs were up to date"
      : `updated ${problems.length} file(s):\n${problems.map((p) => `  ${p}`).join("\n")}`,
  );
  return 0;
}

/** Deletes a stale file, and the folders below dir it leaves empty. */
function remove(dir: string, file: string): void {
  fs.rmSync(path.join(dir, file));
  for (
    let parent = path.dirname(file);
    parent !== ".";
    parent = path.dirname(parent)
  ) {
    const folder = path.join(dir, parent);
    if (fs.readdirSync(folder).length > 0) break;
    fs.rmdirSync(folder);
  }
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.includes("--check"));
  } catch (error) {
    console.error(`sdk: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
