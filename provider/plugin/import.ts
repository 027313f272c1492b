// Import: a secret (or a repository selection) named by its resource id alone, as `pulumi import`
// and the `import` resource option give it. The id is the secret's API path (scope.ts
// `secretId`), e.g. repos/acme/api/actions/secrets/DEPLOY_KEY; a selection's adds
// /repositories (the whole list) or /repositories/<id> (one member).
//
// GitHub never reveals a value. An imported secret's state has no digest of one, so the diff
// finds the declared value new and it is written once (with the `import` option, by the update
// that imports it; after `pulumi import`, by the next `pulumi up`); from then on it compares as
// usual.

import { accountOf } from "../context";
import {
  kinds,
  selectionKinds,
  type SecretKind,
  type SelectionKind,
} from "../kinds";
import type { ProcessContext } from "../process";
import { describeSecret, scopeOf, secretId, type Scope } from "../scope";
import { newSalt } from "../seal";
import type { SecretState } from "../types";

export interface Imported {
  id: string;
  outputs: Record<string, unknown>;
  inputs: Record<string, unknown>;
}

/** The scope and name an id names for a kind, or why it names none. */
function parseSecretId(
  kind: SecretKind,
  id: string,
  suffix: { pattern: string; text: string } = { pattern: "", text: "" },
): { scope: Scope; secretName: string; rest: string[] } {
  const template = kind.collection.replace(/^\//, "");
  const params: string[] = [];
  const pattern = template.replace(/\{(\w+)\}/g, (_, param: string) => {
    params.push(param);
    return "([^/]+)";
  });
  const match = new RegExp(`^${pattern}/([^/]+)${suffix.pattern}$`).exec(id);
  if (!match) {
    const example = template.replace(/\{(\w+)\}/g, (_, p: string) =>
      p.toUpperCase(),
    );
    throw new Error(
      `${kind.name}: the import id must be the secret's API path, ${example}/SECRET_NAME${suffix.text} (got an id of another shape)`,
    );
  }
  const args: Record<string, string> = {};
  params.forEach((param, i) => {
    const key = kind.scope.find((k) => k.param === param)!;
    args[key.arg] = decodeURIComponent(match[i + 1]!);
  });
  return {
    scope: scopeOf(kind, args),
    secretName: decodeURIComponent(match[params.length + 1]!).toUpperCase(),
    rest: match.slice(params.length + 2),
  };
}

async function importSecret(
  context: ProcessContext,
  kind: SecretKind,
  id: string,
): Promise<Imported> {
  const { scope, secretName } = parseSecretId(kind, id);
  const account = accountOf({});
  const api = context.api(account);
  const listed = await api.find(scope, secretName);
  if (!listed)
    throw new Error(
      `cannot import ${describeSecret(scope, secretName)}: it does not exist on ${context.apiHost(account)}`,
    );
  const key = await api.publicKey(scope);
  const outputs: SecretState & Record<string, unknown> = {
    ...scope.args,
    apiHost: context.apiHost(account),
    secretName,
    keyId: key.keyId,
    createdAt: listed.created_at,
    updatedAt: listed.updated_at,
    // Counted as this provider's last write: refresh reports later changes as drift.
    writtenAt: listed.updated_at,
    userSealed: false,
    // No digest of a value: it is not known, so the diff finds the declared one new, once.
    valueDigest: "",
    digestSalt: newSalt(),
  };
  const inputs: Record<string, unknown> = { ...scope.args, secretName };
  if (kind.visibility && listed.visibility) {
    outputs.visibility = listed.visibility;
    inputs.visibility = listed.visibility;
  }
  if (
    kind.selectedRepositories &&
    (!kind.visibility || listed.visibility === "selected")
  ) {
    const selected = await api.selectedRepositoryIds(scope, secretName);
    outputs.selectedRepositoryIds = selected;
    inputs.selectedRepositoryIds = selected;
  }
  context.log(
    `imported ${describeSecret(scope, secretName)}: GitHub never reveals a value, so the value the program declares is written once (in this update, or the next \`pulumi up\` after \`pulumi import\`)`,
  );
  return { id: secretId(scope, secretName), outputs, inputs };
}

async function importSelection(
  context: ProcessContext,
  selection: SelectionKind,
  id: string,
): Promise<Imported> {
  const member = selection.owns === "member";
  const { scope, secretName, rest } = parseSecretId(
    selection.secret,
    id,
    member
      ? { pattern: "/repositories/(\\d+)", text: "/repositories/REPOSITORY_ID" }
      : { pattern: "/repositories", text: "/repositories" },
  );
  const ids = member ? "repositoryId" : "selectedRepositoryIds";
  const props: Record<string, unknown> = {
    ...scope.args,
    secretName,
    apiHost: context.apiHost(undefined),
    ...(member ? { repositoryId: Number(rest[0]) } : {}),
  };
  const read = await context.lifecycle(selection.name).read!(
    id,
    props as never,
  );
  if (!read.id)
    throw new Error(
      `cannot import the repository selection of ${describeSecret(scope, secretName)}${member ? ` (repository ${String(rest[0])})` : ""}: it does not exist`,
    );
  const outputs = read.props as Record<string, unknown>;
  return {
    id,
    outputs,
    inputs: { ...scope.args, secretName, [ids]: outputs[ids] },
  };
}

/** What Read answers for an import: the resource's outputs and the inputs that declare it. */
export function importedSecret(
  context: ProcessContext,
  typeName: string,
  id: string,
): Promise<Imported> {
  const kind = (kinds as Record<string, SecretKind>)[typeName];
  if (kind) return importSecret(context, kind, id);
  const selection = selectionKinds.get(typeName);
  if (selection) return importSelection(context, selection, id);
  return Promise.reject(
    new Error(`${typeName} cannot be imported (it is not a secret kind)`),
  );
}
