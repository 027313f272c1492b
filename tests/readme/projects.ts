// TypeScript projects laid out as users' Pulumi projects are, with the packed package installed
// (tests/support/packed.ts), type-checked by the TypeScript compiler's own API: one program per
// project, so every README block of a layout costs one check of @pulumi/pulumi's types, not one each.
import * as fs from "node:fs";
import * as path from "node:path";
import type * as ts from "typescript";
import { repositoryRoot } from "../../tools/pulumi-cli";
import {
  installPacked,
  scratchProject,
  type InstallOptions,
} from "../support/packed";

/**
 * The compilerOptions of the tsconfig.json that `pulumi new typescript` writes
 * (pulumi/templates, typescript/tsconfig.json), but for the module settings. Left as they are:
 * no `skipLibCheck`, no `types`, no `esModuleInterop`.
 */
const template = {
  strict: true,
  outDir: "bin",
  target: "es2020",
  sourceMap: true,
  experimentalDecorators: true,
  pretty: true,
  noFallthroughCasesInSwitch: true,
  noImplicitReturns: true,
  forceConsistentCasingInFileNames: true,
};

export interface Layout {
  /** Short name, used in test names and folder names. */
  name: string;
  what: string;
  compilerOptions: Record<string, unknown>;
  /** package.json's `type`: an ES module program, else CommonJS. */
  esm?: boolean;
}

/** Until March 2026 (pulumi/templates#1080), and in most existing infrastructure repositories. */
export const commonjsNode: Layout = {
  name: "commonjs+node",
  what: 'the older `pulumi new typescript` tsconfig ("module": "commonjs", "moduleResolution": "node", i.e. node10)',
  compilerOptions: {
    ...template,
    module: "commonjs",
    moduleResolution: "node",
  },
};

/** Since March 2026 (pulumi/templates#1080). */
export const nodenext: Layout = {
  name: "nodenext",
  what: 'the current `pulumi new typescript` tsconfig ("module": "nodenext", "moduleResolution": "nodenext"), a CommonJS program',
  compilerOptions: {
    ...template,
    module: "nodenext",
    moduleResolution: "nodenext",
  },
};

/** The current template in an ES module program. */
export const nodenextEsm: Layout = {
  name: "nodenext-esm",
  what: 'the current template in an ES module program (package.json "type": "module")',
  compilerOptions: nodenext.compilerOptions,
  esm: true,
};

/** The README's two layouts: what `pulumi new typescript` wrote before and after March 2026. */
export const templateLayouts = [commonjsNode, nodenext];

/** Every resolution a program may use: both templates, node16, and ES module programs. */
export const everyLayout: Layout[] = [
  commonjsNode,
  {
    name: "node16",
    what: '"module": "node16", "moduleResolution": "node16", a CommonJS program',
    compilerOptions: {
      ...template,
      module: "node16",
      moduleResolution: "node16",
    },
  },
  nodenext,
  nodenextEsm,
  {
    name: "bundler-esm",
    what: '"module": "esnext", "moduleResolution": "bundler", an ES module program',
    compilerOptions: {
      ...template,
      module: "esnext",
      moduleResolution: "bundler",
    },
    esm: true,
  },
];

export interface Project {
  dir: string;
  /** The packed package's folder inside the project's node_modules. */
  packageDir: string;
  layout: Layout;
}

export interface ProjectOptions {
  /** Packages of this repository's node_modules the program imports besides the package. */
  alongside?: string[];
  editPackageJson?: InstallOptions["editPackageJson"];
}

/** A project of `layout` with the packed package installed; sources are added by `typecheck`. */
export function project(layout: Layout, options: ProjectOptions = {}): Project {
  const dir = scratchProject(`readme-${layout.name.replace(/\W/g, "-")}`);
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({
      name: "program",
      main: "index.ts",
      ...(layout.esm ? { type: "module" } : {}),
    }),
  );
  const packageDir = installPacked(dir, {
    // As `pulumi new typescript` installs them: @types/node and typescript beside the program.
    alongside: ["@types/node", ...(options.alongside ?? [])],
    ...(options.editPackageJson
      ? { editPackageJson: options.editPackageJson }
      : {}),
  });
  return { dir, packageDir, layout };
}

/** A TypeScript compiler of this repository's node_modules: `typescript` or an alias (typescript-5.0). */
export function compiler(name = "typescript"): typeof ts {
  return require(path.join(repositoryRoot, "node_modules", name)) as typeof ts;
}

export interface Checked {
  /** Diagnostics by source file name (relative to the project), and "" for the project's own. */
  diagnostics: Map<string, ts.Diagnostic[]>;
  program: ts.Program;
  ms: number;
}

/**
 * What `typecheck` checks: "all" is `tsc -p` (every library's declarations too: the template has
 * no skipLibCheck); "ours" checks the program's files and the package's declarations fully, and
 * of the other libraries only what they use (about a third of the time: most of it goes to
 * @types/node, @pulumi/pulumi and its gRPC types, which this package does not change).
 */
export type Scope = "all" | "ours";

/**
 * Writes `sources` (file name → text) and a tsconfig.json of the layout listing them, and
 * type-checks the project as `tsc -p` would (options, syntax and semantics), over `scope`.
 */
export function typecheck(
  proj: Project,
  sources: Record<string, string>,
  typescript: typeof ts = compiler(),
  scope: Scope = "all",
): Checked {
  const started = Date.now();
  for (const [name, text] of Object.entries(sources))
    fs.writeFileSync(path.join(proj.dir, name), text);
  const configFile = path.join(proj.dir, "tsconfig.json");
  fs.writeFileSync(
    configFile,
    JSON.stringify(
      {
        compilerOptions: proj.layout.compilerOptions,
        files: Object.keys(sources),
      },
      null,
      2,
    ),
  );
  const read = typescript.readConfigFile(configFile, typescript.sys.readFile);
  const parsed = typescript.parseJsonConfigFileContent(
    read.config,
    typescript.sys,
    proj.dir,
  );
  const program = typescript.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
  });
  const roots = new Set(program.getRootFileNames());
  const ours = (file: ts.SourceFile) =>
    roots.has(file.fileName) ||
    file.fileName.startsWith(`${proj.packageDir}${path.sep}`);
  const semantic =
    scope === "all"
      ? program.getSemanticDiagnostics()
      : program
          .getSourceFiles()
          .filter(ours)
          .flatMap((file) => program.getSemanticDiagnostics(file));
  const diagnostics = new Map<string, ts.Diagnostic[]>();
  for (const diagnostic of [
    ...parsed.errors,
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSyntacticDiagnostics(),
    ...semantic,
  ]) {
    const file = diagnostic.file
      ? path.relative(proj.dir, diagnostic.file.fileName)
      : "";
    diagnostics.set(file, [...(diagnostics.get(file) ?? []), diagnostic]);
  }
  return { diagnostics, program, ms: Date.now() - started };
}

/** `file(line,col): error TS2307: message`, as tsc prints it; `where` may map the place back. */
export function formatDiagnostic(
  typescript: typeof ts,
  diagnostic: ts.Diagnostic,
  where: (file: string, line: number, column: number) => string = (
    file,
    line,
    column,
  ) => `${file}(${line},${column})`,
): string {
  const message = typescript.flattenDiagnosticMessageText(
    diagnostic.messageText,
    "\n",
  );
  if (!diagnostic.file || diagnostic.start === undefined)
    return `error TS${diagnostic.code}: ${message}`;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(
    diagnostic.start,
  );
  return `${where(path.basename(diagnostic.file.fileName), line + 1, character + 1)}: error TS${diagnostic.code}: ${message}`;
}
