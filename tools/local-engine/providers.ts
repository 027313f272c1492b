// The default provider of dynamic resources, as the engine keeps it in the state. Its inputs are
// the stack config at the last up, and that saved copy is what `pulumi refresh` and
// `pulumi destroy` (without --run-program) configure the provider with: a token set or rotated
// since is not seen until the next `pulumi up` saves it.
import type { StackConfig } from "./config";
import { makeSecret, unwrapProps } from "./secrets";
import type { StackState, StateResource } from "./state";

export const DYNAMIC_PREFIX = "pulumi-nodejs:dynamic";
export const DEFAULT_PROVIDER_TYPE = "pulumi:providers:pulumi-nodejs";

export function isDynamic(type: string): boolean {
  return type.startsWith(DYNAMIC_PREFIX);
}

/** `…::pulumi:providers:pulumi-nodejs::default` (default_providers.go `defaultProviderURN`). */
export function defaultProviderUrn(stack: string, project: string): string {
  return `urn:pulumi:${stack}::${project}::${DEFAULT_PROVIDER_TYPE}::default`;
}

/** A resource's provider reference, `<urn>::<id>` (providers.NewReference). */
export function providerReference(provider: StateResource): string {
  return `${provider.urn}::${provider.id ?? ""}`;
}

/**
 * The default provider's inputs: for a dynamic provider the *whole* stack config, keys still
 * namespaced, secure values as secrets. Follows pkg/resource/deploy/target.go
 * `(*Target).GetPackageConfig` ("For dynamic providers, we always pass the full configuration").
 */
export function providerInputs(config: StackConfig): Record<string, unknown> {
  const secret = new Set(config.secretKeys);
  const inputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config.values))
    inputs[key] = secret.has(key) ? makeSecret(value) : value;
  return inputs;
}

/** The config saved with the default provider, as Configure wants it (plain strings). */
export function savedProviderConfig(
  state: StackState,
  urn: string,
): Record<string, string> | undefined {
  const provider = state.resources.find((r) => r.urn === urn && !r.delete);
  if (!provider) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(unwrapProps(provider.inputs)))
    out[key] = typeof value === "string" ? value : JSON.stringify(value);
  return out;
}
