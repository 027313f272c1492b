// A throwaway Pulumi program for the engine tests. Its resources are described by spec.json (so a
// test edits the program by rewriting that file), and its dynamic provider keeps its "cloud" in
// remote.json and logs every call to calls.log, both beside the program; configure and check
// go to engine.log (process, config seen, olds given, timing), for the engine-semantics tests.
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
  /** Milliseconds check takes (to observe that checks never overlap). */
  checkDelay?: number;
  /** The provider's diff answers "unknown" (changes undefined) unless it replaces. */
  diffUnknown?: boolean;
  opts?: ItemOptions;
}

/** Resource options, by item and component names. */
export interface ItemOptions {
  /** A component of `components`. */
  parent?: string;
  protect?: boolean;
  retainOnDelete?: boolean;
  /** Another item. */
  deletedWith?: string;
  /** Other items. */
  replaceWith?: string[];
  replacementTrigger?: string;
  replaceOnChanges?: string[];
  ignoreChanges?: string[];
  import?: string;
  deleteBeforeReplace?: boolean;
  /** An alias URN, or a spec: `parent` a component's name, or null for the stack root. */
  aliases?: (string | { name?: string; parent?: string | null })[];
}

export interface ComponentSpec {
  name: string;
  parent?: string;
}

export interface ProgramSpec {
  items: ItemSpec[];
  /** Components (type fixture:index:Group), created before the items, in order. */
  components?: ComponentSpec[];
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
const engineLogFile = path.join(__dirname, "engine.log");
const remoteFile = path.join(__dirname, "remote.json");

function log(line: string) {
  require("fs").appendFileSync(logFile, line + "\\n");
}
function engineLog(line: string) {
  require("fs").appendFileSync(engineLogFile, line + "\\n");
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
    engineLog("configure " + process.pid + " " + (req.config.get("fixture:marker") ?? "-"));
  },
  async check(olds: any, news: any) {
    engineLog("check-start " + news.key + (Object.keys(olds).length ? " olds" : " no-olds"));
    await sleep(news.checkDelay || 0);
    engineLog("check-end " + news.key);
    if (news.fail === "check") return { inputs: news, failures: [{ property: "value", reason: "is not acceptable" }] };
    return { inputs: news };
  },
  async diff(_id: string, olds: any, news: any) {
    const replaces = olds.key !== news.key ? ["key"] : [];
    if (news.diffUnknown && replaces.length === 0) return { replaces };
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

class Group extends pulumi.ComponentResource {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("fixture:index:Group", name, {}, opts);
    this.registerOutputs({});
  }
}

const spec = JSON.parse(fs.readFileSync(path.join(__dirname, "spec.json"), "utf8"));
const groups: Record<string, Group> = {};
for (const c of spec.components || []) groups[c.name] = new Group(c.name, c.parent ? { parent: groups[c.parent] } : {});
const made: Record<string, Item> = {};

function optionsOf(o: any, deps: Item[]): pulumi.CustomResourceOptions {
  const opts: pulumi.CustomResourceOptions = { dependsOn: deps, additionalSecretOutputs: ["digest"] };
  if (o.parent) opts.parent = groups[o.parent];
  if (o.protect) opts.protect = true;
  if (o.retainOnDelete) opts.retainOnDelete = true;
  if (o.deletedWith) opts.deletedWith = made[o.deletedWith];
  if (o.replaceWith) opts.replaceWith = o.replaceWith.map((n: string) => made[n]);
  if (o.replacementTrigger !== undefined) opts.replacementTrigger = o.replacementTrigger;
  if (o.replaceOnChanges) opts.replaceOnChanges = o.replaceOnChanges;
  if (o.ignoreChanges) opts.ignoreChanges = o.ignoreChanges;
  if (o.import) opts.import = o.import;
  if (o.deleteBeforeReplace !== undefined) opts.deleteBeforeReplace = o.deleteBeforeReplace;
  if (o.aliases)
    opts.aliases = o.aliases.map((a: any) =>
      typeof a === "string"
        ? a
        : { ...(a.name ? { name: a.name } : {}), ...("parent" in a ? { parent: a.parent === null ? undefined : groups[a.parent] } : {}) },
    );
  return opts;
}
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
      checkDelay: r.checkDelay || 0,
      diffUnknown: r.diffUnknown || false,
      upstream,
    },
    optionsOf(r.opts || {}, deps),
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

  /** Configure and check calls (engine.log) since the last call of `engineCalls()`. */
  engineCalls(): string[] {
    const file = path.join(this.dir, "engine.log");
    if (!fs.existsSync(file)) return [];
    const lines = fs.readFileSync(file, "utf8").split("\n").filter(Boolean);
    fs.rmSync(file);
    return lines;
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
