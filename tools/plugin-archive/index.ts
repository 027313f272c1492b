// The provider plugin as Pulumi hands plugins out: one executable file, the provider bundled with
// everything it requires (esbuild), needing only `node` on the machine; and the archive
// `pulumi plugin install resource github-secrets <version> --file <archive>` installs into the
// plugin cache, named as Pulumi names release archives, so that the schema's `pluginDownloadURL`
// finds it once a release carries it.
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { build, type Plugin } from "esbuild";

export const repositoryRoot = path.resolve(__dirname, "../..");

/** The plugin's name: the engine runs `pulumi-resource-github-secrets`. */
export const pluginName = "github-secrets";
export const executableName = `pulumi-resource-${pluginName}`;

/** The file plugin/ runs (the npm package's plugin), written by `npm run build`. */
export const bundlePath = path.join(repositoryRoot, "bin", "plugin", "main.js");

/** The plugin's version: the npm package's. */
export function packageVersion(): string {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(repositoryRoot, "package.json"), "utf8"),
  ) as { version: string };
  return manifest.version;
}

/**
 * dist/pulumi-resource-github-secrets-v<version>-linux-amd64.tar.gz. The bundle is plain
 * JavaScript (libsodium is WebAssembly inside it), so the same file serves every os and arch
 * that has node; the name says linux-amd64, the platform it is built and tested on.
 */
export function archivePath(version = packageVersion()): string {
  return path.join(
    repositoryRoot,
    "dist",
    `${executableName}-v${version}-linux-amd64.tar.gz`,
  );
}

const pulumiDir = path.dirname(
  require.resolve("@pulumi/pulumi/package.json", { paths: [repositoryRoot] }),
);

/**
 * The SDK's generated gRPC stubs and the plugin's server must share one copy of `@grpc/grpc-js`
 * and `google-protobuf` (a message of another copy's class is not one the stubs can send):
 * every import of them resolves from @pulumi/pulumi's folder, where the stubs' own do.
 */
const stubsRuntime: Plugin = {
  name: "pulumi-stubs-runtime",
  setup(bundler) {
    bundler.onResolve(
      { filter: /^(@grpc\/grpc-js|google-protobuf)(\/|$)/ },
      async (args) => {
        if (args.pluginData === "from-pulumi") return undefined;
        const resolved = await bundler.resolve(args.path, {
          kind: args.kind,
          resolveDir: pulumiDir,
          pluginData: "from-pulumi",
        });
        return resolved.errors.length > 0
          ? { errors: resolved.errors }
          : { path: resolved.path };
      },
    );
  },
};

/**
 * The provider plugin (provider/plugin/main.ts) and all it requires, as one CommonJS file for
 * node 20 with a `#!/usr/bin/env node` line. A warning fails the build: it is how esbuild tells
 * of a `require` it could not follow, which would fail only when the plugin runs.
 */
export async function bundle(outfile: string): Promise<void> {
  const result = await build({
    entryPoints: [path.join(repositoryRoot, "provider/plugin/main.ts")],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    minify: true,
    legalComments: "eof",
    banner: { js: "#!/usr/bin/env node" },
    define: { PLUGIN_VERSION: JSON.stringify(packageVersion()) },
    plugins: [stubsRuntime],
    logLevel: "silent",
  });
  if (result.warnings.length > 0)
    throw new Error(
      `esbuild: ${result.warnings.map((w) => `${w.location?.file ?? ""}:${w.location?.line ?? ""}: ${w.text}`).join("\n")}`,
    );
  fs.chmodSync(outfile, 0o755);
}

/**
 * Bundles the plugin and writes its archive, holding the one executable. Written under a name
 * of this process's own, then renamed: test files that pack at once each end with a whole one.
 */
export async function pack(): Promise<{ archive: string; bytes: number }> {
  const archive = archivePath();
  const staging = path.join(
    repositoryRoot,
    ".cache",
    "plugin-archive",
    `${process.pid}-${crypto.randomBytes(4).toString("hex")}`,
  );
  fs.mkdirSync(staging, { recursive: true });
  fs.mkdirSync(path.dirname(archive), { recursive: true });
  const partial = `${archive}.${path.basename(staging)}.partial`;
  try {
    await bundle(path.join(staging, executableName));
    execFileSync("tar", ["-czf", partial, "-C", staging, executableName]);
    fs.renameSync(partial, archive);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    fs.rmSync(partial, { force: true });
  }
  return { archive, bytes: fs.statSync(archive).size };
}
