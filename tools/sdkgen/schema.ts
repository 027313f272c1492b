// Writes the provider plugin's schema (provider/plugin/schema.ts, built from the kinds table) to
// sdk/schema.json, the input of Pulumi's SDK generators. `--check` writes nothing and fails when
// the committed file differs.

import * as fs from "node:fs";
import * as path from "node:path";
import { packageSchema } from "../../provider/plugin/schema";

export const repositoryRoot = path.resolve(__dirname, "../..");
export const schemaPath = path.join(repositoryRoot, "sdk/schema.json");

export function schemaText(): string {
  const { version } = JSON.parse(
    fs.readFileSync(path.join(repositoryRoot, "package.json"), "utf8"),
  ) as { version: string };
  return `${JSON.stringify(packageSchema(version), null, 2)}\n`;
}

if (require.main === module) {
  const text = schemaText();
  if (process.argv.includes("--check")) {
    const committed = fs.existsSync(schemaPath)
      ? fs.readFileSync(schemaPath, "utf8")
      : "";
    if (committed !== text) {
      console.error(
        "sdk/schema.json is not what provider/plugin/schema.ts makes of the kinds table: run `npm run sdk:generate` and commit the result",
      );
      process.exit(1);
    }
  } else {
    fs.writeFileSync(schemaPath, text);
    console.log(`wrote ${path.relative(process.cwd(), schemaPath)}`);
  }
}
