// Extracts from @octokit/openapi the operations the emulator serves, with every component they
// reference, into openapi-subset.json. Why: the full description is 13 MB and jest would parse it
// once per worker; the subset is small, and a test regenerates it in memory and compares it with
// the committed file so it cannot drift from the installed package.
//
// Usage: npx ts-node --transpile-only tools/github-emulator/generate-openapi-subset.ts
import * as fs from "node:fs";
import * as path from "node:path";

export const SUBSET_FILE = path.join(__dirname, "openapi-subset.json");

/** Paths served besides the secrets endpoints: clients resolve names to repository ids with them. */
const EXTRA_PATHS = ["/repos/{owner}/{repo}", "/orgs/{org}/repos"];

/** Documentation prose and examples are dropped: they are most of the size and validate nothing. */
const DROPPED_KEYS = new Set([
  "description",
  "summary",
  "examples",
  "example",
  "x-github",
]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function isServedPath(p: string): boolean {
  // "secrets" also matches /repos/{owner}/{repo}/actions/organization-secrets.
  return p.includes("secrets") || EXTRA_PATHS.includes(p);
}

/** `names` is true inside a `properties` map, where keys are field names (e.g. "description"). */
function strip(value: Json, names = false): Json {
  if (Array.isArray(value)) return value.map((v) => strip(v));
  if (value && typeof value === "object") {
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(value)) {
      if (!names && DROPPED_KEYS.has(k)) continue;
      out[k] = strip(v, !names && k === "properties");
    }
    return out;
  }
  return value;
}

function collectRefs(value: Json, found: Set<string>): void {
  if (Array.isArray(value)) value.forEach((v) => collectRefs(v, found));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string") found.add(v);
      else collectRefs(v, found);
    }
  }
}

/** Builds the subset from a parsed api.github.com.json. Deterministic: paths and components sorted. */
export function buildSubset(spec: { [key: string]: Json }): {
  [key: string]: Json;
} {
  const allPaths = spec.paths as { [p: string]: Json };
  const components = spec.components as {
    [kind: string]: { [name: string]: Json };
  };
  const paths: { [p: string]: Json } = {};
  for (const p of Object.keys(allPaths).filter(isServedPath).sort())
    paths[p] = strip(allPaths[p]);

  // Follow $refs transitively: a schema may reference other schemas.
  const seen = new Set<string>();
  const queue = new Set<string>();
  collectRefs(paths, queue);
  const picked: { [kind: string]: { [name: string]: Json } } = {};
  while (queue.size > 0) {
    const ref = queue.values().next().value as string;
    queue.delete(ref);
    if (seen.has(ref)) continue;
    seen.add(ref);
    const m = /^#\/components\/([^/]+)\/(.+)$/.exec(ref);
    if (!m) throw new Error(`unsupported $ref ${ref}`);
    const [, kind, name] = m;
    const target = components[kind]?.[name];
    if (target === undefined) throw new Error(`dangling $ref ${ref}`);
    const stripped = strip(target);
    (picked[kind] ??= {})[name] = stripped;
    collectRefs(stripped, queue);
  }
  const sortedComponents: { [kind: string]: Json } = {};
  for (const kind of Object.keys(picked).sort()) {
    const byName: { [name: string]: Json } = {};
    for (const name of Object.keys(picked[kind]).sort())
      byName[name] = picked[kind][name];
    sortedComponents[kind] = byName;
  }
  const info = spec.info as { [key: string]: Json };
  return {
    openapi: spec.openapi,
    info: { title: info.title, version: info.version },
    "x-source":
      "@octokit/openapi generated/api.github.com.json (secrets paths + repository lookups)",
    paths,
    components: sortedComponents,
  };
}

export function loadPackageSpec(): { [key: string]: Json } {
  const file =
    require.resolve("@octokit/openapi/generated/api.github.com.json");
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

async function main(): Promise<void> {
  const subset = buildSubset(loadPackageSpec());
  // Formatted with the repository's prettier so `prettier --check` stays green.
  const prettier = require("prettier") as typeof import("prettier");
  const text = await prettier.format(JSON.stringify(subset), {
    parser: "json",
  });
  fs.writeFileSync(SUBSET_FILE, text);
  console.log(
    `wrote ${SUBSET_FILE} (${Object.keys(subset.paths as object).length} paths)`,
  );
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
