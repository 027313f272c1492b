// `secure:` stack config values the way Pulumi's passphrase secrets provider writes them, so a
// stack file made with `pulumi config set --secret` (PULUMI_CONFIG_PASSPHRASE set) works here and
// the other way round. Follows sdk/go/common/resource/config/crypt.go:
// `NewSymmetricCrypterFromPassphrase` (PBKDF2-SHA256, 1,000,000 iterations, 32-byte key) and
// `symmetricCrypter.EncryptValue` ("v1:<base64 nonce>:<base64 AES-256-GCM ciphertext+tag>");
// the stack file's `encryptionsalt` is "v1:<base64 salt>:" followed by "pulumi" so encrypted,
// which tells a wrong passphrase.
import * as crypto from "node:crypto";

const iterations = 1_000_000;
const keyCache = new Map<string, Buffer>();

export interface Crypter {
  encrypt(plaintext: string): string;
  decrypt(ciphertext: string): string;
}

/** The stack's crypter, or an error saying what is wrong with the passphrase. */
export function passphraseCrypter(
  encryptionSalt: string,
  passphrase: string,
): Crypter {
  const [version, salt, ...check] = encryptionSalt.split(":");
  if (version !== "v1" || !salt || check.length !== 3)
    throw new Error("the stack file's encryptionsalt is not Pulumi's v1 form");
  const cacheKey = `${salt}\u0000${passphrase}`;
  let key = keyCache.get(cacheKey);
  if (!key) {
    key = crypto.pbkdf2Sync(
      passphrase,
      Buffer.from(salt, "base64"),
      iterations,
      32,
      "sha256",
    );
    keyCache.set(cacheKey, key);
  }
  const crypter = symmetricCrypter(key);
  let known: string | undefined;
  try {
    known = crypter.decrypt(check.join(":"));
  } catch {
    known = undefined;
  }
  if (known !== "pulumi")
    throw new Error(
      "incorrect passphrase (PULUMI_CONFIG_PASSPHRASE) for this stack's secure config",
    );
  return crypter;
}

/** A new `encryptionsalt` for `passphrase` (what `pulumi stack init` writes). */
export function newEncryptionSalt(passphrase: string): string {
  const salt = crypto.randomBytes(8);
  const key = crypto.pbkdf2Sync(passphrase, salt, iterations, 32, "sha256");
  keyCache.set(`${salt.toString("base64")}\u0000${passphrase}`, key);
  return `v1:${salt.toString("base64")}:${symmetricCrypter(key).encrypt("pulumi")}`;
}

/**
 * AES-256-GCM as "v1:<base64 nonce>:<base64 ciphertext+tag>" (crypt.go `symmetricCrypter`); the
 * state's secrets (secrets.ts) use the same form with their own key.
 */
export function symmetricCrypter(key: Buffer): Crypter {
  return {
    encrypt(plaintext) {
      const nonce = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv("aes-256-gcm", key, nonce);
      const sealed = Buffer.concat([
        cipher.update(plaintext, "utf8"),
        cipher.final(),
        cipher.getAuthTag(),
      ]);
      return `v1:${nonce.toString("base64")}:${sealed.toString("base64")}`;
    },
    decrypt(ciphertext) {
      const [version, nonce, data] = ciphertext.split(":");
      if (version !== "v1" || !nonce || !data)
        throw new Error("unrecognized secret ciphertext");
      const sealed = Buffer.from(data, "base64");
      const decipher = crypto.createDecipheriv(
        "aes-256-gcm",
        key,
        Buffer.from(nonce, "base64"),
      );
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      return Buffer.concat([
        decipher.update(sealed.subarray(0, sealed.length - 16)),
        decipher.final(),
      ]).toString("utf8");
    },
  };
}
