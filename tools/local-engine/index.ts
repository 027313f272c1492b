// Local engine: test and demo tooling that runs unmodified Pulumi TypeScript programs without the
// Pulumi CLI. See README.md.
export {
  runEngine,
  defaultParallel,
  fakeResource,
  limiter,
  type Command,
  type EngineResult,
  type ResourceEvent,
  type ResourceHook,
  type ResourceHookResult,
  type RunEngineOptions,
  type Step,
  type StepOp,
} from "./engine";
export {
  configEnvName,
  loadProject,
  loadStackConfig,
  GITHUB_ENV,
} from "./config";
export { SIG, SECRET_SIG, UNKNOWN, isSecret, unwrap } from "./secrets";
export { stateDir, type StackState, type StateResource } from "./state";
export { defaultProviderUrn } from "./providers";
