// The Pulumi program the benchmark drives: N `RepoSecret`s spread round-robin over S repositories,
// or one `OrgSecret` that S selected repositories may read, in a throwaway folder. What it declares is read from spec.json, so a step of the benchmark
// (change one value) is a rewrite of that file, as a user would edit their program.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface ProgramSpec {
  secrets: number;
  scopes: number;
  /** Repository names are `${repoPrefix}${scope}`. */
  repoPrefix: string;
  /** Secret index → revision of its value (default 0); bumping one changes one value. */
  revisions: Record<number, number>;
  /** Instead of repository secrets: ORG_SECRET (value index 0), visible to these repositories. */
  orgSecret?: { repositories: string[] };
}

/** The organization secret of the "org" workload. */
export const ORG_SECRET = "ORG_SECRET";

/** The value of secret `i` at revision `rev`: deterministic, never printed. */
export function benchValue(i: number, rev: number): string {
  return `bench-value-${i}-r${rev}-${"x".repeat(24)}`;
}

/** Secret `i` lives in scope `i % scopes` and is called SECRET_<i>. */
export function scopeOf(i: number, scopes: number): number {
  return i % scopes;
}

export function secretName(i: number): string {
  return `SECRET_${i}`;
}

/** Which provider the program uses: the dynamic one, or the plugin through the generated SDK. */
export type ProgramProvider = "dynamic" | "plugin";

// Plain TypeScript a user could have written; `benchValue` is repeated here (the program runs in
// its own process and folder) and checked against the exported one by the bench test.
const program = (
  provider: ProgramProvider,
) => `import * as pulumi from "@pulumi/pulumi";
import { OrgSecret, RepoSecret } from "pulumi-github-secrets${provider === "plugin" ? "/native" : ""}";
import * as fs from "fs";
import * as path from "path";

interface Spec {
  secrets: number;
  scopes: number;
  repoPrefix: string;
  revisions: Record<string, number>;
  orgSecret?: { repositories: string[] };
}

const spec: Spec = JSON.parse(fs.readFileSync(path.join(__dirname, "spec.json"), "utf8"));
const value = (i: number, rev: number) => \`bench-value-\${i}-r\${rev}-\${"x".repeat(24)}\`;

for (let i = 0; i < spec.secrets; i++) {
  new RepoSecret(\`secret-\${i}\`, {
    repository: \`\${spec.repoPrefix}\${i % spec.scopes}\`,
    secretName: \`SECRET_\${i}\`,
    value: pulumi.secret(value(i, spec.revisions[String(i)] ?? 0)),
  });
}

if (spec.orgSecret) {
  new OrgSecret("org-secret", {
    secretName: "ORG_SECRET",
    value: pulumi.secret(value(0, spec.revisions["0"] ?? 0)),
    visibility: "selected",
    selectedRepositories: spec.orgSecret.repositories,
  });
}
`;

export class BenchProgram {
  readonly dir: string;

  /**
   * `packageDir`: where `pulumi-github-secrets` comes from (a folder with package.json and bin/);
   * default the repository itself, as `npm run build` left bin/.
   */
  constructor(
    readonly spec: ProgramSpec,
    packageDir?: string,
    provider: ProgramProvider = "dynamic",
  ) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-program-"));
    const repoModules = path.resolve(__dirname, "../node_modules");
    const modules = path.join(this.dir, "node_modules");
    if (!packageDir) {
      // A real project has its own node_modules; link the repository's (it holds
      // pulumi-github-secrets as a link to the repository, see tools/link-self.js).
      fs.symlinkSync(repoModules, modules);
    } else {
      // The repository's packages, but this package from elsewhere (e.g. a clean build of a commit).
      fs.mkdirSync(modules);
      for (const entry of fs.readdirSync(repoModules)) {
        if (entry === "pulumi-github-secrets") continue;
        fs.symlinkSync(
          path.join(repoModules, entry),
          path.join(modules, entry),
        );
      }
      fs.symlinkSync(
        path.resolve(packageDir),
        path.join(modules, "pulumi-github-secrets"),
      );
    }
    // The plugin is this package's plugin/ folder, as a user's Pulumi.yaml names it.
    const plugin = path.resolve(
      packageDir ?? path.join(__dirname, ".."),
      "plugin",
    );
    fs.writeFileSync(
      path.join(this.dir, "Pulumi.yaml"),
      "name: bench\nruntime: nodejs\n" +
        (provider === "plugin"
          ? `plugins:\n  providers:\n    - name: github-secrets\n      path: ${JSON.stringify(plugin)}\n`
          : ""),
    );
    fs.writeFileSync(path.join(this.dir, "Pulumi.dev.yaml"), "config: {}\n");
    fs.writeFileSync(path.join(this.dir, "index.ts"), program(provider));
    this.write();
  }

  /** Gives secret `i` a new value (the next revision). */
  changeValue(i: number): void {
    this.spec.revisions[i] = (this.spec.revisions[i] ?? 0) + 1;
    this.write();
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private write(): void {
    fs.writeFileSync(
      path.join(this.dir, "spec.json"),
      JSON.stringify(this.spec),
    );
  }
}
