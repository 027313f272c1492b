// The five situations where the real Pulumi engine deletes what it should not, each through the
// local engine (preview, then update, as `pulumi up` runs) with the SDK's classes against the
// emulator: afterwards every secret holds its declared value, as GitHub decrypts it, and the
// messages say what to do. None of them held on the main branch before these fixes.
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import {
  configEnvName,
  runEngine,
  type EngineResult,
  type RunEngineOptions,
} from "../../tools/local-engine";
import { emulatedGitHub } from "../../tools/demo/emulated-github";
import { leaksIn } from "../support/leaks";
import { writeProgram } from "../support/program";

jest.setTimeout(180_000);

const token = "nothing-lost-token-value";
const orgValue = "nothing-lost-org-value";

let emulator: Emulator;
const dirs: string[] = [];
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function program(
  name: string,
  source: string,
  config: Record<string, string> = {},
) {
  const dir = writeProgram(name, source, { "github:owner": "acme", ...config });
  dirs.push(dir);
  return dir;
}

/**
 * Runs a command with the emulator's token in GITHUB_TOKEN, or, with `config`, values of stack
 * config keys the stack file declares (as `pulumi config set` would) and no GITHUB_TOKEN.
 */
async function engine(
  cwd: string,
  command: RunEngineOptions["command"],
  options: Partial<RunEngineOptions> & { config?: Record<string, string> } = {},
): Promise<EngineResult> {
  const { config, env: extra, ...rest } = options;
  const env: NodeJS.ProcessEnv = {
    GITHUB_TOKEN: config ? undefined : emulator.token,
    GITHUB_BASE_URL: emulator.url,
    PULUMI_CONFIG_PASSPHRASE: undefined,
    ...extra,
  };
  for (const [key, value] of Object.entries(config ?? {}))
    env[configEnvName(key)] = value;
  const result = await runEngine({
    command,
    cwd,
    stack: "dev",
    env,
    onResource: emulatedGitHub(emulator),
    ...rest,
  });
  for (const text of [
    result.output,
    result.hostOutput,
    JSON.stringify(result.state ?? {}),
  ])
    expect(leaksIn(text, [token, orgValue, emulator.token])).toEqual([]);
  return result;
}

const ok = (result: EngineResult) => {
  if (result.exitCode !== 0)
    throw new Error(`${result.errors.join("; ")}\n${result.output}`);
  return result;
};

/** A stack whose github:token is a secure value, supplied as PULUMI_CONFIG_GITHUB_TOKEN. */
function withSecureToken(dir: string): void {
  const file = path.join(dir, "Pulumi.dev.yaml");
  fs.writeFileSync(
    file,
    stringify({
      config: {
        "github:owner": "acme",
        "github:token": { secure: "v1:placeholder:supplied-by-environment" },
      },
    }),
  );
}

test("1. up --replace of a secret and of a selection member keeps both", async () => {
  const cwd = program(
    "replace",
    `
import * as pulumi from "@pulumi/pulumi";
import { OrgSecret, OrgSecretRepository, RepoSecret } from "pulumi-github-secrets";
new RepoSecret("token", { repository: "api", secretName: "REPLACED_TOKEN", value: pulumi.secret("${token}") });
const shared = new OrgSecret("shared", { secretName: "REPLACED_SHARED", value: pulumi.secret("${orgValue}"), visibility: "selected" });
new OrgSecretRepository("shared-api", { secretName: shared.secretName, repository: "api" });
`,
  );
  ok(await engine(cwd, "up"));
  const urn = (type: string, name: string) =>
    `urn:pulumi:dev::replace::pulumi-nodejs:dynamic/github-secrets:${type}::${name}`;
  const replaced = ok(
    await engine(cwd, "up", {
      replace: [
        urn("RepoSecret", "token"),
        urn("OrgSecretRepository", "shared-api"),
      ],
    }),
  );
  expect(
    replaced.steps
      .filter((s) => s.op === "replace")
      .map((s) => s.name)
      .sort(),
  ).toEqual(["shared-api", "token"]);
  expect(
    emulator.getSecret("actions-repo", "acme/api", "REPLACED_TOKEN")?.value,
  ).toBe(token);
  expect(
    emulator.getSecret("actions-org", "acme", "REPLACED_SHARED")
      ?.selectedRepositoryIds,
  ).toEqual([101]);
  expect(replaced.output).toMatch(
    /\[provider\] pulumi-github-secrets: kept RepoSecret REPLACED_TOKEN/,
  );
});

test("2. a secret moved under a component without an alias keeps its value", async () => {
  const cwd = program(
    "moved",
    `
import * as pulumi from "@pulumi/pulumi";
import { RepoSecret } from "pulumi-github-secrets";
const config = new pulumi.Config();
class Team extends pulumi.ComponentResource {
  constructor(name: string) { super("acme:index:Team", name, {}); this.registerOutputs({}); }
}
const parent = config.get("nest") === "yes" ? new Team("platform") : undefined;
new RepoSecret("token", { repository: "web", secretName: "MOVED_TOKEN", value: pulumi.secret("${token}") }, { parent });
`,
    { "moved:nest": "no" },
  );
  ok(await engine(cwd, "up"));
  const moved = ok(
    await engine(cwd, "up", { env: { [configEnvName("moved:nest")]: "yes" } }),
  );
  expect(
    moved.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name}`),
  ).toEqual(["create platform", "create token", "delete token"]);
  expect(
    emulator.getSecret("actions-repo", "acme/web", "MOVED_TOKEN")?.value,
  ).toBe(token);
});

test("3. a repository renamed beside its secrets keeps the repository and environment secrets", async () => {
  const cwd = program(
    "renamed",
    `
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { EnvironmentSecret, RepoSecret } from "pulumi-github-secrets";
const config = new pulumi.Config();
const repo = new github.Repository("svc", { name: config.require("repoName") });
const env = new github.RepositoryEnvironment("prod", { repository: repo.name, environment: "prod" });
new RepoSecret("token", { repository: repo.name, secretName: "SVC_TOKEN", value: pulumi.secret("${token}") });
new EnvironmentSecret("env-token", { repository: repo.name, environment: env.environment, secretName: "SVC_ENV_TOKEN", value: pulumi.secret("${orgValue}") });
`,
    { "renamed:repoName": "svc-old" },
  );
  ok(await engine(cwd, "up"));
  emulator.resetLog();
  const renamed = ok(
    await engine(cwd, "up", {
      env: { [configEnvName("renamed:repoName")]: "svc-new" },
    }),
  );
  expect(
    renamed.steps
      .filter((s) => s.op === "replace")
      .map((s) => s.name)
      .sort(),
  ).toEqual(["env-token", "token"]);
  expect(
    emulator.getSecret("actions-repo", "acme/svc-new", "SVC_TOKEN")?.value,
  ).toBe(token);
  expect(
    emulator.getSecret(
      "actions-environment",
      "acme/svc-new/prod",
      "SVC_ENV_TOKEN",
    )?.value,
  ).toBe(orgValue);
  const redirected = emulator
    .requestLog()
    .filter((e) => e.status === 307)
    .map((e) => e.method);
  expect(redirected).toEqual(["DELETE", "DELETE"]);
});

test("4. a rotated github:token: refresh and destroy say to up first or use --run-program; then they work", async () => {
  const first = "ghp_first_token_for_rotation_000";
  emulator.addToken({ token: first, login: "octocat", write: true });
  const cwd = program(
    "rotated",
    `
import * as pulumi from "@pulumi/pulumi";
import { RepoSecret } from "pulumi-github-secrets";
new RepoSecret("token", { repository: "infra", secretName: "ROTATED_TOKEN", value: pulumi.secret("${token}") });
`,
  );
  withSecureToken(cwd);
  ok(await engine(cwd, "up", { config: { "github:token": first } }));
  const second = emulator.rotateToken(first);
  const current = { config: { "github:token": second } };

  for (const command of ["refresh", "destroy"] as const) {
    const failed = await engine(cwd, command, current);
    expect(failed.exitCode).toBe(1);
    const message = failed.errors.join("\n");
    expect(message).toMatch(/GitHub answered 401: Bad credentials/);
    expect(message).toContain(
      "use the credentials saved in the stack at the last `pulumi up`",
    );
    expect(message).toContain("--run-program");
    expect(leaksIn(failed.output, [first, second])).toEqual([]);
  }
  ok(await engine(cwd, "refresh", { ...current, runProgram: true }));
  ok(await engine(cwd, "up", current));
  expect(
    emulator.getSecret("actions-repo", "acme/infra", "ROTATED_TOKEN")?.value,
  ).toBe(token);
  const destroyed = ok(await engine(cwd, "destroy", current));
  expect(leaksIn(JSON.stringify(destroyed.state), [first, second])).toEqual([]);
  expect(
    emulator.getSecret("actions-repo", "acme/infra", "ROTATED_TOKEN"),
  ).toBeUndefined();
});

test("5. the import option is refused at construction with what works instead", async () => {
  const cwd = program(
    "imported",
    `
import * as pulumi from "@pulumi/pulumi";
import { RepoSecret } from "pulumi-github-secrets";
new RepoSecret("token", { repository: "api", secretName: "IMPORTED", value: pulumi.secret("${token}") }, { import: "repos/acme/api/actions/secrets/IMPORTED" });
`,
  );
  emulator.resetLog();
  const refused = await engine(cwd, "up");
  expect(refused.exitCode).toBe(1);
  expect(refused.output).toContain(
    'RepoSecret "token": the import option does not work for dynamic resources (pulumi/pulumi#16175); remove it and declare the secret with its value',
  );
  expect(emulator.logSummary().total).toBe(0);
});
