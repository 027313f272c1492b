// Values are sealed on the user's machine with a libsodium sealed box for the scope's public key,
// so GitHub receives only ciphertext and the plaintext never leaves the provider process.

import { createHmac, randomBytes } from "node:crypto";
import sodium from "libsodium-wrappers";

export interface PublicKey {
  readonly keyId: string;
  /** Base64 X25519 public key, as GitHub returns it. */
  readonly key: string;
}

/** Seals `plaintext` (UTF-8) for `publicKey`; returns the base64 `encrypted_value`. */
export async function seal(
  plaintext: string,
  publicKey: string,
): Promise<string> {
  await sodium.ready;
  const recipient = sodium.from_base64(
    publicKey,
    sodium.base64_variants.ORIGINAL,
  );
  const sealed = sodium.crypto_box_seal(
    sodium.from_string(plaintext),
    recipient,
  );
  return sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL);
}

/**
 * What diff needs to tell whether a value changed, without keeping the value in the outputs:
 * an HMAC keyed with a random per-resource salt, so equal values of two resources do not look
 * alike and the digest cannot be looked up in a precomputed table. The engine stores it as a
 * secret (additionalSecretOutputs), since a low-entropy value could still be guessed from it.
 */
export function digest(salt: string, material: string): string {
  return createHmac("sha256", Buffer.from(salt, "base64"))
    .update(material, "utf8")
    .digest("base64");
}

export function newSalt(): string {
  return randomBytes(16).toString("base64");
}
