// The GitHub that the demo and the end-to-end tests point programs at: the emulator, plus a hook
// that makes `@pulumi/github` resources (faked by the local engine) real there, so a secret
// declared beside a new repository lands in that repository.
import { FAMILIES, type Emulator, type FamilyId } from "../github-emulator";
import type { ResourceHook, StackState } from "../local-engine";
import { kindByName } from "../../provider/kinds";

/**
 * The passphrase of the demo's and the examples' stacks (their secure values are encrypted with
 * Pulumi's passphrase provider): public on purpose, so they run as is.
 */
export const demoPassphrase = "pulumi-github-secrets-demo";

const repositoryType = "github:index/repository:Repository";
const environmentType =
  "github:index/repositoryEnvironment:RepositoryEnvironment";

export function emulatedGitHub(emulator: Emulator): ResourceHook {
  return (event) => {
    const owner = event.config["github:owner"] ?? "acme";
    // A repository renamed in the program is renamed on GitHub, which then redirects its old
    // name; @pulumi/github updates the name in place.
    if (
      event.op === "update" &&
      event.type === repositoryType &&
      event.olds?.name !== event.inputs.name
    ) {
      const renamed = emulator.renameRepository(
        owner,
        String(event.olds?.name),
        String(event.inputs.name),
      );
      return { outputs: { repoId: renamed.id } };
    }
    if (event.op !== "create") return undefined;
    if (event.type === repositoryType) {
      const name = String(event.inputs.name);
      const existing = emulator.world.repository(owner, name);
      const repository =
        existing ??
        emulator.addRepository(owner, {
          name,
          private: event.inputs.visibility !== "public",
        });
      return { outputs: { repoId: repository.id } };
    }
    if (event.type === environmentType) {
      emulator.addEnvironment(
        owner,
        String(event.inputs.repository),
        String(event.inputs.environment),
      );
    }
    return undefined;
  };
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

/**
 * Every secret resource in a stack's state, compared with what the emulator decrypted. The
 * expected values come from the caller (who knows the program); values are never returned.
 */
export function checkSecrets(
  emulator: Emulator,
  state: StackState | undefined,
  expected: (resourceName: string) => string | undefined,
): SecretCheck[] {
  const checks: SecretCheck[] = [];
  for (const resource of state?.resources ?? []) {
    const kind = resource.type.match(
      /^pulumi-nodejs:dynamic\/github-secrets:(\w+)$/,
    )?.[1];
    if (!kind || resource.delete) continue;
    const outputs = resource.outputs as Record<string, string>;
    const scope = [
      outputs.org ?? outputs.owner,
      outputs.repository,
      outputs.environment,
    ]
      .filter(Boolean)
      .join("/");
    const stored = emulator.getSecret(
      familyOf(kind),
      scope,
      outputs.secretName ?? "",
    );
    const want = expected(resource.name);
    checks.push({
      stack: state?.stack ?? "",
      resource: resource.name,
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
