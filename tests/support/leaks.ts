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
