// Every shell block of the README, command by command (shell.ts): npm scripts and packages that
// exist; `pulumi config set` of keys the provider (or a README program) reads, secrets with
// --secret; `pulumi` commands and flags the pinned CLI has; environment variables the provider
// or the CLI reads. A `pulumi import` command's id is read by the provider plugin of the packed
// package, as the engine's import asks it (Read by id alone), from the GitHub emulator holding
// that secret. The rules are shown failing on commands written to fail.
import * as path from "node:path";
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import { pulumiBinary } from "../../tools/pulumi-cli";
import {
  pulumi,
  removeWorkspace,
  type Workspace,
} from "../../tools/pulumi-cli/deployments";
import {
  startProviderHost,
  type ProviderHost,
} from "../../tools/provider-host";
import { putOutsidePulumi } from "../native/outside";
import { isolatedEnv } from "../support/host";
import { programWorkspace } from "../support/pulumi";
import { checkedBlocks, describeBlock } from "./blocks";
import { projectKeys, readSchema } from "./config-keys";
import { nodenext, project } from "./projects";
import {
  commandProblem,
  commandsOf,
  configSetOf,
  importOf,
  standIn,
  type ShellContext,
} from "./shell";

jest.setTimeout(120_000);

let context: ShellContext;
beforeAll(() => {
  context = {
    schema: readSchema(),
    projects: projectKeys(),
    cli: pulumiBinary(),
  };
});

const blocks = checkedBlocks("shell");

for (const block of blocks)
  test(`${describeBlock(block)}: every command does what the README says`, () => {
    const commands = commandsOf(block.code);
    expect(commands.length).toBeGreaterThan(0);
    expect(
      commands.flatMap((argv) => commandProblem(argv, context) ?? []),
    ).toEqual([]);
  });

const imports = blocks.flatMap((block) =>
  commandsOf(block.code).flatMap((argv) => {
    const found = importOf(argv);
    return found ? [{ block, ...found }] : [];
  }),
);

describe("pulumi import: the plugin of the packed package reads the id", () => {
  let github: Emulator;
  const hosts: ProviderHost[] = [];
  beforeAll(async () => {
    github = await startEmulator();
  });
  afterAll(async () => {
    await Promise.all(hosts.map((h) => h.close()));
    await github?.close();
  });

  for (const { block, type, name, id } of imports)
    test(`${describeBlock(block)}: pulumi import ${type} ${name} ${id}`, async () => {
      // The secret the command adopts, as GitHub would hold it (a selection's id ends in
      // /repositories[/id] after the secret's).
      const secretPath = id.replace(/\/repositories(\/\d+)?$/, "");
      await putOutsidePulumi(
        github,
        path.posix.dirname(secretPath),
        path.posix.basename(secretPath),
      );
      const proj = project(nodenext);
      const host = await startProviderHost({
        cwd: proj.dir,
        project: "readme",
        plugin: path.join(
          proj.packageDir,
          "plugin",
          `pulumi-resource-${context.schema.name}`,
        ),
        env: isolatedEnv,
      });
      hosts.push(host);
      await host.configure({ token: github.token, baseUrl: github.url });
      const read = await host.read(
        id,
        `urn:pulumi:dev::readme::${type}::${name}`,
        {},
      );
      expect(read.id).toBe(id);
    });
});

describe("pulumi config set: the commands run in a scratch stack of the pinned CLI", () => {
  const withConfigSets = blocks.filter((block) =>
    commandsOf(block.code).some((argv) => configSetOf(argv)),
  );
  let workspace: Workspace;
  beforeAll(async () => {
    if (withConfigSets.length)
      workspace = await programWorkspace({ name: "readme-config" });
  });
  afterAll(() => {
    if (workspace) removeWorkspace(workspace);
  });

  for (const block of withConfigSets)
    test(`${describeBlock(block)}: the CLI takes every command as written (placeholders stood in for)`, async () => {
      for (const argv of commandsOf(block.code)) {
        const set = configSetOf(argv);
        if (!set) continue;
        const run = await pulumi(
          workspace,
          ["config", "set", ...set.flags, set.key],
          {
            input: standIn(set.value ?? "readme-from-standard-input"),
            allowFailure: true,
          },
        );
        expect({
          command: argv.join(" "),
          refused: run.exitCode ? run.output : "",
        }).toEqual({
          command: argv.join(" "),
          refused: "",
        });
      }
    });
});

describe("the shell checker's rules", () => {
  test.each([
    ["npm run no-such-script", /package.json has no script no-such-script/],
    [
      "npm install left-pad",
      /left-pad is neither this package nor one of its dependencies/,
    ],
    ["pulumi config set github:tokn x", /the provider reads no github:tokn/],
    ["pulumi config set github:token x", /a secret: set it with --secret/],
    [
      "pulumi config set --secret --path 'github-secrets:accounts.acme.tokn' x",
      /an account takes token, tokenEnv, appAuth, baseUrl, owner \(got tokn\)/,
    ],
    [
      "pulumi config set --path 'github-secrets:accounts.acme.token' x",
      /a secret: set it with --secret/,
    ],
    [
      "pulumi config set noSuchKey x",
      /no program of the README .* reads noSuchKey/,
    ],
    [
      "pulumi stak select dev",
      /pulumi stak select --help failed|has no command/,
    ],
    ["pulumi up --no-such-flag", /pulumi up has no flag --no-such-flag/],
    ["export GITHUB_TOKN=x", /the provider reads no GITHUB_TOKN/],
    [
      "export PULUMI_NO_SUCH_VARIABLE_X=1",
      /never mentions PULUMI_NO_SUCH_VARIABLE_X/,
    ],
    ["curl https://example.com", /no rule for curl/],
    ["pip install ./sdk/nothing", /is no Python project of this repository/],
    ["pip install requests", /is not what tools\/python-env pins/],
    ["go get example.com/other@v1.0.0", /neither the Go SDK/],
  ])("%s fails", (command, why) => {
    const [argv] = commandsOf(command);
    expect(commandProblem(argv!, context)).toMatch(why);
  });

  test.each([
    "pip install ./sdk/python",
    "python3 -m pip install pulumi==3.272.0",
    "go get github.com/pulumi-github-secrets/pulumi-github-secrets/sdk/go/githubsecrets",
    "go get github.com/pulumi/pulumi/sdk/v3@v3.274.1",
  ])("%s passes", (command) => {
    const [argv] = commandsOf(command);
    expect(commandProblem(argv!, context)).toBeUndefined();
  });

  test("commands, quotes, continuations, comments and placeholders are read as a shell would", () => {
    expect(
      commandsOf(
        [
          "npm ci && npm run demo   # the demo",
          "export A=1 B='two words' \\",
          "  C=3",
          "pulumi config set github:owner <your organization>; pulumi up",
        ].join("\n"),
      ),
    ).toEqual([
      ["npm", "ci"],
      ["npm", "run", "demo"],
      ["export", "A=1", "B=two words", "C=3"],
      ["pulumi", "config", "set", "github:owner", "<your organization>"],
      ["pulumi", "up"],
    ]);
  });
});
