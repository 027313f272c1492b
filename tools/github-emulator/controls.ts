// What a test holds of a running emulator: its options and its in-process controls. Types only,
// shared by the server (emulator.ts) and the controls served over HTTP (inspection.ts).
import type { AppSpec } from "./apps";
import type { FamilyId } from "./families";
import type { Fault, FaultOptions } from "./faults";
import type { RateLimitOptions, RateLimitStats } from "./limits";
import type { LogEntry, LogSummary } from "./log";
import type { ScopeSelector } from "./scopes";
import type { SchemaViolation } from "./server";
import type { Visibility } from "./store";
import type {
  Repository,
  RepositorySpec,
  TokenSpec,
  World,
  WorldSpec,
} from "./world";

export interface EmulatorOptions {
  /** 0 (default): a free port. */
  port?: number;
  /** Served under this prefix, e.g. "/api/v3" like GitHub Enterprise Server. Default "". */
  pathPrefix?: string;
  /** Default: DEFAULT_WORLD. */
  world?: WorldSpec;
  /** Adds a write-capable token for the first user (or replaces nothing if it exists). */
  token?: string;
  /** Old GHES: environment secrets only at /repositories/{repository_id}/environments/…. */
  legacyEnvironmentSecrets?: boolean;
  /** Serve the test controls over HTTP under `<url>/_emulator/`. Off by default. */
  inspection?: boolean;
  /** Fixed delay before every API request is handled (benchmarks). */
  latencyMs?: number;
  faults?: FaultOptions;
  rateLimits?: RateLimitOptions;
  /** GitHub Apps: their installations mint tokens at POST /app/installations/{id}/access_tokens. */
  apps?: AppSpec[];
  /** Accepted X-GitHub-Api-Version values (default 2022-11-28 and 2026-03-10). */
  apiVersions?: string[];
}

export interface SecretView {
  name: string;
  /** The decrypted plaintext the client sealed. */
  value: string;
  /** key_id the value was sealed for (the scope's key at write time). */
  keyId: string;
  /** Millisecond precision; the API reports seconds like GitHub. */
  createdAt: string;
  updatedAt: string;
  visibility?: Visibility;
  selectedRepositoryIds?: number[];
}

export interface Emulator {
  /** Base URL including the path prefix, e.g. http://127.0.0.1:41234 or …/api/v3. */
  url: string;
  port: number;
  /** A token with write permission (follows rotateToken when it is the one rotated). */
  token: string;
  world: World;
  close(): Promise<void>;

  getSecret(
    family: FamilyId,
    scope: ScopeSelector,
    name: string,
  ): SecretView | undefined;
  listSecrets(family: FamilyId, scope: ScopeSelector): SecretView[];
  getPublicKey(
    family: FamilyId,
    scope: ScopeSelector,
  ): { keyId: string; key: string };
  /** New key pair for the scope: the old key_id is refused with 422 afterwards. */
  rotateKey(
    family: FamilyId,
    scope: ScopeSelector,
  ): { keyId: string; key: string };
  /** Out-of-band edit (someone changed it in the UI): new value, updated_at moves forward. */
  editSecret(
    family: FamilyId,
    scope: ScopeSelector,
    name: string,
    change: SecretChange,
  ): SecretView;
  /** Out-of-band delete; false when there was no such secret. */
  deleteSecret(family: FamilyId, scope: ScopeSelector, name: string): boolean;

  addRepository(owner: string, spec: RepositorySpec): Repository;
  addEnvironment(owner: string, repo: string, name: string): void;
  /**
   * Same id, secrets and environments under a new name; the old name redirects (301/307 to
   * /repositories/{id}/…) until a repository is created or renamed into it.
   */
  renameRepository(owner: string, name: string, newName: string): Repository;
  /** To another existing org or user; the old owner/name redirects like a rename. */
  transferRepository(owner: string, name: string, newOwner: string): Repository;

  /** A token for an existing or new user; without `write: false` it may write. */
  addToken(spec: TokenSpec): void;
  /** A new token with the same user and permissions; the old one answers 401 from then on. */
  rotateToken(oldToken: string): string;

  requestLog(): LogEntry[];
  logSummary(): LogSummary;
  resetLog(): void;

  setLatency(ms: number): void;
  setFaults(options: FaultOptions): void;
  failNext(count: number, fault: Fault): void;
  clearFaults(): void;

  setRateLimits(options: RateLimitOptions): void;
  rateLimitStats(): RateLimitStats;

  /** Request bodies refused with 422 and responses that broke the description (should be none). */
  schemaViolations(direction?: SchemaViolation["direction"]): SchemaViolation[];
}

export interface SecretChange {
  value?: string;
  visibility?: Visibility;
  selectedRepositoryIds?: number[];
  /** Default: now, but always at least one second after the previous updated_at, so the change
   * is visible in GitHub's second-precision timestamps. */
  updatedAt?: Date;
}
