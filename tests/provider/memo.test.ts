import { Memo } from "../../provider/memo";
import type { PublicKey } from "../../provider/seal";

describe("memo (public keys, listings, repository ids)", () => {
  test("concurrent callers of one scope share one fetch; scopes are separate", async () => {
    const cache = new Memo<PublicKey>();
    let fetches = 0;
    const fetchKey = async () => ({ keyId: String(++fetches), key: "k" });
    const keys = await Promise.all([
      cache.get("a", fetchKey),
      cache.get("a", fetchKey),
      cache.get("b", fetchKey),
    ]);
    expect(fetches).toBe(2);
    expect(keys[0]).toBe(keys[1]);
  });

  test("a failed fetch is not cached; forget drops a rotated key", async () => {
    const cache = new Memo<PublicKey>();
    await expect(
      cache.get("a", () => Promise.reject(new Error("boom"))),
    ).rejects.toThrow("boom");
    expect(
      await cache.get("a", async () => ({ keyId: "2", key: "k" })),
    ).toEqual({ keyId: "2", key: "k" });
    cache.forget("a");
    expect(
      await cache.get("a", async () => ({ keyId: "3", key: "k" })),
    ).toEqual({ keyId: "3", key: "k" });
  });
});
