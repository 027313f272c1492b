// Named accounts, without a network: reading stack config `github-secrets:accounts`, an
// account's settings. What a change of account means to the diff is in diff.test.ts.
import {
  accountSettings,
  noAccountCredentials,
  readAccounts,
} from "../../provider/accounts";
import { SettingsError, type ConfigSource } from "../../provider/config";
import { readSettings } from "../../provider/settings";

const config = (values: Record<string, string>): ConfigSource => ({
  get: (key) => values[key],
});
const accountsConfig = (accounts: unknown) =>
  config({ "github-secrets:accounts": JSON.stringify(accounts) });
const defaults = readSettings(config({ "github:token": "ghp_default" }), {});

describe("reading github-secrets:accounts", () => {
  test("accounts by name, as JSON text from the engine", () => {
    const accounts = readAccounts(
      accountsConfig({
        acme: { token: "t1", owner: "acme" },
        ghes: { tokenEnv: "GHES_TOKEN", baseUrl: "https://ghe.example/api/v3" },
      }),
    );
    expect([...accounts.keys()]).toEqual(["acme", "ghes"]);
    expect(readAccounts(config({}))).toEqual(new Map());
  });

  test.each<[string, unknown, RegExp]>([
    ["not JSON", undefined, /must be an object: account name/],
    ["a list", [1], /must be an object: account name/],
    ["a bad name", { "a b": {} }, /account names are letters, digits/],
    [
      "an account that is not an object",
      { acme: "t" },
      /"acme" must be an object/,
    ],
    [
      "an unknown setting",
      { acme: { password: "x" } },
      /"acme" has no setting "password"/,
    ],
    [
      "a token that is not a string",
      { acme: { token: 1 } },
      /"acme": token must be a string/,
    ],
  ])("%s is refused, naming the rule", (_case, accounts, message) => {
    const source =
      accounts === undefined
        ? config({ "github-secrets:accounts": "{not json" })
        : accountsConfig(accounts);
    let error: unknown;
    try {
      readAccounts(source);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as SettingsError).key.configKey).toBe(
      "github-secrets:accounts",
    );
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('password": "x');
  });
});

describe("an account's settings", () => {
  test("its own token, host and owner; the stack's pacing; no owner inherited", () => {
    const accounts = readAccounts(
      accountsConfig({
        acme: { token: "t-acme" },
        ghes: {
          tokenEnv: "GHES_TOKEN",
          baseUrl: "https://ghe.example/api/v3/",
          owner: "corp",
        },
      }),
    );
    const acme = accountSettings("acme", accounts, defaults, {});
    expect(acme).toMatchObject({
      baseUrl: "https://api.github.com",
      credentials: { kind: "token", token: "t-acme" },
      pointsPerMinute: defaults.pointsPerMinute,
    });
    expect(acme.owner).toBeUndefined();
    const ghes = accountSettings("ghes", accounts, defaults, {
      GHES_TOKEN: "t-ghes",
    });
    expect(ghes).toMatchObject({
      baseUrl: "https://ghe.example/api/v3",
      owner: "corp",
      credentials: { kind: "token", token: "t-ghes", source: "GHES_TOKEN" },
    });
    // tokenEnv unset: no credentials (check then fails with noAccountCredentials).
    expect(
      accountSettings("ghes", accounts, defaults, {}).credentials,
    ).toBeUndefined();
    expect(noAccountCredentials("ghes", accounts.get("ghes"))).toMatch(
      /^no GitHub credentials for account "ghes" \(its tokenEnv, GHES_TOKEN, is not set in the environment\): set its token \(pulumi config set --secret --path 'github-secrets:accounts\.ghes\.token' …\)/,
    );
  });

  test("an unknown account names the known ones", () => {
    const accounts = readAccounts(accountsConfig({ b: {}, a: {} }));
    expect(() => accountSettings("c", accounts, defaults, {})).toThrow(
      'account "c" is not in stack config `github-secrets:accounts` (known: a, b)',
    );
    expect(() => accountSettings("c", new Map(), defaults, {})).toThrow(
      "(it declares no account)",
    );
  });

  test("a malformed base URL names the account", () => {
    const accounts = readAccounts(accountsConfig({ x: { baseUrl: "nope" } }));
    expect(() => accountSettings("x", accounts, defaults, {})).toThrow(
      /^account "x" of stack config `github-secrets:accounts`: baseUrl must be an absolute http\(s\) URL/,
    );
  });
});
