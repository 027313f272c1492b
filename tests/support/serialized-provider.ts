// The `__provider` string exactly as Pulumi writes it into state: the real SDK class, run under
// runtime mocks, which serialize the provider for real.
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";

const captured = new Map<string, string>();
let mocked = false;

/** Serialized forwarder of a resource class exported by the SDK, by class name. */
export async function serializedProvider(className: string): Promise<string> {
  const cached = captured.get(className);
  if (cached) return cached;
  if (!mocked) {
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          const kind = args.type.split(":").pop() ?? "";
          if (!captured.has(kind))
            captured.set(kind, String(args.inputs.__provider));
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: (args) => args.inputs,
      },
      "serialize",
      "test",
      false,
    );
    mocked = true;
  }
  const sdk = require("../../sdk") as Record<
    string,
    new (name: string, args: object) => pulumi.CustomResource
  >;
  const cls = sdk[className];
  if (!cls) throw new Error(`the SDK exports no class ${className}`);
  const resource = new cls(`serialize-${className}`, {
    secretName: "X",
    value: "x",
  });
  await new Promise((resolve) => resource.urn.apply(resolve));
  const text = captured.get(className);
  if (!text) throw new Error(`no __provider captured for ${className}`);
  return text;
}

/** The repository root: where `node_modules/pulumi-github-secrets` resolves (see tools/link-self.js). */
export const repositoryRoot = path.resolve(__dirname, "../..");
