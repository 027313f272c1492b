// Runs one Pulumi program inside a child process forked by the engine (with ts-node registered).
// The real @pulumi/pulumi SDK runs the program; its resource monitor is replaced by a small one
// that forwards every registration to the engine over IPC and answers with what the engine says.
import * as path from "node:path";
import type {
  AliasSpec,
  ChildMessage,
  ParentMessage,
  Registration,
} from "./protocol";

const programDir = process.cwd();
const programMain = process.env.LOCAL_ENGINE_MAIN ?? ".";

// Use the SDK the program itself loads, so the monitor we install is the one its resources see.
const pulumiRoot = path.dirname(
  require.resolve("@pulumi/pulumi/package.json", {
    paths: [programDir, __dirname],
  }),
);
const sdk = (m: string) => require(path.join(pulumiRoot, m));
const settings = sdk("runtime/settings");
const stackMod = sdk("runtime/stack");
const resproto = sdk("proto/resource_pb");
const structproto = require(
  require.resolve("google-protobuf/google/protobuf/struct_pb", {
    paths: [pulumiRoot],
  }),
);

function send(msg: ChildMessage): void {
  process.send?.(msg);
}

let seq = 0;
const pending = new Map<number, { resolve: (m: ParentMessage) => void }>();
process.on("message", (msg: ParentMessage) => {
  const p = pending.get(msg.seq);
  if (!p) return;
  pending.delete(msg.seq);
  p.resolve(msg);
});

function ask(reg: Omit<Registration, "seq" | "t">): Promise<ParentMessage> {
  const n = ++seq;
  return new Promise((resolve) => {
    pending.set(n, { resolve });
    send({ t: "register", seq: n, ...reg });
  });
}

// Features as the Pulumi engine answers them, minus resource references and output values: the
// engine then receives plain ids/urns and values, like a dynamic provider does.
const FEATURES = new Set([
  "secrets",
  "deletedWith",
  "replaceWith",
  "aliasSpecs",
]);

type Callback = (err: Error | null, res?: unknown) => void;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Req = any;

/** pulumirpc.Alias → AliasSpec: a URN, or a spec whose blank fields mean "the resource's own". */
function aliasOf(alias: Req): AliasSpec {
  if (alias.hasUrn()) return { urn: alias.getUrn() };
  const spec = alias.getSpec();
  return {
    ...(spec.getName() ? { name: spec.getName() } : {}),
    ...(spec.getType() ? { type: spec.getType() } : {}),
    ...(spec.getStack() ? { stack: spec.getStack() } : {}),
    ...(spec.getProject() ? { project: spec.getProject() } : {}),
    ...(spec.hasParenturn() ? { parentUrn: spec.getParenturn() } : {}),
    ...(spec.hasNoparent() && spec.getNoparent() ? { noParent: true } : {}),
  };
}

const monitor = {
  registerResource(req: Req, cb: Callback) {
    const opt = <T>(fn: () => T, dflt: T): T => {
      try {
        return fn();
      } catch {
        return dflt;
      }
    };
    ask({
      type: req.getType(),
      name: req.getName(),
      parent: req.getParent() || undefined,
      custom: req.getCustom(),
      inputs: (req.getObject()?.toJavaScript() ?? {}) as Record<
        string,
        unknown
      >,
      dependencies: req.getDependenciesList(),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      deleteBeforeReplace: req.getDeletebeforereplacedefined()
        ? req.getDeletebeforereplace()
        : undefined,
      ignoreChanges: req.getIgnorechangesList(),
      replaceOnChanges: req.getReplaceonchangesList(),
      retainOnDelete: opt(
        () => (req.hasRetainondelete() ? req.getRetainondelete() : undefined),
        undefined,
      ),
      protect: opt(
        () => (req.hasProtect() ? req.getProtect() : undefined),
        undefined,
      ),
      aliases: (req.getAliasesList() as Req[]).map(aliasOf),
      importId: req.getImportid() || undefined,
      deletedWith: req.getDeletedwith() || undefined,
      replaceWith: opt(() => req.getReplaceWithList() as string[], []),
      replacementTrigger: opt(
        () => req.getReplacementTrigger()?.toJavaScript(),
        undefined,
      ),
    }).then((msg) => {
      if (msg.t === "failed") {
        cb(Object.assign(new Error(msg.message), { code: 2 }));
        return;
      }
      if (msg.t !== "registered") return;
      const resp = new resproto.RegisterResourceResponse();
      resp.setUrn(msg.urn);
      resp.setId(msg.id);
      resp.setObject(structproto.Struct.fromJavaScript(msg.outputs));
      cb(null, resp);
    }, cb);
  },
  registerResourceOutputs(req: Req, cb: Callback) {
    send({
      t: "outputs",
      urn: req.getUrn(),
      outputs: req.getOutputs()?.toJavaScript() ?? {},
    });
    cb(null, {});
  },
  readResource(req: Req, cb: Callback) {
    cb(
      new Error(
        `local engine: reading an existing resource (${req.getType()}.get) is not supported`,
      ),
    );
  },
  invoke(req: Req, cb: Callback) {
    cb(
      new Error(
        `local engine: provider functions (${req.getTok()}) are not supported`,
      ),
    );
  },
  supportsFeature(req: Req, cb: Callback) {
    cb(null, { getHassupport: () => FEATURES.has(req.getId()) });
  },
  registerPackage(req: Req, cb: Callback) {
    const out = new resproto.RegisterPackageResponse();
    out.setRef(`local-${req.getName()}`);
    cb(null, out);
  },
};

const errors: string[] = [];
const record = (err: unknown) => {
  const msg = err instanceof Error ? err.message : String(err);
  if (!errors.includes(msg)) errors.push(msg);
};
process.on("unhandledRejection", record);
process.on("uncaughtException", record);

async function main(): Promise<void> {
  const env = process.env;
  settings.setMockOptions(
    monitor,
    env.LOCAL_ENGINE_PROJECT,
    env.LOCAL_ENGINE_STACK,
    env.LOCAL_ENGINE_DRY_RUN === "true",
    env.LOCAL_ENGINE_ORGANIZATION,
  );
  try {
    await stackMod.runInPulumiStack(async () => {
      let main = path.resolve(programDir, programMain);
      if (!main.endsWith("/") && !path.extname(main)) main += "/";
      const exported = require(main);
      const value =
        exported &&
        Object.getOwnPropertyDescriptor(exported, "default") !== undefined
          ? exported.default
          : exported;
      return value instanceof Function ? value() : value;
    });
    await settings.waitForRPCs();
  } catch (err) {
    record(err);
  }
  send({ t: "done", errors });
  process.disconnect?.();
}

void main();
