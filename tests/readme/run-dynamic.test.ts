// The README's dynamic-provider programs, run by the real Pulumi CLI (`pulumi up`: a preview, then
// the update) against the GitHub emulator, with the package as `npm pack` makes it: "A program"
// and "SecretSet". GitHub's decrypted values are compared with the stack's, and the CLI's output,
// `pulumi stack export` and the backend's files are scanned for values and the token.
import { withPreview } from "../../tools/pulumi-cli/deployments";
import { putOutsidePulumi } from "../native/outside";
import { expectNoLeaks, succeeded } from "../support/pulumi";
import { blockById } from "./blocks";
import { typescriptSource } from "./preludes";
import { emulatorFor, noGitHubEnvironment, packedWorkspace } from "./run";

jest.setTimeout(300_000);

describe("README: A program", () => {
  const values = {
    deployKey: "readme-deploy-key-value-1",
    dbUrl: "postgres://readme-db-url-value-1",
    npmToken: "readme-npm-token-value-1",
  };
  const emulator = emulatorFor();

  test("up writes each secret with the stack's value, the organization secret shared with the repository", async () => {
    const github = emulator();
    const block = blockById("a-program");
    // @pulumi/github's provider plugin cannot be had here (README: Development), so the program's
    // repository is the emulator's acme/api, its name and id given as the resource's outputs
    // would give them. The rest of the block runs as written.
    const repository = 'new github.Repository("api", { name: "api" })';
    expect(block.code).toContain(repository);
    const api = github.world.repository("acme", "api")!;
    const source = block.code.replace(
      repository,
      `{ name: pulumi.output("api"), repoId: pulumi.output(${api.id}) }`,
    );
    const workspace = await packedWorkspace({
      name: "readme-program",
      source,
      config: { "github:baseUrl": github.url, "github:owner": "acme" },
      secrets: { "github:token": github.token, ...values },
      env: noGitHubEnvironment,
    });
    const up = succeeded(await withPreview(workspace, "up"));
    expect(
      github.getSecret("actions-repo", "acme/api", "DEPLOY_KEY")?.value,
    ).toBe(values.deployKey);
    expect(
      github.getSecret("actions-environment", "acme/api/prod", "DB_URL")?.value,
    ).toBe(values.dbUrl);
    expect(github.getSecret("actions-org", "acme", "NPM_TOKEN")).toMatchObject({
      value: values.npmToken,
      visibility: "selected",
      selectedRepositoryIds: [api.id],
    });
    await expectNoLeaks(workspace, up.output, [
      github.token,
      ...Object.values(values),
    ]);
    expect(github.schemaViolations()).toEqual([]);
  });
});

describe("README: SecretSet", () => {
  const dbUrl = "postgres://readme-secret-set-db-url";
  const fromFile = {
    DB_URL: "readme-loses-to-the-config-value",
    API_KEY: "readme-api-key-from-the-env-file",
  };
  const emulator = emulatorFor();

  test("up writes the .env file's secrets and the program's (which win), and prune deletes the scope's others", async () => {
    const github = emulator();
    const collection = "repos/acme/api/environments/prod/secrets";
    await putOutsidePulumi(github, collection, "SET_BY_HAND");
    const workspace = await packedWorkspace({
      name: "readme-secret-set",
      source: typescriptSource(blockById("secret-set")).text,
      files: {
        ".env.prod": Object.entries(fromFile)
          .map(([key, value]) => `${key}=${value}`)
          .join("\n"),
      },
      config: { "github:baseUrl": github.url, "github:owner": "acme" },
      secrets: { "github:token": github.token, dbUrl },
      env: noGitHubEnvironment,
    });
    const up = succeeded(await withPreview(workspace, "up"));
    expect(
      Object.fromEntries(
        github
          .listSecrets("actions-environment", "acme/api/prod")
          .map((secret) => [secret.name, secret.value]),
      ),
    ).toEqual({ DB_URL: dbUrl, API_KEY: fromFile.API_KEY });
    await expectNoLeaks(workspace, up.output, [
      github.token,
      dbUrl,
      ...Object.values(fromFile),
    ]);
    expect(github.schemaViolations()).toEqual([]);
  });
});
