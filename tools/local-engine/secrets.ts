// Secret values, the way Pulumi represents them: in flight as `{[SIG]: SECRET, value}` (the RPC
// form the SDK understands) and at rest as `{[SIG]: SECRET, ciphertext}` (the checkpoint form).
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { symmetricCrypter, type Crypter } from "./passphrase";

export const SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Wire = unknown;

export function isSecret(
  v: unknown,
): v is { [SIG]: string; value?: unknown; ciphertext?: string } {
  return (
    v !== null &&
    typeof v === "object" &&
    !Array.isArray(v) &&
    (v as Record<string, unknown>)[SIG] === SECRET_SIG
  );
}

export function makeSecret(value: unknown): Wire {
  return isSecret(value) ? value : { [SIG]: SECRET_SIG, value };
}

export function containsSecret(v: unknown): boolean {
  if (isSecret(v)) return true;
  if (Array.isArray(v)) return v.some(containsSecret);
  if (v !== null && typeof v === "object")
    return Object.values(v).some(containsSecret);
  return false;
}

/** The plain value a provider sees: every secret marker stripped (acceptSecrets=false). */
export function unwrap(v: unknown): unknown {
  if (isSecret(v)) return unwrap(v.value);
  if (Array.isArray(v)) return v.map(unwrap);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = unwrap(x);
    return out;
  }
  return v;
}

export function unwrapProps(
  v: Record<string, unknown>,
): Record<string, unknown> {
  return unwrap(v) as Record<string, unknown>;
}

/** Top-level keys holding a secret anywhere inside. */
export function secretKeys(props: Record<string, unknown>): string[] {
  return Object.keys(props).filter((k) => containsSecret(props[k]));
}

/** Marks the named top-level properties secret, as the engine does with a provider's answer. */
export function remark(
  props: Record<string, unknown>,
  keys: Iterable<string>,
): Record<string, unknown> {
  const out = { ...props };
  for (const k of keys) {
    if (k in out && out[k] !== undefined) out[k] = makeSecret(out[k]);
  }
  return out;
}

/** Encrypts values at rest: AES-256-GCM with a key from a passphrase (scrypt) or a key file. */
export class SecretsManager {
  private readonly crypter: Crypter;

  private constructor(
    private readonly key: Buffer,
    readonly descriptor: SecretsDescriptor,
    /** Set while a new key file still has to be written (nothing is written before a save). */
    private unsavedKeyFile?: string,
  ) {
    this.crypter = symmetricCrypter(key);
  }

  /** Writes a newly generated key file; called before the first state write. */
  persist(): void {
    if (!this.unsavedKeyFile) return;
    fs.mkdirSync(path.dirname(this.unsavedKeyFile), { recursive: true });
    fs.writeFileSync(this.unsavedKeyFile, this.key.toString("base64") + "\n", {
      mode: 0o600,
    });
    this.unsavedKeyFile = undefined;
  }

  /**
   * `PULUMI_CONFIG_PASSPHRASE` set: the key is derived from it (salt kept in the state file).
   * Otherwise a random key kept beside the state in `<stack>.key` (mode 0600).
   */
  static open(
    existing: SecretsDescriptor | undefined,
    env: NodeJS.ProcessEnv,
    keyFile: string,
  ): SecretsManager {
    const passphrase = env.PULUMI_CONFIG_PASSPHRASE;
    if (
      existing?.type === "passphrase" ||
      (!existing && passphrase !== undefined)
    ) {
      if (passphrase === undefined) {
        throw new Error(
          "this stack's secrets are encrypted with a passphrase: set PULUMI_CONFIG_PASSPHRASE",
        );
      }
      const salt = existing?.salt ?? crypto.randomBytes(16).toString("base64");
      const key = crypto.scryptSync(
        passphrase,
        Buffer.from(salt, "base64"),
        32,
      );
      const descriptor: SecretsDescriptor = { type: "passphrase", salt };
      const mgr = new SecretsManager(key, descriptor);
      if (existing?.check && mgr.tryDecrypt(existing.check) !== "pulumi") {
        throw new Error(
          "incorrect passphrase (PULUMI_CONFIG_PASSPHRASE) for this stack",
        );
      }
      descriptor.check = existing?.check ?? mgr.encrypt("pulumi");
      return mgr;
    }
    if (fs.existsSync(keyFile)) {
      const key = Buffer.from(
        fs.readFileSync(keyFile, "utf8").trim(),
        "base64",
      );
      return new SecretsManager(key, { type: "keyfile" });
    }
    if (existing)
      throw new Error(
        `the key file ${keyFile} for this stack's secrets is missing`,
      );
    return new SecretsManager(
      crypto.randomBytes(32),
      { type: "keyfile" },
      keyFile,
    );
  }

  encrypt(plaintext: string): string {
    return this.crypter.encrypt(plaintext);
  }

  decrypt(ciphertext: string): string {
    return this.crypter.decrypt(ciphertext);
  }

  private tryDecrypt(ciphertext: string): string | undefined {
    try {
      return this.decrypt(ciphertext);
    } catch {
      return undefined;
    }
  }

  /** In-flight secrets → ciphertext envelopes. */
  seal(v: unknown): unknown {
    if (isSecret(v))
      return {
        [SIG]: SECRET_SIG,
        ciphertext: this.encrypt(JSON.stringify(v.value ?? null)),
      };
    if (Array.isArray(v)) return v.map((x) => this.seal(x));
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = this.seal(x);
      return out;
    }
    return v;
  }

  /** Ciphertext envelopes → in-flight secrets. */
  open(v: unknown): unknown {
    if (isSecret(v)) {
      if (typeof v.ciphertext === "string")
        return makeSecret(JSON.parse(this.decrypt(v.ciphertext)));
      return v;
    }
    if (Array.isArray(v)) return v.map((x) => this.open(x));
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = this.open(x);
      return out;
    }
    return v;
  }
}

export interface SecretsDescriptor {
  type: "passphrase" | "keyfile";
  salt?: string;
  /** A known plaintext encrypted with the key, to tell a wrong passphrase early. */
  check?: string;
}
