// What a partial block's `needs` (blocks.ts) stand for, language by language: the declarations
// the checker puts before the block, so that the block is checked as it reads. A name is an
// import of a module the README documents, the program's `config`, a class of this package, or
// else a value the program reads from stack config as a secret.
import * as fs from "node:fs";
import * as path from "node:path";
import { repositoryRoot } from "../../tools/pulumi-cli";
import type { Block } from "./blocks";

export interface Source {
  /** The file to check: the prelude, the block, and what closes the prelude. */
  text: string;
  /** Lines before the block's first line: a diagnostic on line n of `text` is the block's n - offset. */
  offset: number;
  /** What each needed name was declared as, for the inventory. */
  declared: Record<string, string>;
}

/** Declarations in dependency order: a name's own needs come first. */
function resolve(
  block: Block,
  declare: (name: string) => { code: string; needs?: string[] },
): { lines: string[]; declared: Record<string, string> } {
  const lines: string[] = [];
  const declared: Record<string, string> = {};
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const declaration = declare(name);
    for (const need of declaration.needs ?? []) visit(need);
    declared[name] = declaration.code;
    lines.push(declaration.code);
  };
  for (const name of block.marker.needs) visit(name);
  return { lines, declared };
}

const capitalized = (name: string) => /^[A-Z]/.test(name);

/**
 * TypeScript: `pulumi`, `github` (@pulumi/github), `secrets` (the plugin's SDK,
 * `pulumi-github-secrets/native`), `config`; a capitalized name is a class of
 * `pulumi-github-secrets`; any other is `config.requireSecret("<name>")`.
 */
export function typescriptSource(block: Block): Source {
  const { lines, declared } = resolve(block, (name) => {
    switch (name) {
      case "pulumi":
        return { code: `import * as pulumi from "@pulumi/pulumi";` };
      case "github":
        return { code: `import * as github from "@pulumi/github";` };
      case "secrets":
        return {
          code: `import * as secrets from "pulumi-github-secrets/native";`,
        };
      case "config":
        return {
          code: "const config = new pulumi.Config();",
          needs: ["pulumi"],
        };
      default:
        return capitalized(name)
          ? { code: `import { ${name} } from "pulumi-github-secrets";` }
          : {
              code: `const ${name} = config.requireSecret("${name}");`,
              needs: ["config"],
            };
    }
  });
  // Imports first, as TypeScript wants them before the statements that use them.
  const imports = lines.filter((l) => l.startsWith("import "));
  const rest = lines.filter((l) => !l.startsWith("import "));
  const before = [...imports, ...rest];
  return {
    // `export {}`: every block is a module of its own, even one without an import.
    text: `${before.join("\n")}${before.length ? "\n" : ""}${block.code}\nexport {};\n`,
    offset: before.length,
    declared,
  };
}

/**
 * Python: `pulumi`, `secrets` (pulumi_github_secrets), `config`; a capitalized name is a class of
 * pulumi_github_secrets; any other is `config.require_secret("<name>")`.
 */
export function pythonSource(block: Block): Source {
  const { lines, declared } = resolve(block, (name) => {
    switch (name) {
      case "pulumi":
        return { code: "import pulumi" };
      case "secrets":
        return { code: "import pulumi_github_secrets as secrets" };
      case "config":
        return { code: "config = pulumi.Config()", needs: ["pulumi"] };
      default:
        return capitalized(name)
          ? { code: `from pulumi_github_secrets import ${name}` }
          : {
              code: `${name} = config.require_secret("${name}")`,
              needs: ["config"],
            };
    }
  });
  return {
    text: `${lines.join("\n")}${lines.length ? "\n" : ""}${block.code}\n`,
    offset: lines.length,
    declared,
  };
}

/** The Go SDK's import path: sdk/go's module and its package, githubsecrets. */
export const goSdkImport = `${
  /^module\s+(\S+)/m.exec(
    fs.readFileSync(path.join(repositoryRoot, "sdk", "go", "go.mod"), "utf8"),
  )![1]!
}/githubsecrets`;

const goImports: Record<string, string> = {
  pulumi: "github.com/pulumi/pulumi/sdk/v3/go/pulumi",
  config: "github.com/pulumi/pulumi/sdk/v3/go/pulumi/config",
  githubsecrets: goSdkImport,
};

/**
 * Go: `pulumi`, `config` (pulumi/config) and `githubsecrets` are imports. A block without a
 * `package` clause is statements, as Pulumi's Go examples show them: the body of `main`.
 */
export function goSource(block: Block): Source {
  const declared: Record<string, string> = {};
  for (const name of block.marker.needs) {
    const path = goImports[name];
    if (!path)
      throw new Error(
        `needs ${name}: the Go prelude knows ${Object.keys(goImports).join(", ")} (tests/readme/preludes.ts)`,
      );
    declared[name] = `import "${path}"`;
  }
  const imports = Object.values(declared);
  if (/^package\s+\w+/m.test(block.code)) {
    if (imports.length)
      throw new Error(
        "a Go block with a package clause declares its own imports: it needs nothing",
      );
    return { text: `${block.code}\n`, offset: 0, declared };
  }
  const before = ["package main", ...imports, "func main() {"];
  return {
    text: `${before.join("\n")}\n${block.code}\n}\n`,
    offset: before.length,
    declared,
  };
}
