import { createHash } from "node:crypto";

/** Every place in `text` where one of `secrets` occurs, as "secret #i at offset". */
export function leaksIn(text: string, secrets: readonly string[]): string[] {
  const found: string[] = [];
  secrets.forEach((secret, i) => {
    if (secret.length < 6)
      throw new Error("scan for distinctive values only (6+ characters)");
    let at = text.indexOf(secret);
    while (at !== -1) {
      found.push(`secret #${i} at offset ${at}`);
      at = text.indexOf(secret, at + 1);
    }
  });
  return found;
}

/**
 * A value and what an unsalted hash makes of it (sha256, sha1 and md5, each in hex and base64):
 * a short value is as good as given away by any of them, so a scan looks for all.
 */
export function valueAndHashes(value: string): string[] {
  return [
    value,
    ...["sha256", "sha1", "md5"].flatMap((algorithm) => {
      const hash = createHash(algorithm).update(value, "utf8").digest();
      return [hash.toString("hex"), hash.toString("base64")];
    }),
  ];
}
