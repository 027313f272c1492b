import * as fs from "node:fs";
import { fixtures, ops, run } from "./helpers";

jest.setTimeout(120000);

describe("local engine secrets", () => {
  const fixture = fixtures();

  it("never writes a secret in plain text and keeps derived outputs secret", async () => {
    const plaintext = "hunter2-very-secret";
    const token = "ghp_tokenvalue0123456789";
    const fx = fixture(
      {
        items: [{ name: "s", value: plaintext, secret: true }],
        exportSecret: true,
      },
      {
        "fixture:pw": { secure: "AAABAMZ+cipher" },
        "github:token": { secure: "AAABAMZ+token" },
      },
    );
    const missing = await run(fx, "up");
    expect(missing.exitCode).toBe(1);
    expect(missing.output).toContain(
      "fixture:pw (set PULUMI_CONFIG_FIXTURE_PW)",
    );
    expect(missing.output).toContain(
      "github:token (set PULUMI_CONFIG_GITHUB_TOKEN or GITHUB_TOKEN)",
    );

    const env = {
      PULUMI_CONFIG_FIXTURE_PW: "config-secret-value",
      GITHUB_TOKEN: token,
    };
    const up = await run(fx, "up", { env });
    expect(up.exitCode).toBe(0);
    const raw = fs.readFileSync(fx.stateFile(), "utf8");
    for (const text of [
      raw,
      up.output,
      up.hostOutput,
      JSON.stringify(up.steps),
    ]) {
      expect(text).not.toContain(plaintext);
      expect(text).not.toContain(token);
      expect(text).not.toContain("exported-secret-value");
    }
    expect(up.output).toContain("secretOut: [secret]");
    const s = up.state?.resources.find((r) => r.name === "s");
    // Re-marked because the input of the same name was secret; digest via additionalSecretOutputs.
    expect(s?.secretOutputs).toEqual(
      expect.arrayContaining(["value", "digest"]),
    );
    expect(s?.outputs.value).toMatchObject({
      ciphertext: expect.stringMatching(/^v1:/),
    });
    expect(s?.inputs.value).toMatchObject({
      ciphertext: expect.stringMatching(/^v1:/),
    });
    // The provider was configured with the secure github:token, supplied by GITHUB_TOKEN; the
    // state saves it (as the default provider's inputs) only as ciphertext.
    expect(s?.outputs.hasToken).toBe(true);
    const provider = up.state?.resources.find((r) => r.kind === "provider");
    expect(provider?.inputs["github:token"]).toMatchObject({
      ciphertext: expect.stringMatching(/^v1:/),
    });

    // Secrets decrypt again on the next run: nothing changes.
    const again = await run(fx, "up", { env });
    expect(ops(again)).toEqual([]);
  });

  it("encrypts with PULUMI_CONFIG_PASSPHRASE and refuses a wrong one", async () => {
    const fx = fixture({
      items: [{ name: "s", value: "pass-secret-value", secret: true }],
    });
    const up = await run(fx, "up", {
      env: { PULUMI_CONFIG_PASSPHRASE: "right" },
    });
    expect(up.exitCode).toBe(0);
    expect(up.state?.secrets?.type).toBe("passphrase");
    expect(fs.readFileSync(fx.stateFile(), "utf8")).not.toContain(
      "pass-secret-value",
    );
    const wrong = await run(fx, "up", {
      env: { PULUMI_CONFIG_PASSPHRASE: "wrong" },
    });
    expect(wrong.exitCode).toBe(1);
    expect(wrong.output).toContain("incorrect passphrase");
  });
});
