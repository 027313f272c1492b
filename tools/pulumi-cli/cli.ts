// `npm run pulumi -- <args>`: the real Pulumi CLI (see index.ts for which one), with the
// dynamic-provider plugin on its PATH. `npm run --silent pulumi:which` prints the binary's path,
// for `PulumiCommand.get({ root })` (its folder's parent) and editors.
import { spawnSync } from "node:child_process";
import { enginePath, pulumiBinary } from ".";

const args = process.argv.slice(2);
try {
  const cli = pulumiBinary();
  if (args[0] === "--which") {
    console.log(cli.path);
  } else {
    const run = spawnSync(cli.path, args, {
      stdio: "inherit",
      env: { ...process.env, PATH: enginePath(cli) },
    });
    if (run.error) throw run.error;
    process.exitCode = run.status ?? 1;
  }
} catch (error) {
  console.error(
    `pulumi: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exitCode = 1;
}
