import {
  runEngine,
  type EngineResult,
  type RunEngineOptions,
} from "../../tools/local-engine";
import { Fixture, type ProgramSpec } from "./fixture";

export const ITEM = "pulumi-nodejs:dynamic:Resource";

/**
 * Runs the engine on a fixture, with no GITHUB_TOKEN inherited from the environment. These
 * tests are about what a deployment applies, so by default without the preview deployment the
 * CLI runs first (`--skip-preview`); the tests of the preview itself pass `skipPreview: false`.
 */
export function run(
  fx: Fixture,
  command: RunEngineOptions["command"],
  extra: Partial<RunEngineOptions> = {},
): Promise<EngineResult> {
  const env = {
    GITHUB_TOKEN: undefined,
    PULUMI_CONFIG_PASSPHRASE: undefined,
    ...extra.env,
  };
  return runEngine({
    command,
    cwd: fx.dir,
    stack: "dev",
    skipPreview: true,
    ...extra,
    env,
  });
}

/** The steps that changed something, as "op name". */
export const ops = (r: EngineResult) =>
  r.steps
    .filter((s) => s.op !== "same")
    .map((s) => `${s.op} ${s.name}${s.error ? " (failed)" : ""}`);

/** Live resources in the state file (the default provider, which the engine adds, left out). */
export const names = (r: EngineResult) =>
  (r.state?.resources ?? [])
    .filter((x) => !x.delete && x.kind !== "provider")
    .map((x) => x.name);

/** Fixtures created through this function are removed after the file's tests. */
export function fixtures(): (
  spec: ProgramSpec,
  config?: Record<string, unknown>,
) => Fixture {
  const made: Fixture[] = [];
  afterAll(() => made.forEach((f) => f.cleanup()));
  return (spec, config) => {
    const fx = new Fixture(spec, config);
    made.push(fx);
    return fx;
  };
}
