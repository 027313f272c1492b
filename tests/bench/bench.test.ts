// Keeps `npm run bench` working: the same machinery at a tiny size, asserting only request
// counts (never timings), so it is stable on a loaded CI machine.
import {
  runGhOrgModel,
  runTerraformLike,
  runTerraformOrg,
  runUnbounded,
} from "../../bench/baselines";
import { measureFixedCost, VARIANTS } from "../../bench/fixed-cost";
import {
  runProviderScenario,
  startBenchEmulator,
  type BenchEmulator,
  type ScenarioResult,
} from "../../bench/harness";
import { judge, refreshBreakdown } from "../../bench/targets";

jest.setTimeout(240_000);

const N = 4;
const S = 2;
const settings = { timeScale: 60, latencyMs: 0 };

let bench: BenchEmulator;
let provider: ScenarioResult;

beforeAll(async () => {
  bench = await startBenchEmulator(settings);
  provider = await runProviderScenario(bench, N, S);
});

afterAll(async () => {
  await bench?.close();
});

test("the provider's create costs N + S requests: one key per scope, one PUT per secret", () => {
  expect(provider.steps.create.requests).toBe(N + S);
  expect(provider.steps.create.byMethod).toEqual({ GET: S, PUT: N });
  expect(provider.missingAfterCreate).toBe(0);
});

test("a no-op up costs no request", () => {
  expect(provider.steps.noop.requests).toBe(0);
});

test("one changed value, refresh and destroy cost what the targets allow", () => {
  expect(provider.steps.change.byMethod).toEqual({ GET: 1, PUT: 1 });
  // `pulumi refresh` previews first, and the preview reads like the refresh.
  expect(refreshBreakdown(provider.steps.refresh)).toEqual({
    lists: 2 * S,
    keys: 2 * S,
    other: 0,
  });
  expect(provider.steps.destroy.byMethod).toEqual({ DELETE: N });
  expect(provider.providerBytes).toBeGreaterThan(0);
  expect(provider.stateBytesPerSecret).toBeGreaterThan(0);
});

test("the request-count targets are judged met", () => {
  const counted = judge([provider], settings.latencyMs).filter((t) =>
    /^(create = N \+ S|no-op up|refresh)/.test(t.target),
  );
  expect(counted).toHaveLength(3);
  expect(counted.filter((t) => !t.met)).toEqual([]);
});

test("the provider plugin's program costs the same requests", async () => {
  const plugin = await runProviderScenario(bench, N, S, { plugin: true });
  expect(plugin.client).toBe("provider-plugin");
  expect(plugin.steps.create.byMethod).toEqual({ GET: S, PUT: N });
  expect(plugin.steps.noop.requests).toBe(0);
  expect(plugin.steps.destroy.byMethod).toEqual({ DELETE: N });
  expect(plugin.missingAfterCreate).toBe(0);
  // The plugin stores no serialized code in state.
  expect(plugin.providerBytes).toBeUndefined();
});

test("the fixed-cost programs run, and their no-ops send nothing", async () => {
  // The programs the provider scenarios do not already run (the dynamic one is theirs).
  const variants = VARIANTS.filter((v) => v !== "dynamic" && v !== "empty");
  const fixed = await measureFixedCost(bench, [2], () => {}, 1, variants);
  expect(fixed.map((f) => f.variant)).toEqual(variants);
  for (const f of fixed) {
    expect(f.requests).toBe(0);
    expect(f.previewMs).toBeGreaterThan(0);
    expect(f.updateMs).toBeGreaterThan(0);
  }
  // A provider process ran where the program had provider resources.
  expect(fixed.filter((f) => f.hostPeakRssKb).map((f) => f.variant)).toEqual([
    "trivial",
    "plugin",
  ]);
});

test("the baselines send what their models say", async () => {
  const tf = await runTerraformLike(bench, N, S);
  // The real run's counts: create 3 GETs and a PUT per secret after 2 owner look-ups; a plan
  // reads each secret once; a new value is an update in place; destroy reads, then deletes.
  expect(tf.steps.create.byMethod).toEqual({ GET: 3 * N + 2, PUT: N });
  expect(tf.steps.noop.byMethod).toEqual({ GET: N + 1 });
  expect(tf.steps.change.byMethod).toEqual({ GET: N + 1 + 3, PUT: 1 });
  expect(tf.steps.refresh.byMethod).toEqual({ GET: N + 1 });
  expect(tf.steps.destroy.byMethod).toEqual({ GET: N + 3, DELETE: N });
  const gh = await runUnbounded(bench, N, S);
  expect(gh.steps.create.byMethod).toEqual({ GET: S, PUT: N });
  expect(gh.steps.refresh.byMethod).toEqual({ GET: S });
  expect(gh.steps.destroy.byMethod).toEqual({ DELETE: N });
  expect(tf.missingAfterCreate + gh.missingAfterCreate).toBe(0);
});

test("a create-only run under the content-creation limit measures create alone, in repositories of its own", async () => {
  bench.useLimits("content", settings.timeScale);
  try {
    const tf = await runTerraformLike(bench, N, S, { createOnly: true });
    expect(tf.limits).toBe("content");
    expect(tf.steps.create.byMethod).toEqual({ GET: 3 * N + 2, PUT: N });
    expect(tf.steps.noop.skipped).toBe(true);
    expect(tf.steps.destroy.requests).toBe(0);
    expect(tf.missingAfterCreate).toBe(0);
    expect(
      bench.emulator.listSecrets("actions-repo", `acme/content-tf-n${N}-0`),
    ).toHaveLength(N / S);
  } finally {
    bench.useLimits("points", settings.timeScale);
  }
});

test("the organization-secret models send what terraform and gh would, and leave the selection right", async () => {
  const tf = await runTerraformOrg(bench, 3);
  // A data source per repository at every plan; the secret and its selection read back.
  expect(tf.steps.create.byMethod).toEqual({ GET: 3 + 1 + 2, PUT: 1 });
  expect(tf.steps.noop.byMethod).toEqual({ GET: 3 + 2 });
  expect(tf.steps.change.byMethod).toEqual({
    GET: 3 + 2 + 3,
    PUT: 1,
    DELETE: 1,
  });
  const gh = await runGhOrgModel(bench, 3);
  expect(gh.steps.create.byMethod).toEqual({ GET: 1, PUT: 1 });
  expect(gh.steps.destroy.byMethod).toEqual({ DELETE: 1 });
  expect([tf.missingAfterCreate, gh.missingAfterCreate]).toEqual([0, 0]);
  expect([tf.workload, gh.workload]).toEqual(["org", "org"]);
});
