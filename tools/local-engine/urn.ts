// URNs and aliases the way the Pulumi engine forms them.

import type { AliasSpec } from "./protocol";

export const STACK_TYPE = "pulumi:pulumi:Stack";

/**
 * `urn:pulumi:<stack>::<project>::<qualified type>::<name>`, where the qualified type is the
 * parent's whole type chain, `$`, then the type (none for the root stack). The parent's name is
 * not part of it, so moving a resource under a parent of another type changes its URN.
 * Follows sdk/go/common/resource/urn.go `NewURN` and pkg/resource/deploy/deployment.go
 * `(*Deployment).generateURN` (which passes the parent's QualifiedType).
 */
export function newUrn(
  stack: string,
  project: string,
  parentUrn: string | undefined,
  type: string,
  name: string,
): string {
  const parentType = parentUrn ? qualifiedType(parentUrn) : "";
  const qualified =
    parentType !== "" && parentType !== STACK_TYPE
      ? `${parentType}$${type}`
      : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** The qualified type of a URN: `a:b:Outer$pulumi-nodejs:dynamic:Resource`. */
export function qualifiedType(urn: string): string {
  return urn.split("::")[2] ?? "";
}

export interface AliasContext {
  stack: string;
  project: string;
  type: string;
  name: string;
  parentUrn: string | undefined;
  /** The old URN a parent was matched by, when it was matched through an alias. */
  oldUrnOf: (urn: string) => string | undefined;
}

/**
 * The URNs a resource's aliases stand for, in order. Missing fields of a spec fall back to the
 * resource's own; a parent matched through an alias stands for its old URN; `noParent` means
 * the root. A child of an aliased parent also answers to its URN under the parent's old URN
 * (the inherited child alias). Follows pkg/resource/deploy/step_generator.go
 * `(*stepGenerator).generateAliases` and `collapseAliasToUrn`.
 */
export function aliasUrns(
  aliases: readonly AliasSpec[],
  ctx: AliasContext,
): string[] {
  const urns: string[] = [];
  const add = (urn: string) => {
    if (!urns.includes(urn)) urns.push(urn);
  };
  for (const alias of aliases) {
    if (alias.urn) {
      add(alias.urn);
      continue;
    }
    let parent = alias.noParent
      ? undefined
      : (alias.parentUrn ?? ctx.parentUrn);
    if (parent && qualifiedType(parent) === STACK_TYPE) parent = undefined;
    if (parent) parent = ctx.oldUrnOf(parent) ?? parent;
    add(
      newUrn(
        alias.stack || ctx.stack,
        alias.project || ctx.project,
        parent,
        alias.type || ctx.type,
        alias.name || ctx.name,
      ),
    );
  }
  const oldParent = ctx.parentUrn ? ctx.oldUrnOf(ctx.parentUrn) : undefined;
  if (oldParent)
    add(newUrn(ctx.stack, ctx.project, oldParent, ctx.type, ctx.name));
  return urns;
}
