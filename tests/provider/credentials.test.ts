import {
  resolveCredentials,
  ghHostname,
  noCredentials,
} from "../../provider/credentials";
import { SettingsError } from "../../provider/config";

const config = (values: Record<string, string>) => ({
  get: (key: string) => values[key],
});
const pem =
  "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n";
const noGh = () => undefined;
const base = "https://api.github.com";

describe("credentials, in @pulumi/github's order", () => {
  test("stack config token first, then GITHUB_TOKEN", () => {
    expect(
      resolveCredentials(
        config({ "github:token": "cfg" }),
        { GITHUB_TOKEN: "env" },
        base,
        noGh,
      ),
    ).toMatchObject({ token: "cfg", source: "github:token" });
    expect(
      resolveCredentials(config({}), { GITHUB_TOKEN: "env" }, base, noGh),
    ).toMatchObject({ token: "env", source: "GITHUB_TOKEN" });
  });

  test("a token wins over an App; an App over gh", () => {
    const appAuth = JSON.stringify({ id: 1, installationId: 2, pemFile: pem });
    expect(
      resolveCredentials(
        config({ "github:appAuth": appAuth }),
        { GITHUB_TOKEN: "env" },
        base,
        () => "gh",
      ),
    ).toMatchObject({ kind: "token", token: "env" });
    expect(
      resolveCredentials(
        config({ "github:appAuth": appAuth }),
        {},
        base,
        () => "gh",
      ),
    ).toEqual({
      kind: "app",
      appId: "1",
      installationId: "2",
      privateKey: pem,
    });
  });

  test("gh auth token last, asked for the API's host", () => {
    const asked: string[] = [];
    const gh = (host: string) => (asked.push(host), "gho_fromgh");
    expect(resolveCredentials(config({}), {}, base, gh)).toMatchObject({
      token: "gho_fromgh",
      source: "gh auth token",
    });
    resolveCredentials(config({}), {}, "https://ghe.example.com/api/v3", gh);
    expect(asked).toEqual(["github.com", "ghe.example.com"]);
    expect(ghHostname("http://127.0.0.1:8080")).toBe("127.0.0.1:8080");
  });

  test("nothing at all: undefined, and the message lists every way", () => {
    expect(resolveCredentials(config({}), {}, base, noGh)).toBeUndefined();
    expect(noCredentials()).toMatch(
      /github:token.*GITHUB_TOKEN.*github:appAuth.*GITHUB_APP_ID.*gh auth login/,
    );
  });

  test.each([
    ["not JSON", "{id:", "must be an object {id, installationId, pemFile}"],
    [
      "id not a number",
      JSON.stringify({ id: "x", installationId: 2, pemFile: pem }),
      "the App id must be a number",
    ],
    [
      "installation id missing",
      JSON.stringify({ id: 1, pemFile: pem }),
      "the installation id must be a number",
    ],
    [
      "no key",
      JSON.stringify({ id: 1, installationId: 2 }),
      "pemFile (the App's private key, PEM) is required",
    ],
    [
      "key neither PEM nor a file",
      JSON.stringify({
        id: 1,
        installationId: 2,
        pemFile: "hunter2-not-a-key",
      }),
      "PEM text) or the path of a readable PEM file",
    ],
  ])(
    "appAuth %s: a SettingsError naming the setting, not echoing the key",
    (_case, appAuth, message) => {
      let error: unknown;
      try {
        resolveCredentials(
          config({ "github:appAuth": appAuth }),
          {},
          base,
          noGh,
        );
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SettingsError);
      expect((error as SettingsError).key.configKey).toBe("github:appAuth");
      expect((error as Error).message).toContain(message);
      expect((error as Error).message).not.toContain("hunter2");
    },
  );

  test("a PEM with escaped newlines (as some secret stores keep it) is accepted", () => {
    const escaped = pem.replace(/\n/g, "\\n");
    const env = {
      GITHUB_APP_ID: "1",
      GITHUB_APP_INSTALLATION_ID: "2",
      GITHUB_APP_PEM_FILE: escaped,
    };
    expect(resolveCredentials(config({}), env, base, noGh)).toMatchObject({
      kind: "app",
      privateKey: pem,
    });
  });
});
