// What the serialized forwarder requires (as "pulumi-github-secrets/provider") inside the
// provider process: one lifecycle per kind, sharing one client, scheduler and set of caches per
// account.

import type * as dynamic from "@pulumi/pulumi/dynamic";
import { GitHubError, savedCredentialsHint } from "./github";
import { ProcessContext } from "./process";

export {
  kinds,
  kindByName,
  secretOutputs,
  type KindName,
  type SecretKind,
} from "./kinds";
export { checkInputs, maxValueBytes } from "./validate";
export type { SecretInputs, SecretState } from "./types";
export { diffSecret } from "./diff";

const context = new ProcessContext();

/**
 * Called by the engine with the whole stack config (secrets already decrypted). Every kind's
 * forwarder calls it; the config is the same for all, so the last call wins harmlessly.
 */
export async function configure(
  request: dynamic.ConfigureRequest,
): Promise<void> {
  context.configure(request.config);
}

/** The dynamic provider for one kind of secret, by its name in the kinds table. */
export function provider(kindName: string): dynamic.ResourceProvider {
  return context.lifecycle(kindName);
}

const methods = new Set([
  "check",
  "diff",
  "create",
  "read",
  "update",
  "delete",
]);

/**
 * The entry point of the forwarder stored in state (sdk/forwarder.ts): a stable name and
 * signature, whatever this package's internals become.
 */
export async function forward(
  kindName: string,
  method: string,
  args: unknown[],
): Promise<unknown> {
  if (method === "configure")
    return configure(args[0] as dynamic.ConfigureRequest);
  if (!methods.has(method))
    throw new Error(
      `pulumi-github-secrets: the provider has no method "${method}"`,
    );
  const lifecycle = context.lifecycle(kindName) as unknown as Record<
    string,
    (...a: unknown[]) => Promise<unknown>
  >;
  try {
    return await lifecycle[method]!.apply(lifecycle, args);
  } catch (error) {
    // refresh (read) and destroy (delete) run with the credentials saved at the last up.
    const hint =
      (method === "read" || method === "delete") &&
      error instanceof GitHubError &&
      error.status !== undefined
        ? savedCredentialsHint(error.status)
        : undefined;
    throw hint ? (error as GitHubError).advising(hint) : error;
  }
}
