// `npm run plugin:pack`: dist/pulumi-resource-github-secrets-v<version>-linux-amd64.tar.gz, for
// `pulumi plugin install resource github-secrets <version> --file <archive>`.
// `… cli.ts --bundle` (part of `npm run build`): only the bundle plugin/ runs, bin/plugin/main.js.
import * as path from "node:path";
import { bundle, bundlePath, pack, packageVersion, pluginName } from ".";

async function main(): Promise<void> {
  if (process.argv.includes("--bundle")) {
    await bundle(bundlePath);
    return;
  }
  const started = Date.now();
  const { archive, bytes } = await pack();
  console.log(
    `${path.relative(process.cwd(), archive)}: ${(bytes / 1024).toFixed(0)} KiB, in ${Date.now() - started} ms`,
  );
  console.log(
    `install: pulumi plugin install resource ${pluginName} ${packageVersion()} --file ${archive}`,
  );
}

main().catch((error: unknown) => {
  console.error(
    `plugin:pack: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exitCode = 1;
});
