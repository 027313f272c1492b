// Deterministic stand-ins for resources of real (non-dynamic) providers: no plugin runs here.
// A `Repository` of @pulumi/github gets what the demo and the tests read from one (id = name, a
// numeric repoId, fullName, URLs); every other type echoes its inputs.
import * as crypto from "node:crypto";
import { UNKNOWN } from "./secrets";

export function fakeResource(
  urn: string,
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  /** The account @pulumi/github would use: github:owner, else GITHUB_OWNER. */
  owner: string,
): { id: string; outputs: Record<string, unknown> } {
  const h = crypto.createHash("sha256").update(urn).digest("hex");
  if (type === "github:index/repository:Repository") {
    const repo =
      typeof inputs.name === "string" && inputs.name !== UNKNOWN
        ? inputs.name
        : name;
    return {
      id: repo,
      outputs: {
        ...inputs,
        name: repo,
        fullName: `${owner}/${repo}`,
        repoId: 100000 + (parseInt(h.slice(0, 8), 16) % 900000000),
        nodeId: `R_${Buffer.from(h.slice(0, 12), "hex").toString("base64url")}`,
        htmlUrl: `https://github.com/${owner}/${repo}`,
        httpCloneUrl: `https://github.com/${owner}/${repo}.git`,
        sshCloneUrl: `git@github.com:${owner}/${repo}.git`,
        gitCloneUrl: `git://github.com/${owner}/${repo}.git`,
        visibility:
          inputs.visibility ?? (inputs.private === true ? "private" : "public"),
        etag: `W/"${h.slice(0, 16)}"`,
      },
    };
  }
  if (type.startsWith("pulumi:providers:")) {
    return {
      id: `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`,
      outputs: { ...inputs },
    };
  }
  return { id: `${name}-${h.slice(0, 8)}`, outputs: { ...inputs } };
}
