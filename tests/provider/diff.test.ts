import { kinds } from "../../provider/kinds";
import { diffSecret } from "../../provider/diff";
import type { SecretState } from "../../provider/types";
import { digest } from "../../provider/seal";

const salt = Buffer.alloc(16, 1).toString("base64");
const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function outputs(extra: Partial<SecretState> = {}): SecretState {
  return {
    owner: "acme",
    repository: "api",
    secretName: "TOKEN",
    keyId: "1",
    createdAt: "2026-11-22T00:00:00Z",
    updatedAt: "2026-11-22T00:00:00Z",
    writtenAt: "2026-11-22T00:00:00Z",
    userSealed: false,
    digestSalt: salt,
    valueDigest: digest(salt, "plain\u0000old value"),
    ...extra,
  };
}
const news = (extra: Record<string, unknown> = {}) => ({
  owner: "acme",
  repository: "api",
  secretName: "TOKEN",
  value: "old value",
  ...extra,
});
const orgOutputs = (extra: Partial<SecretState> = {}) =>
  outputs({
    owner: undefined,
    repository: undefined,
    org: "acme",
    visibility: "selected",
    selectedRepositoryIds: [1, 2],
    ...extra,
  });
const orgNews = (extra: Record<string, unknown> = {}) => ({
  org: "acme",
  secretName: "TOKEN",
  value: "old value",
  visibility: "selected",
  selectedRepositoryIds: [1, 2],
  ...extra,
});

describe("diff is local and tells update from replace", () => {
  test("same inputs: no change", () => {
    expect(diffSecret(kinds.RepoSecret, outputs(), news())).toEqual({
      changes: false,
      replaces: [],
      updates: [],
      deleteBeforeReplace: false,
    });
  });

  test("names and scopes compare without regard to case (GitHub upper-cases names)", () => {
    expect(
      diffSecret(
        kinds.RepoSecret,
        outputs(),
        news({ secretName: "token", owner: "ACME", repository: "Api" }),
      ).changes,
    ).toBe(false);
  });

  test("a new value updates in place", () => {
    expect(
      diffSecret(kinds.RepoSecret, outputs(), news({ value: "new value" })),
    ).toEqual({
      changes: true,
      replaces: [],
      updates: ["value"],
      deleteBeforeReplace: false,
    });
  });

  test.each([
    ["secretName", { secretName: "OTHER" }],
    ["repository", { repository: "web" }],
    ["owner", { owner: "other-org" }],
  ])(
    "changing %s replaces, creating the new secret before deleting the old one",
    (property, change) => {
      const result = diffSecret(kinds.RepoSecret, outputs(), news(change));
      expect(result.replaces).toEqual([property]);
      expect(result.deleteBeforeReplace).toBe(false);
    },
  );

  test("changing the environment replaces", () => {
    const result = diffSecret(
      kinds.EnvironmentSecret,
      outputs({ environment: "dev" }),
      news({ environment: "prod" }),
    );
    expect(result.replaces).toEqual(["environment"]);
  });

  test("visibility and the selected set update in place; the set's order does not matter", () => {
    expect(
      diffSecret(
        kinds.OrgSecret,
        orgOutputs(),
        orgNews({ selectedRepositoryIds: [2, 1] }),
      ).changes,
    ).toBe(false);
    expect(
      diffSecret(
        kinds.OrgSecret,
        orgOutputs(),
        orgNews({ selectedRepositoryIds: [1, 2, 3] }),
      ),
    ).toMatchObject({ changes: true, replaces: [] });
    expect(
      diffSecret(
        kinds.OrgSecret,
        orgOutputs(),
        orgNews({ visibility: "all", selectedRepositoryIds: undefined }),
      ),
    ).toMatchObject({
      changes: true,
      replaces: [],
    });
  });

  test("switching to a pre-sealed value is an update", () => {
    expect(
      diffSecret(
        kinds.RepoSecret,
        outputs(),
        news({ value: undefined, encryptedValue: "AAAA", keyId: "1" }),
      ).changes,
    ).toBe(true);
  });

  test("unknown values in preview count as changes", () => {
    expect(
      diffSecret(kinds.RepoSecret, outputs(), news({ value: unknown })),
    ).toMatchObject({ changes: true, replaces: [] });
    expect(
      diffSecret(kinds.RepoSecret, outputs(), news({ repository: unknown }))
        .replaces,
    ).toEqual(["repository"]);
  });

  test("drift found by refresh is written again unless onDrift is ignore", () => {
    const drifted = outputs({ drift: "the value was changed outside Pulumi" });
    expect(diffSecret(kinds.RepoSecret, drifted, news())).toMatchObject({
      changes: true,
      replaces: [],
    });
    expect(
      diffSecret(kinds.RepoSecret, drifted, news({ onDrift: "ignore" }))
        .changes,
    ).toBe(false);
  });

  test("state from before digests existed (no salt) is written again rather than trusted", () => {
    expect(
      diffSecret(
        kinds.RepoSecret,
        outputs({ digestSalt: "", valueDigest: "" }),
        news(),
      ).changes,
    ).toBe(true);
  });
});

describe("diff across accounts: the API host, not the account, identifies the secret", () => {
  const olds = outputs({ account: "acme", apiHost: "api.github.com" });

  test("the same account and host: no change", () => {
    expect(
      diffSecret(
        kinds.RepoSecret,
        olds,
        news({ account: "acme" }),
        "api.github.com",
      ),
    ).toEqual({
      changes: false,
      replaces: [],
      updates: [],
      deleteBeforeReplace: false,
    });
  });
  test("another account on the same host: the same secret, an update that writes nothing", () => {
    expect(
      diffSecret(
        kinds.RepoSecret,
        olds,
        news({ account: "acme-2" }),
        "api.github.com",
      ),
    ).toEqual({
      changes: true,
      replaces: [],
      updates: ["account"],
      deleteBeforeReplace: false,
    });
  });
  test("an account on another host: another secret, replaced", () => {
    expect(
      diffSecret(
        kinds.RepoSecret,
        olds,
        news({ account: "ghes" }),
        "ghe.example",
      ),
    ).toEqual({
      changes: true,
      replaces: ["account"],
      updates: [],
      deleteBeforeReplace: false,
    });
  });
  test("state from before accounts (no apiHost) counts as the same host", () => {
    expect(
      diffSecret(kinds.RepoSecret, outputs(), news(), "api.github.com"),
    ).toEqual({
      changes: false,
      replaces: [],
      updates: [],
      deleteBeforeReplace: false,
    });
  });
});

describe("valueFrom: the digest check made, or the version, tells a new value", () => {
  const record = "$scrypt$ln=15,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$old";
  const fromSource = (extra: Record<string, unknown> = {}) =>
    news({
      value: undefined,
      valueFrom: { env: "TOKEN", revision: 1 },
      __valueDigest: record,
      ...extra,
    });
  const sourced = outputs({
    digestSalt: undefined,
    valueDigest: record,
  });

  test.each<[string, SecretState, Record<string, unknown>, string[]]>([
    ["the same digest: no change", sourced, fromSource(), []],
    [
      "another source with the same value: no change",
      sourced,
      fromSource({ valueFrom: { file: ".env", key: "TOKEN", revision: 1 } }),
      [],
    ],
    [
      "a new digest: valueFrom updated",
      sourced,
      fromSource({
        valueFrom: { env: "TOKEN", revision: 2 },
        __valueDigest: `${record}-new`,
      }),
      ["valueFrom"],
    ],
    [
      "no digest yet (a source not known in preview): valueFrom updated",
      sourced,
      fromSource({ __valueDigest: undefined }),
      ["valueFrom"],
    ],
    [
      "from value to valueFrom: written once",
      outputs(),
      fromSource(),
      ["valueFrom"],
    ],
    ["from valueFrom back to value: written once", sourced, news(), ["value"]],
    [
      "valueVersion unchanged: no change, whatever the source holds",
      outputs({
        digestSalt: undefined,
        valueDigest: undefined,
        valueVersion: "1",
      }),
      fromSource({ __valueDigest: undefined, valueVersion: "1" }),
      [],
    ],
    [
      "a new valueVersion: written",
      outputs({
        digestSalt: undefined,
        valueDigest: undefined,
        valueVersion: "1",
      }),
      fromSource({ __valueDigest: undefined, valueVersion: "2" }),
      ["valueVersion"],
    ],
    [
      "valueVersion added: written once",
      sourced,
      fromSource({ __valueDigest: undefined, valueVersion: "1" }),
      ["valueVersion"],
    ],
    [
      "valueVersion dropped: written once",
      outputs({
        digestSalt: undefined,
        valueDigest: undefined,
        valueVersion: "1",
      }),
      fromSource(),
      ["valueFrom"],
    ],
    [
      "drift found by refresh: valueFrom written again",
      { ...sourced, drift: "the value was changed outside Pulumi" },
      fromSource(),
      ["valueFrom"],
    ],
  ])("%s", (_, olds, inputs, updates) => {
    expect(diffSecret(kinds.RepoSecret, olds, inputs)).toEqual({
      changes: updates.length > 0,
      replaces: [],
      updates,
      deleteBeforeReplace: false,
    });
  });
});
