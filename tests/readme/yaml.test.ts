// Every YAML block of the README (Pulumi.yaml fragments, YAML programs, stack files) checked
// against sdk/schema.json and the packed package (yaml.ts), and every JSON block parsed. The
// checker's rules are shown failing on blocks written to fail.
import { checkedBlocks, describeBlock } from "./blocks";
import { projectKeys, readSchema } from "./config-keys";
import { project, nodenext } from "./projects";
import { checkYaml, type YamlContext } from "./yaml";

let context: YamlContext;

beforeAll(() => {
  context = {
    schema: readSchema(),
    projects: projectKeys(),
    // A project with the package as `npm pack` makes it: plugin paths resolve from here.
    projectDir: project(nodenext).dir,
  };
});

// (A loop, not test.each: a language without blocks today has no test, not a failing one.)
for (const block of checkedBlocks("yaml"))
  test(`${describeBlock(block)}: what it names exists`, () => {
    expect(checkYaml(block.code, context).problems).toEqual([]);
  });

for (const block of checkedBlocks("json"))
  test(`${describeBlock(block)} parses`, () => {
    expect(() => JSON.parse(block.code) as unknown).not.toThrow();
  });

describe("the YAML checker's rules", () => {
  test("a program's resources: type, inputs and required inputs of the schema; other packages' listed as not checked", () => {
    const result = checkYaml(
      `name: demo
runtime: yaml
config:
  deployKey:
    type: string
    secret: true
resources:
  ok:
    type: github-secrets:RepoSecret
    properties: { repository: api, secretName: A, value: "\${deployKey}" }
  typo:
    type: github-secrets:index:RepoSecret
    properties: { repository: api, secret_name: A, value: x }
  missing:
    type: github-secrets:index:NoSuchSecret
  repo:
    type: github:Repository
    properties: { name: api }
  explicit:
    type: pulumi:providers:github-secrets
    properties: { token: x, tokn: y }
`,
      context,
    );
    expect(result.problems).toEqual([
      expect.stringMatching(
        /^resource typo: github-secrets:index:RepoSecret has no input secret_name \(it takes owner, repository, secretName/,
      ),
      "resource typo: github-secrets:index:RepoSecret requires secretName",
      expect.stringMatching(
        /^resource missing: the schema has no github-secrets:index:NoSuchSecret/,
      ),
      expect.stringMatching(
        /^resource explicit: pulumi:providers:github-secrets has no input tokn/,
      ),
    ]);
    expect(result.unchecked).toEqual([
      "resource repo: github:Repository, another package's",
    ]);
  });

  test("a plugin path must hold the packed package's plugin; stack config keys must be read, secrets secure", () => {
    expect(
      checkYaml(
        `plugins:
  providers:
    - name: github-secrets
      path: ./node_modules/pulumi-github-secrets/no-plugin-here
`,
        context,
      ).problems,
    ).toEqual([
      "plugins.providers github-secrets: ./node_modules/pulumi-github-secrets/no-plugin-here holds no PulumiPlugin.yaml in a project with the package installed",
      "plugins.providers github-secrets: ./node_modules/pulumi-github-secrets/no-plugin-here holds no executable pulumi-resource-github-secrets",
    ]);
    expect(
      checkYaml(
        `config:
  github:owner: acme
  github:tokn: x
  github-secrets:token: plain
  github-secrets:baseUrl: https://github.example/api/v3
`,
        context,
      ).problems,
    ).toEqual([
      expect.stringMatching(
        /^config github:tokn: the provider reads no github:tokn/,
      ),
      "config github-secrets:token: a secret: set it with --secret (a plain value is saved in the state in plain text)",
    ]);
  });

  test("a document of no known shape fails, and so does bad YAML", () => {
    expect(checkYaml("foo: 1\n", context).problems).toEqual([
      "foo: not a key of a Pulumi project, program or stack file",
      expect.stringMatching(/^neither plugins, config nor resources/),
    ]);
    expect(checkYaml("a: [1\n", context).problems[0]).toMatch(/^YAML: /);
  });
});
