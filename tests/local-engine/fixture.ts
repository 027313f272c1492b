// A throwaway Pulumi program for the engine tests. Its resources are described by spec.json (so a
// test edits the program by rewriting that file), and its dynamic provider keeps its "cloud" in
// remote.json and logs every call to calls.log, both beside the program.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface ItemSpec {
  name: string;
  value: string;
  /** Changing the key replaces the item. */
  key?: string;
  secret?: boolean;
  /** The provider asks for delete-before-replace. */
  dbr?: boolean;
  fail?: "check" | "create" | "update" | "partial";
  dependsOn?: string[];
  /** Milliseconds create/update take (to observe parallelism). */
  delay?: number;
}

export interface ProgramSpec {
  items: ItemSpec[];
  /** A @pulumi/github Repository whose repoId feeds item `repoItem`. */
  repo?: string;
  exportSecret?: boolean;
}

const PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import * as github from "@pulumi/github";
import * as fs from "fs";
import * as path from "path";

const logFile = path.join(__dirname, "calls.log");
const remoteFile = path.join(__dirname, "remote.json");

function log(line: string) {
  require("fs").appendFileSync(logFile, line + "\\n");
}
function load(): Record<string, any> {
  const f = require("fs");
  return f.existsSync(remoteFile) ? JSON.parse(f.readFileSync(remoteFile, "utf8")) : {};
}
function store(remote: Record<string, any>) {
  require("fs").writeFileSync(remoteFile, JSON.stringify(remote));
}
function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
function digest(v: string) {
  return require("crypto").createHash("sha256").update("salt:" + v).digest("hex");
}

const provider: pulumi.dynamic.ResourceProvider & { token?: string } = {
  async configure(req: pulumi.dynamic.ConfigureRequest) {
    this.token = req.config.get("github:token");
  },
  async check(_olds: any, news: any) {
    if (news.fail === "check") return { inputs: news, failures: [{ property: "value", reason: "is not acceptable" }] };
    return { inputs: news };
  },
  async diff(_id: string, olds: any, news: any) {
    const replaces = olds.key !== news.key ? ["key"] : [];
    const changes = replaces.length > 0 || olds.digest !== digest(String(news.value)) || olds.upstream !== news.upstream;
    return { changes, replaces, deleteBeforeReplace: news.dbr === true };
  },
  async create(inputs: any) {
    log("create-start " + inputs.key);
    await sleep(inputs.delay || 0);
    if (inputs.fail === "create") throw new Error("create exploded for " + inputs.key);
    const id = "id-" + inputs.key;
    const outs = { ...inputs, digest: digest(String(inputs.value)), hasToken: this.token !== undefined };
    if (inputs.fail === "partial") {
      throw Object.assign(new Error("half created " + inputs.key), { id, properties: outs });
    }
    const remote = load();
    remote[id] = { value: inputs.value };
    store(remote);
    log("create-end " + inputs.key);
    return { id, outs };
  },
  async update(id: string, _olds: any, news: any) {
    log("update " + news.key);
    await sleep(news.delay || 0);
    if (news.fail === "update") throw new Error("update exploded for " + news.key);
    const remote = load();
    remote[id] = { value: news.value };
    store(remote);
    return { outs: { ...news, digest: digest(String(news.value)), hasToken: this.token !== undefined } };
  },
  async read(id: string, props: any) {
    log("read " + id);
    const remote = load()[id];
    if (!remote) return { id: "", props: {} };
    const { digest: _d, hasToken: _h, ...inputs } = props;
    return { id, props: { ...props, value: remote.value, digest: digest(String(remote.value)) }, inputs: { ...inputs, value: remote.value } };
  },
  async delete(id: string) {
    log("delete " + id);
    const remote = load();
    delete remote[id];
    store(remote);
  },
};

class Item extends pulumi.dynamic.Resource {
  declare readonly value: pulumi.Output<string>;
  declare readonly digest: pulumi.Output<string>;
  constructor(name: string, args: Record<string, pulumi.Input<any>>, opts?: pulumi.CustomResourceOptions) {
    super(provider, name, { digest: undefined, hasToken: undefined, ...args }, opts);
  }
}

const spec = JSON.parse(fs.readFileSync(path.join(__dirname, "spec.json"), "utf8"));
const made: Record<string, Item> = {};
let repoId: pulumi.Output<number> | undefined;
if (spec.repo) repoId = new github.Repository("repo", { name: spec.repo }).repoId;
for (const r of spec.items) {
  const deps = (r.dependsOn || []).map((n: string) => made[n]);
  const upstream = r.dependsOn ? made[r.dependsOn[0]].id : r.name === "repoItem" && repoId ? repoId.apply(String) : "";
  made[r.name] = new Item(
    r.name,
    {
      key: r.key || r.name,
      value: r.secret ? pulumi.secret(r.value) : r.value,
      dbr: r.dbr || false,
      fail: r.fail || "",
      delay: r.delay || 0,
      upstream,
    },
    { dependsOn: deps, additionalSecretOutputs: ["digest"] },
  );
}
export const count = spec.items.length;
export const first = spec.items.length ? made[spec.items[0].name].value : undefined;
export const firstId = spec.items.length ? made[spec.items[0].name].id : undefined;
export const secretOut = spec.exportSecret ? pulumi.secret("exported-secret-value") : undefined;
`;

export class Fixture {
  readonly dir: string;

  constructor(spec: ProgramSpec, stackConfig: Record<string, unknown> = {}) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "local-engine-"));
    // A real project has its own node_modules; link the repository's.
    fs.symlinkSync(
      path.resolve(__dirname, "../../node_modules"),
      path.join(this.dir, "node_modules"),
    );
    fs.writeFileSync(
      path.join(this.dir, "Pulumi.yaml"),
      "name: fixture\nruntime: nodejs\n",
    );
    fs.writeFileSync(path.join(this.dir, "index.ts"), PROGRAM);
    this.setConfig(stackConfig);
    this.setSpec(spec);
  }

  setSpec(spec: ProgramSpec): void {
    fs.writeFileSync(path.join(this.dir, "spec.json"), JSON.stringify(spec));
  }

  setConfig(config: Record<string, unknown>, stack = "dev"): void {
    const lines = Object.entries(config).map(
      ([k, v]) => `  ${k}: ${JSON.stringify(v)}`,
    );
    fs.writeFileSync(
      path.join(this.dir, `Pulumi.${stack}.yaml`),
      `config:\n${lines.join("\n")}\n`,
    );
  }

  /** Provider calls logged since the last call of `calls()`. */
  calls(): string[] {
    const file = path.join(this.dir, "calls.log");
    if (!fs.existsSync(file)) return [];
    const lines = fs.readFileSync(file, "utf8").split("\n").filter(Boolean);
    fs.rmSync(file);
    return lines;
  }

  remote(): Record<string, { value: string }> {
    const file = path.join(this.dir, "remote.json");
    return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
  }

  setRemote(remote: Record<string, { value: string }>): void {
    fs.writeFileSync(
      path.join(this.dir, "remote.json"),
      JSON.stringify(remote),
    );
  }

  stateFile(stack = "dev"): string {
    return path.join(this.dir, ".pulumi-local", "stacks", `${stack}.json`);
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
