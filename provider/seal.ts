// Values are sealed on the user's machine with a libsodium sealed box for the scope's public key,
// so GitHub receives only ciphertext and the plaintext never leaves the provider process.

import { createHmac, randomBytes, scrypt } from "node:crypto";
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

// scrypt at N = 2^15, r = 8, p = 1 (32 MiB, the parameters Go's x/crypto/scrypt recommends for
// interactive use): 55 to 65 ms per value on this project's 2-core machines, so a guess of a value
// from its digest costs as much and 32 MiB, where an HMAC costs 2 µs.
const slowDigestParams = { logN: 15, r: 8, p: 1 } as const;
const phcPrefix = `$scrypt$ln=${slowDigestParams.logN},r=${slowDigestParams.r},p=${slowDigestParams.p}$`;

/**
 * A value read from a `valueFrom` source, as diff needs it and nothing more: scrypt keyed with a
 * random per-resource salt, as a PHC string (`$scrypt$ln=15,r=8,p=1$<salt>$<hash>`). Kept as a
 * Pulumi secret, and slow, because whoever decrypts the state may try to guess a short value.
 * The salt of `previous` (the last digest of the same resource) is kept, so an unchanged value
 * gives the same string; a digest of other parameters (or none) gets a new salt.
 */
export async function slowDigest(
  value: string,
  previous?: string,
): Promise<string> {
  const salt =
    previous?.startsWith(phcPrefix) &&
    previous.slice(phcPrefix.length).includes("$")
      ? previous.slice(phcPrefix.length, previous.lastIndexOf("$"))
      : randomBytes(16).toString("base64").replace(/=+$/, "");
  const { logN, r, p } = slowDigestParams;
  const N = 2 ** logN;
  const hash = await new Promise<Buffer>((resolve, reject) =>
    scrypt(
      Buffer.from(value, "utf8"),
      Buffer.from(salt, "base64"),
      32,
      // scrypt needs 128 · N · r bytes; Node's default cap is exactly 32 MiB, too little.
      { N, r, p, maxmem: 2 * 128 * N * r },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
  return `${phcPrefix}${salt}$${hash.toString("base64").replace(/=+$/, "")}`;
}
