// Every documented entry point of the package (the root: the dynamic classes; /native: the SDK of
// the provider plugin; /provider: what the serialized provider requires) resolves, with its
// types, in every module resolution a Pulumi program uses: node10 (the older `pulumi new
// typescript` tsconfig), node16, nodenext (the current one), bundler; from CommonJS and from ES
// module programs; with the lowest and highest TypeScript we claim (README: Install). Checked
// against the package as `npm pack` makes it, installed into a project as a user's.
//
// Regression (issue 24): package.json declared ./native only under `exports`, which node10
// resolution does not read, and a program with the older template failed before anything ran:
// `index.ts(1,26): error TS2307: Cannot find module 'pulumi-github-secrets/native'`.
// `typesVersions` (package.json) maps the subpaths for node10; the first tests pin both the
// error without it and its absence with it.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as ts from "typescript";
import { repositoryRoot } from "../../tools/pulumi-cli";
import {
  commonjsNode,
  compiler,
  everyLayout,
  formatDiagnostic,
  nodenext,
  nodenextEsm,
  project,
  typecheck,
  type Checked,
  type Layout,
  type Project,
  type Scope,
} from "./projects";

jest.setTimeout(120_000);

const entryPoints = [
  {
    specifier: "pulumi-github-secrets",
    types: "bin/sdk/index.d.ts",
    member: "RepoSecret",
  },
  {
    specifier: "pulumi-github-secrets/native",
    types: "bin/native/index.d.ts",
    member: "RepoSecret",
  },
  {
    specifier: "pulumi-github-secrets/provider",
    types: "bin/provider/index.d.ts",
    member: "forward",
  },
] as const;

/** The issue's program: the import of /native on line 1, column 26. */
const nativeProgram = `import * as secrets from "pulumi-github-secrets/native";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
new secrets.RepoSecret("deploy-key", {
  repository: "api",
  secretName: "DEPLOY_KEY",
  value: config.requireSecret("deployKey"),
});
`;

/** Every entry point imported, a member of each used (an import without types fails under strict). */
const everyEntryPoint = `${entryPoints
  .map((e, i) => `import * as entry${i} from "${e.specifier}";`)
  .join("\n")}
export const members: [${entryPoints.map((e, i) => `typeof entry${i}.${e.member}`).join(", ")}] = [${entryPoints
  .map((e, i) => `entry${i}.${e.member}`)
  .join(", ")}];
`;

/** The package.json of the package before the fix. */
const withoutTypesVersions = (manifest: Record<string, unknown>) => {
  delete manifest.typesVersions;
};

const errorsOf = (checked: Checked, typescript = compiler()) =>
  [...checked.diagnostics.values()]
    .flat()
    .map((d) => formatDiagnostic(typescript, d));

describe("the TS2307 of issue 24, in the older template", () => {
  test("without typesVersions, /native fails exactly as users saw it", () => {
    const before = project(commonjsNode, {
      editPackageJson: withoutTypesVersions,
    });
    // The error is the program's: checking it needs no library checked in full.
    expect(
      errorsOf(
        typecheck(before, { "index.ts": nativeProgram }, compiler(), "ours"),
      ).map((error) => error.split("\n")[0]),
    ).toEqual([
      "index.ts(1,26): error TS2307: Cannot find module 'pulumi-github-secrets/native' or its corresponding type declarations.",
    ]);
  });

  test("the package as packed compiles it, every library checked (no skipLibCheck), and every entry point resolves to its declarations", () => {
    const proj = project(commonjsNode);
    const checked = typecheck(proj, {
      "index.ts": nativeProgram,
      "entries.ts": everyEntryPoint,
    });
    expect(errorsOf(checked)).toEqual([]);
    expect(resolved(compiler(), proj, checked)).toEqual(expected);
  });
});

/** Where each entry point resolves from the project's program, relative to the installed package. */
function resolved(
  typescript: typeof ts,
  proj: Project,
  checked: Checked,
): Record<string, string | undefined> {
  const options = checked.program.getCompilerOptions();
  const mode = proj.layout.esm
    ? typescript.ModuleKind.ESNext
    : typescript.ModuleKind.CommonJS;
  return Object.fromEntries(
    entryPoints.map((entry) => {
      const module = typescript.resolveModuleName(
        entry.specifier,
        path.join(proj.dir, "index.ts"),
        options,
        typescript.sys,
        undefined,
        undefined,
        mode,
      ).resolvedModule;
      return [
        entry.specifier,
        module && path.relative(proj.packageDir, module.resolvedFileName),
      ];
    }),
  );
}

/** Inside the installed package (not a copy found further up), its .d.ts. */
const expected = Object.fromEntries(
  entryPoints.map((entry) => [entry.specifier, entry.types]),
);

describe.each(everyLayout)("$name ($what)", (layout) => {
  // The current template as `tsc -p` checks it (every library's declarations too: no
  // skipLibCheck); the other layouts, and the ends of the range README claims, over the program
  // and the package's declarations (projects.ts `Scope`): what could differ there is how a
  // TypeScript version resolves the package (`exports`, `typesVersions`) and reads its declarations.
  // (The older template's full check is the one above.)
  const scope: Scope = layout === nodenext ? "all" : "ours";
  test.each(["typescript", "typescript-5.6", "typescript-6.0"])(
    `%s: every entry point resolves to its declarations and type-checks`,
    (name) => {
      const typescript = compiler(name);
      const proj = project(layoutFor(layout, typescript));
      const checked = typecheck(
        proj,
        { "index.ts": everyEntryPoint },
        typescript,
        name === "typescript" ? scope : "ours",
      );
      expect(errorsOf(checked, typescript)).toEqual([]);
      expect(resolved(typescript, proj, checked)).toEqual(expected);
    },
  );
});

/** TypeScript 6 deprecates node10: an older tsconfig needs `ignoreDeprecations` there, whatever the package. */
function layoutFor(layout: Layout, typescript: typeof ts): Layout {
  return layout.compilerOptions.moduleResolution === "node" &&
    Number(typescript.version.split(".")[0]) >= 6
    ? {
        ...layout,
        compilerOptions: {
          ...layout.compilerOptions,
          ignoreDeprecations: "6.0",
        },
      }
    : layout;
}

test("npm scripts' tsc is the project's TypeScript, not one of the aliases kept for the range above", () => {
  const tsc = fs.realpathSync(
    path.join(repositoryRoot, "node_modules", ".bin", "tsc"),
  );
  expect(path.relative(repositoryRoot, tsc)).toBe(
    path.join("node_modules", "typescript", "bin", "tsc"),
  );
});

describe("at run time, as Node loads the packed package", () => {
  test.each([
    { what: "CommonJS (require)", esm: false },
    { what: "an ES module (import)", esm: true },
  ])("$what: every entry point loads with its members", ({ esm }) => {
    const proj = project(esm ? nodenextEsm : nodenext);
    const script = esm
      ? `${entryPoints.map((e, i) => `import * as entry${i} from "${e.specifier}";`).join("\n")}
console.log(JSON.stringify([${entryPoints.map((e, i) => `typeof entry${i}.${e.member}`).join(", ")}]));`
      : `console.log(JSON.stringify([${entryPoints.map((e) => `typeof require("${e.specifier}").${e.member}`).join(", ")}]));`;
    const printed = execFileSync(
      process.execPath,
      [...(esm ? ["--input-type=module"] : []), "-e", script],
      { cwd: proj.dir, encoding: "utf8" },
    );
    expect(JSON.parse(printed)).toEqual(entryPoints.map(() => "function"));
  });
});
