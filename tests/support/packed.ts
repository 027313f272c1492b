// The package as a user installs it: what `npm pack` makes of this repository (package.json's
// `files`, `exports`, `typesVersions`, nothing else), unpacked into a project's node_modules as
// npm lays a package out, its dependencies beside it. The dependencies are links to this
// repository's node_modules (the versions the lockfile pins): no registry, no network.
//
// Type-checks use projects in the OS's temporary folder, not under .cache/: Node and TypeScript
// look for modules and `@types` in every ancestor's node_modules, and this repository's holds its
// devDependencies (@types/jest…) and a link of the package to its own source tree, either of which
// could hide what a user's project lacks. Programs run by the Pulumi CLI live in workspaces under
// .cache/work (tools/pulumi-cli), with the packed package in their own node_modules.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repositoryRoot } from "../../tools/pulumi-cli";

export const packageName = "pulumi-github-secrets";

interface PackageJson {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  [key: string]: unknown;
}

let tarball: string | undefined;

/** Temporary folders (the tarball's, scratch projects), removed after the test file's tests. */
const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary.splice(0))
    fs.rmSync(dir, { recursive: true, force: true });
  tarball = undefined;
});

/**
 * `npm pack` of the repository, once per process. Scripts are not run: the build is `npm test`'s
 * `prepare` (or `npm run build`), and a tarball without it fails here, not in a confusing check.
 */
export function packedTarball(): string {
  if (tarball && fs.existsSync(tarball)) return tarball;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "packed-"));
  temporary.push(dir);
  const [packed] = JSON.parse(
    execFileSync(
      "npm",
      ["pack", "--json", "--ignore-scripts", "--pack-destination", dir],
      {
        cwd: repositoryRoot,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      },
    ),
  ) as { filename: string; files: { path: string }[] }[];
  const files = new Set(packed!.files.map((f) => f.path));
  for (const built of [
    "bin/sdk/index.d.ts",
    "bin/native/index.d.ts",
    "bin/provider/index.d.ts",
  ])
    if (!files.has(built))
      throw new Error(
        `npm pack holds no ${built}: build first (npm run build; npm test does it)`,
      );
  tarball = path.join(dir, packed!.filename);
  return tarball;
}

export interface InstallOptions {
  /** The packed package.json, edited before anything reads it (e.g. the package before a fix). */
  editPackageJson?: (manifest: PackageJson) => void;
  /** More packages of this repository's node_modules for the project (@pulumi/github, @types/node). */
  alongside?: string[];
}

/** Links `name` (a package folder of this repository's node_modules) into `nodeModules`. */
function linkFromRepository(nodeModules: string, name: string): void {
  const target = path.join(repositoryRoot, "node_modules", name);
  if (!fs.existsSync(path.join(target, "package.json")))
    throw new Error(
      `${name} is not installed in ${path.join(repositoryRoot, "node_modules")} (npm ci)`,
    );
  const link = path.join(nodeModules, name);
  if (fs.existsSync(link)) return;
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.symlinkSync(target, link, "dir");
}

/**
 * The packed package unpacked into `projectDir/node_modules/pulumi-github-secrets`, with its
 * dependencies and peer dependencies beside it, as `npm install <tarball>` leaves a project.
 * Returns the package's folder.
 */
export function installPacked(
  projectDir: string,
  options: InstallOptions = {},
): string {
  const nodeModules = path.join(projectDir, "node_modules");
  const dir = path.join(nodeModules, packageName);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  execFileSync("tar", [
    "-xzf",
    packedTarball(),
    "--strip-components=1",
    "-C",
    dir,
  ]);
  const manifestFile = path.join(dir, "package.json");
  const manifest = JSON.parse(
    fs.readFileSync(manifestFile, "utf8"),
  ) as PackageJson;
  if (options.editPackageJson) {
    options.editPackageJson(manifest);
    fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  }
  for (const name of [
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    ...(options.alongside ?? []),
  ])
    linkFromRepository(nodeModules, name);
  return dir;
}

/** A throwaway project folder in the OS's temporary folder (see the top of this file). */
export function scratchProject(prefix: string): string {
  // Real path: compilers report files by it.
  const dir = fs.realpathSync(
    fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`)),
  );
  temporary.push(dir);
  return dir;
}
