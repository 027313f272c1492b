import sodium from "libsodium-wrappers";
import { digest, newSalt, seal, slowDigest } from "../../provider/seal";

async function keypair() {
  await sodium.ready;
  const pair = sodium.crypto_box_keypair();
  return {
    publicKey: sodium.to_base64(
      pair.publicKey,
      sodium.base64_variants.ORIGINAL,
    ),
    pair,
  };
}

function open(
  sealed: string,
  pair: { publicKey: Uint8Array; privateKey: Uint8Array },
): string {
  const box = sodium.from_base64(sealed, sodium.base64_variants.ORIGINAL);
  return sodium.to_string(
    sodium.crypto_box_seal_open(box, pair.publicKey, pair.privateKey),
  );
}

describe("sealing", () => {
  test.each([
    ["ASCII", "hunter2"],
    ["multi-line", "-----BEGIN KEY-----\nabc\ndef\n-----END KEY-----\n"],
    ["UTF-8", "pässwörd ✓ 🔑 日本"],
    ["48 KB", "x".repeat(48 * 1024)],
  ])("round-trips a %s value through a sealed box", async (_case, value) => {
    const { publicKey, pair } = await keypair();
    const sealed = await seal(value, publicKey);
    expect(sealed).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(sealed).not.toContain(value.slice(0, 8));
    expect(open(sealed, pair)).toBe(value);
  });

  test("two seals of one value differ (ephemeral keys), both open", async () => {
    const { publicKey, pair } = await keypair();
    const [a, b] = [
      await seal("same", publicKey),
      await seal("same", publicKey),
    ];
    expect(a).not.toBe(b);
    expect([open(a, pair), open(b, pair)]).toEqual(["same", "same"]);
  });
});

describe("value digest", () => {
  test("keyed by a per-resource salt: equal values of two resources do not look alike", () => {
    const [a, b] = [newSalt(), newSalt()];
    expect(a).not.toBe(b);
    expect(digest(a, "v")).toBe(digest(a, "v"));
    expect(digest(a, "v")).not.toBe(digest(b, "v"));
    expect(digest(a, "distinctive-plaintext")).not.toContain("distinctive");
  });
});

describe("slow digest of a valueFrom value", () => {
  test("scrypt as a PHC string; the salt of the last digest kept, so an unchanged value gives the same string", async () => {
    const first = await slowDigest("distinctive-plaintext");
    expect(first).toMatch(
      /^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/,
    );
    expect(first).not.toContain("distinctive");
    expect(await slowDigest("distinctive-plaintext", first)).toBe(first);
    const changed = await slowDigest("distinctive-plaintext-2", first);
    expect(changed).not.toBe(first);
    // Same salt, another hash.
    expect(changed.slice(0, changed.lastIndexOf("$"))).toBe(
      first.slice(0, first.lastIndexOf("$")),
    );
  });

  test("a new salt for each resource: equal values do not look alike", async () => {
    const [a, b] = await Promise.all([slowDigest("v"), slowDigest("v")]);
    expect(a).not.toBe(b);
  });

  test("a digest of other parameters, or an HMAC, is not reused: a new salt", async () => {
    const other = "$scrypt$ln=14,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAA";
    expect(await slowDigest("v", other)).not.toContain(
      "AAAAAAAAAAAAAAAAAAAAAA",
    );
    expect(await slowDigest("v", digest(newSalt(), "v"))).toMatch(
      /^\$scrypt\$ln=15,/,
    );
  });
});
