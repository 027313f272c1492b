// Public surface of the GitHub secrets REST API emulator (tests, demo, benchmarks, CLI).
export { startEmulator } from "./emulator";
export type {
  Emulator,
  EmulatorOptions,
  SecretChange,
  SecretView,
} from "./controls";
export type { AppSpec } from "./apps";
export { byIdTemplate, FAMILIES, family } from "./families";
export type { Family, FamilyId, ScopeKind } from "./families";
export type { Fault, FaultOptions } from "./faults";
export type {
  PrimaryLimitOptions,
  RateLimitOptions,
  RateLimitStats,
  SecondaryLimitOptions,
} from "./limits";
export type { LogEntry, LogSummary } from "./log";
export type { ScopeSelector } from "./scopes";
export type { SchemaViolation } from "./server";
export type { Visibility } from "./store";
export { sealForKey } from "./crypto";
export { MAX_SECRET_BYTES } from "./handlers";
export {
  DEFAULT_READONLY_TOKEN,
  DEFAULT_TOKEN,
  DEFAULT_WORLD,
  World,
} from "./world";
export type {
  Owner,
  OwnerSpec,
  Repository,
  RepositorySpec,
  TokenSpec,
  WorldSpec,
} from "./world";
