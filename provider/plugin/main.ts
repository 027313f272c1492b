// Entry point of the provider plugin: the engine starts `pulumi-resource-github-secrets <engine
// address>` and reads the port from the first line of stdout. The plugin's version is the npm
// package's.

import * as fs from "node:fs";
import * as path from "node:path";
import { nameConfigKeys } from "../config";
import { configKeyOf, packageName } from "./schema";
import { servePlugin } from "./server";

// Messages name the provider's own config: `github-secrets:token`, an explicit provider's `token`.
nameConfigKeys(
  (key) =>
    `provider config \`${packageName}:${configKeyOf(key)}\` (an explicit provider's \`${configKeyOf(key)}\`)`,
  (key) => `${packageName}:${configKeyOf(key)}`,
);

/** The version in this package's package.json (bin/provider/plugin/ or provider/plugin/ below it). */
function packageVersion(): string {
  for (
    let dir = __dirname;
    dir !== path.dirname(dir);
    dir = path.dirname(dir)
  ) {
    const file = path.join(dir, "package.json");
    if (!fs.existsSync(file)) continue;
    const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as {
      name?: string;
      version: string;
    };
    if (manifest.name === "pulumi-github-secrets") return manifest.version;
  }
  throw new Error("package.json of pulumi-github-secrets not found");
}

const [engine] = process.argv.slice(2);
servePlugin({ version: packageVersion(), ...(engine ? { engine } : {}) }).then(
  (port) => console.log(String(port)),
  (error: unknown) => {
    console.error(
      `${packageName}: cannot serve the provider: ${(error as Error).message}`,
    );
    process.exit(1);
  },
);
