// What the demo and the end-to-end tests prove after each step: every secret resource in a stack's
// real state (`pulumi stack export`) against what the GitHub emulator decrypted. Expected values
// come from the caller (the stack config, as the CLI decrypts it); values are never returned.
import { FAMILIES, type Emulator, type FamilyId } from "../github-emulator";
import { kindByName, kinds } from "../../provider/kinds";

/**
 * The passphrase of the demo's and the examples' stacks (their secure values are encrypted with
 * Pulumi's passphrase provider): public on purpose, so they run as is.
 */
export const demoPassphrase = "pulumi-github-secrets-demo";

/** A resource of `pulumi stack export`'s `deployment.resources`, as far as the proof reads it. */
export interface ExportedResource {
  urn: string;
  type: string;
  id?: string;
  outputs?: Record<string, unknown>;
  inputs?: Record<string, unknown>;
  delete?: boolean;
}

export interface ExportedStack {
  deployment: { resources?: ExportedResource[] };
}

/** The resource's name: the last part of its URN. */
export function nameOf(resource: { urn: string }): string {
  return resource.urn.slice(resource.urn.lastIndexOf("::") + 2);
}

/** The emulator family that serves a kind of the kinds table: the one with the same route. */
export function familyOf(kindName: string): FamilyId {
  const shape = (route: string) => route.replace(/\{[^}]+\}/g, "{}");
  const collection = shape(kindByName(kindName).collection);
  const family = FAMILIES.find(
    (candidate) => shape(candidate.basePath) === collection,
  );
  if (!family) throw new Error(`the emulator serves no family for ${kindName}`);
  return family.id;
}

/**
 * The secret kind (a row of the kinds table) of a resource, from its type token: the dynamic
 * provider's (`pulumi-nodejs:dynamic/github-secrets:RepoSecret`) or the plugin's
 * (`github-secrets:index:RepoSecret`).
 */
export function kindOf(type: string): string | undefined {
  const name = type.match(
    /^(?:pulumi-nodejs:dynamic\/github-secrets|github-secrets:index):(\w+)$/,
  )?.[1];
  return name !== undefined && name in kinds ? name : undefined;
}

export interface SecretCheck {
  stack: string;
  resource: string;
  kind: string;
  secret: string;
  scope: string;
  /** The value GitHub decrypted equals the program's value. */
  matches: boolean;
  present: boolean;
}

/** Every secret resource (not selections or prune) of an exported stack, compared with GitHub's. */
export function checkSecrets(
  emulator: Emulator,
  stack: string,
  exported: ExportedStack,
  expected: (resourceName: string) => string | undefined,
): SecretCheck[] {
  const checks: SecretCheck[] = [];
  for (const resource of exported.deployment.resources ?? []) {
    const kind = kindOf(resource.type);
    if (!kind || resource.delete) continue;
    const outputs = (resource.outputs ?? {}) as Record<string, string>;
    // A user's secret (Codespaces) names no scope: it is the token's own user's.
    const scope =
      [outputs.org ?? outputs.owner, outputs.repository, outputs.environment]
        .filter(Boolean)
        .join("/") || emulator.world.tokens.get(emulator.token)!.login;
    const stored = emulator.getSecret(
      familyOf(kind),
      scope,
      outputs.secretName ?? "",
    );
    const want = expected(nameOf(resource));
    checks.push({
      stack,
      resource: nameOf(resource),
      kind,
      secret: outputs.secretName ?? "",
      scope,
      present: stored !== undefined,
      matches:
        stored !== undefined && want !== undefined && stored.value === want,
    });
  }
  return checks;
}
