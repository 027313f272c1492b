// Resource options the SDK classes check before registering (not exported to users).

import type * as pulumi from "@pulumi/pulumi";

/**
 * `import` cannot work for a dynamic resource: the engine sends Read without the serialized
 * provider and the dynamic-provider host fails obscurely (pulumi/pulumi#16175). Refused here, at
 * construction, with what works instead: nothing needs importing, since the first `pulumi up`
 * writes the declared value and GitHub's PUT adopts a secret of the same name.
 */
export function refuseImport(
  typeName: string,
  name: string,
  opts: pulumi.CustomResourceOptions | undefined,
  instead: string,
): void {
  if (opts?.import === undefined) return;
  throw new Error(
    `${typeName} "${name}": the import option does not work for dynamic resources (pulumi/pulumi#16175); remove it and ${instead}`,
  );
}
