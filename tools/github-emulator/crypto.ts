// X25519 keys and libsodium sealed boxes, the scheme GitHub uses for every secret family.
import { randomInt } from "node:crypto";
import sodium from "libsodium-wrappers";

export interface KeyPair {
  /** GitHub's key ids are digit strings such as "568250167242549743". */
  keyId: string;
  /** Base64 (standard alphabet, padded), as GET …/public-key returns it. */
  key: string;
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

/** libsodium initialises asynchronously; everything else here assumes this has resolved. */
export function cryptoReady(): Promise<void> {
  return sodium.ready;
}

export function newKeyPair(): KeyPair {
  const kp = sodium.crypto_box_keypair();
  // 18 digits, first one non-zero, like the ids GitHub hands out.
  let keyId = String(randomInt(1, 10));
  for (let i = 0; i < 17; i++) keyId += String(randomInt(0, 10));
  return {
    keyId,
    key: Buffer.from(kp.publicKey).toString("base64"),
    publicKey: kp.publicKey,
    privateKey: kp.privateKey,
  };
}

const BASE64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;

/** The plaintext bytes, or undefined when the value is not base64 or not sealed for this key. */
export function openSealedBox(
  encryptedValue: string,
  kp: KeyPair,
): Buffer | undefined {
  if (!BASE64.test(encryptedValue)) return undefined;
  try {
    const opened = sodium.crypto_box_seal_open(
      Buffer.from(encryptedValue, "base64"),
      kp.publicKey,
      kp.privateKey,
    );
    return Buffer.from(opened);
  } catch {
    return undefined;
  }
}

/** What a client does: seal `value` for a base64 public key. Exported for tests and tools. */
export function sealForKey(
  value: string | Uint8Array,
  base64Key: string,
): string {
  const sealed = sodium.crypto_box_seal(
    typeof value === "string" ? Buffer.from(value, "utf8") : value,
    Buffer.from(base64Key, "base64"),
  );
  return Buffer.from(sealed).toString("base64");
}
