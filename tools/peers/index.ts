// The real peers of `npm run bench`, built once from their Go modules at the versions go.mod
// pins, into the git-ignored .cache/peers/ (never committed). A peer that cannot be built is
// reported with the reason; the bench then keeps its model and says so.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const here = __dirname;
const repositoryRoot = path.resolve(here, "../..");

/** The GitHub CLI's version pinned in go.mod. */
export function ghVersion(): string {
  const match = /^require github\.com\/cli\/cli\/v2 (v\S+)/m.exec(
    fs.readFileSync(path.join(here, "go.mod"), "utf8"),
  );
  if (!match)
    throw new Error("tools/peers/go.mod pins no github.com/cli/cli/v2");
  return match[1]!;
}

export type Built = { path: string; version: string } | { reason: string };

/** `gh`, built once into .cache/peers/gh-<version>/gh; or why it could not be. */
export function ghBinary(
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Built {
  const version = ghVersion();
  const binary = path.join(
    repositoryRoot,
    ".cache",
    "peers",
    `gh-${version}`,
    "gh",
  );
  if (fs.existsSync(binary)) return { path: binary, version };
  log(
    `building the GitHub CLI ${version} from its Go module, once (a few minutes on a cold Go cache)…`,
  );
  const started = Date.now();
  try {
    execFileSync(
      "go",
      [
        "build",
        "-o",
        `${binary}.partial`,
        // gh reports its version from this variable (internal/build).
        `-ldflags=-X github.com/cli/cli/v2/internal/build.Version=${version.slice(1)}`,
        "github.com/cli/cli/v2/cmd/gh",
      ],
      { cwd: here, stdio: ["ignore", "inherit", "pipe"], encoding: "utf8" },
    );
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    return {
      reason: `go build github.com/cli/cli/v2/cmd/gh@${version} failed: ${(stderr || message).trim().split("\n").slice(-3).join(" / ")}`,
    };
  }
  fs.renameSync(`${binary}.partial`, binary);
  log(
    `built the GitHub CLI ${version} in ${Math.round((Date.now() - started) / 1000)} s: ${path.relative(repositoryRoot, binary)}`,
  );
  return { path: binary, version };
}
