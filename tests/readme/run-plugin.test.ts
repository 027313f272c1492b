// The README's TypeScript program on the provider plugin, run by the real Pulumi CLI (`pulumi up`: a
// preview, then the update) against the GitHub emulator, in a project whose Pulumi.yaml holds the
// README's `plugins` block as written: the engine runs the plugin the packed package ships, found
// by that path, and the program takes `pulumi-github-secrets/native` from the same package. Config
// as the README gives it (github-secrets:token, baseUrl, owner). GitHub's decrypted value is
// compared with the stack's; output, `pulumi stack export` and backend files are scanned.
import { parse } from "yaml";
import { withPreview } from "../../tools/pulumi-cli/deployments";
import { expectNoLeaks, succeeded } from "../support/pulumi";
import { blockById } from "./blocks";
import { emulatorFor, noGitHubEnvironment, packedWorkspace } from "./run";

jest.setTimeout(300_000);

const deployKey = "readme-plugin-deploy-key-value";
const emulator = emulatorFor();

test("up through the plugin the README's Pulumi.yaml names writes the secret with the stack's value", async () => {
  const pulumiYaml = parse(blockById("plugin-project").code) as Record<
    string,
    unknown
  >;
  const github = emulator();
  const workspace = await packedWorkspace({
    name: "readme-plugin",
    source: blockById("plugin-program").code,
    project: pulumiYaml,
    config: {
      "github-secrets:baseUrl": github.url,
      "github-secrets:owner": "acme",
    },
    secrets: { "github-secrets:token": github.token, deployKey },
    env: noGitHubEnvironment,
  });
  const up = succeeded(await withPreview(workspace, "up"));
  expect(
    up.update!.steps.filter((s) => s.op === "create").map((s) => s.type),
  ).toEqual(
    expect.arrayContaining([
      "pulumi:providers:github-secrets",
      "github-secrets:index:RepoSecret",
    ]),
  );
  expect(
    github.getSecret("actions-repo", "acme/api", "DEPLOY_KEY")?.value,
  ).toBe(deployKey);
  await expectNoLeaks(workspace, up.output, [github.token, deployKey]);
  expect(github.schemaViolations()).toEqual([]);
});
