// Entry point of the provider plugin: the engine starts `pulumi-resource-github-secrets <engine
// address>` and reads the port from the first line of stdout.

import { nameConfigKeys } from "../config";
import { configKeyOf, packageName } from "./schema";
import { servePlugin } from "./server";

// Messages name the provider's own config: `github-secrets:token`, an explicit provider's `token`.
nameConfigKeys(
  (key) =>
    `provider config \`${packageName}:${configKeyOf(key)}\` (an explicit provider's \`${configKeyOf(key)}\`)`,
  (key) => `${packageName}:${configKeyOf(key)}`,
);

/**
 * The plugin's version, the npm package's: written in by the bundler (tools/plugin-archive), as the
 * plugin runs only as that one file, with no package.json beside it.
 */
declare const PLUGIN_VERSION: string;

const [engine] = process.argv.slice(2);
servePlugin({ version: PLUGIN_VERSION, ...(engine ? { engine } : {}) }).then(
  (port) => console.log(String(port)),
  (error: unknown) => {
    console.error(
      `${packageName}: cannot serve the provider: ${(error as Error).message}`,
    );
    process.exit(1);
  },
);
