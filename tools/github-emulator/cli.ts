// `npm run emulator -- [--port N] [--token T] [--inspection] [--latency-ms N] [--legacy-env] [--prefix /api/v3]`
// Starts the emulator with the default world and prints how to point a client at it.
import { parseArgs } from "node:util";
import { startEmulator } from "./index";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "0" },
      token: { type: "string" },
      inspection: { type: "boolean", default: false },
      "latency-ms": { type: "string", default: "0" },
      "legacy-env": { type: "boolean", default: false },
      prefix: { type: "string", default: "" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(
      "usage: npm run emulator -- [--port N] [--token T] [--inspection] [--latency-ms N] [--legacy-env] [--prefix /api/v3]",
    );
    return;
  }
  const emulator = await startEmulator({
    port: Number(values.port),
    ...(values.token ? { token: values.token } : {}),
    inspection: values.inspection,
    latencyMs: Number(values["latency-ms"]),
    legacyEnvironmentSecrets: values["legacy-env"],
    pathPrefix: values.prefix,
  });
  // The token is the emulator's own test token, not a credential: printing it is the point.
  console.log(`GitHub secrets API emulator listening on ${emulator.url}`);
  console.log(`token: ${emulator.token}`);
  if (values.inspection)
    console.log(`inspection API: ${emulator.url}/_emulator/world`);
  console.log("\nexport these for a client:");
  console.log(`  export GITHUB_BASE_URL=${emulator.url}`);
  console.log(`  export GITHUB_TOKEN=${emulator.token}`);
  console.log("  export GITHUB_OWNER=acme");
  console.log(
    "\nworld: org acme (api 101, web 102, infra 103), org globex (billing 301), user octocat (hello-world 201)",
  );
  console.log("Ctrl-C to stop.");
  const stop = () => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
