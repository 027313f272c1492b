// A user's program loads the SDK and nothing of the provider's runtime: no HTTP client, no
// scheduler, no libsodium, no child_process users. Only the kinds table and shared types come
// from provider/. Checked on the built package, in a fresh Node process (jest's module registry
// would hide what Node really loads).
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { repositoryRoot } from "../support/serialized-provider";

test("requiring the built SDK loads no provider runtime module", () => {
  const script = `
    require(${JSON.stringify(path.join(repositoryRoot, "bin/sdk/index.js"))});
    console.log(JSON.stringify(Object.keys(require.cache)));
  `;
  const loaded = JSON.parse(
    execFileSync(process.execPath, ["-e", script], {
      cwd: repositoryRoot,
      encoding: "utf8",
    }),
  ) as string[];
  const ours = loaded
    .filter((file) =>
      file.startsWith(path.join(repositoryRoot, "bin") + path.sep),
    )
    .map((file) => path.relative(repositoryRoot, file))
    .sort();
  expect(ours.filter((file) => file.startsWith("bin/provider/"))).toEqual([
    "bin/provider/kinds.js",
  ]);
  expect(ours.some((file) => file.startsWith("bin/sdk/"))).toBe(true);
  const runtime = loaded.filter((file) =>
    /node_modules[\\/](bottleneck|@octokit|libsodium|libsodium-wrappers|libsodium-sumo)[\\/]/.test(
      file,
    ),
  );
  expect(runtime).toEqual([]);
});
