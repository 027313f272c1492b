// Drives @pulumi/pulumi's dynamic-provider host (`cmd/dynamic-provider`), or this package's
// provider plugin (plugin/), over gRPC, the way the Pulumi engine does, so providers can be
// exercised end to end without the Pulumi CLI.
//
// Test and demo tooling only: it speaks just enough of the ResourceProvider protocol for dynamic
// providers (plain values, no secrets, no resource references).
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import type { Struct as StructType } from "google-protobuf/google/protobuf/struct_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";

// The SDK's stubs are generated against the google-protobuf copy nested in @pulumi/pulumi; use the
// same copy so messages nested in requests are instances of the classes the stubs expect.
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const structproto: { Struct: typeof StructType } = require(
  require.resolve("google-protobuf/google/protobuf/struct_pb", {
    paths: [pulumiDir],
  }),
);
const emptyproto: { Empty: new () => object } = require(
  require.resolve("google-protobuf/google/protobuf/empty_pb", {
    paths: [pulumiDir],
  }),
);

/** What Pulumi sends in place of a value not known yet (preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface ProviderHostOptions {
  /** The Pulumi program's folder: bare `require`s of the serialized provider resolve from here. */
  cwd: string;
  /** Project name (`PULUMI_NODEJS_PROJECT`): `config.get("x")` means `<project>:x`. */
  project: string;
  /** Stack name (`PULUMI_NODEJS_STACK`); defaults to "dev". */
  stack?: string;
  /** Organization (`PULUMI_NODEJS_ORGANIZATION`); defaults to "organization". */
  organization?: string;
  /**
   * Environment of the host process, laid over this process's environment. A key set to
   * `undefined` removes the inherited variable.
   */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the host to print its port (ms). Default 30000. */
  startTimeoutMs?: number;
  /** A provider plugin's executable to start instead of the dynamic-provider host. */
  plugin?: string;
}

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface ProviderHost {
  /** Whole stack config, namespaced keys such as "github:token". Call before anything else. */
  configure(config: Record<string, string>): Promise<void>;
  check(
    urn: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }>;
  diff(
    id: string,
    urn: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{
    changes: boolean | undefined;
    replaces: string[];
    deleteBeforeReplace: boolean;
    /** Property → "update", "update-replace"…, when the provider gave a detailed diff. */
    detailedDiff?: Record<string, string>;
  }>;
  /** A plugin's CheckConfig of provider inputs. */
  checkConfig(
    urn: string,
    news: Record<string, unknown>,
  ): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }>;
  getSchema(): Promise<string>;
  getPluginInfo(): Promise<string>;
  create(
    urn: string,
    inputs: Record<string, unknown>,
  ): Promise<{ id: string; outputs: Record<string, unknown> }>;
  /** An empty `id` in the answer means the resource is gone. */
  read(
    id: string,
    urn: string,
    props: Record<string, unknown>,
    inputs?: Record<string, unknown>,
  ): Promise<{
    id: string;
    outputs: Record<string, unknown>;
    inputs?: Record<string, unknown>;
  }>;
  update(
    id: string,
    urn: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ outputs: Record<string, unknown> }>;
  delete(
    id: string,
    urn: string,
    props: Record<string, unknown>,
  ): Promise<void>;
  /** Everything the host process wrote to stdout and stderr so far. */
  output(): string;
  pid: number;
  kill(signal?: NodeJS.Signals): void;
  close(): Promise<void>;
}

/** A failed gRPC call; `partial` is set when create/update reported ErrorResourceInitFailed. */
export class ProviderError extends Error {
  code: number;
  details: string;
  partial?: { id: string; outputs: Record<string, unknown> };

  constructor(
    code: number,
    details: string,
    partial?: { id: string; outputs: Record<string, unknown> },
  ) {
    super(details);
    this.name = "ProviderError";
    this.code = code;
    this.details = details;
    if (partial) this.partial = partial;
  }
}

/** Struct.fromJavaScript rejects `undefined`; drop such fields (and nulls them in lists). */
function plain(value: unknown): unknown {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = plain(v);
    }
    return out;
  }
  return value;
}

function toStruct(obj: Record<string, unknown>): StructType {
  return structproto.Struct.fromJavaScript(
    plain(obj) as Parameters<typeof StructType.fromJavaScript>[0],
  );
}

function fromStruct(s: StructType | undefined): Record<string, unknown> {
  return s ? (s.toJavaScript() as Record<string, unknown>) : {};
}

const INIT_FAILED_TYPE = "pulumirpc.ErrorResourceInitFailed";

function toProviderError(err: grpc.ServiceError): ProviderError {
  let partial: { id: string; outputs: Record<string, unknown> } | undefined;
  const bins = err.metadata?.get("grpc-status-details-bin") ?? [];
  for (const bin of bins) {
    try {
      const status = statusproto.Status.deserializeBinary(
        typeof bin === "string"
          ? Buffer.from(bin, "base64")
          : new Uint8Array(bin),
      );
      for (const any of status.getDetailsList()) {
        if (any.getTypeName() !== INIT_FAILED_TYPE) continue;
        const detail = provproto.ErrorResourceInitFailed.deserializeBinary(
          any.getValue_asU8(),
        );
        partial = {
          id: detail.getId(),
          outputs: fromStruct(detail.getProperties()),
        };
      }
    } catch {
      // Malformed details: report the plain error.
    }
  }
  return new ProviderError(err.code, err.details ?? err.message, partial);
}

type Callback<Res> = (err: grpc.ServiceError | null, res: Res) => void;

function call<Res>(
  start: (cb: Callback<Res>) => grpc.ClientUnaryCall,
): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    start((err, res) => (err ? reject(toProviderError(err)) : resolve(res)));
  });
}

function diffChanges(
  c: provproto.DiffResponse.DiffChanges,
): boolean | undefined {
  if (c === provproto.DiffResponse.DiffChanges.DIFF_SOME) return true;
  if (c === provproto.DiffResponse.DiffChanges.DIFF_NONE) return false;
  return undefined;
}

function buildEnv(opts: ProviderHostOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries({ ...process.env, ...opts.env })) {
    if (v !== undefined) env[k] = v;
  }
  env.PULUMI_NODEJS_PROJECT = opts.project;
  env.PULUMI_NODEJS_STACK = opts.stack ?? env.PULUMI_NODEJS_STACK ?? "dev";
  env.PULUMI_NODEJS_ORGANIZATION =
    opts.organization ?? env.PULUMI_NODEJS_ORGANIZATION ?? "organization";
  env.PULUMI_NODEJS_ROOT_DIRECTORY = opts.cwd;
  return env;
}

function waitForPort(
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
) {
  return new Promise<number>((resolve, reject) => {
    let stdout = "";
    const done = (err?: Error, port?: number) => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
      child.off("error", onError);
      if (err) reject(err);
      else resolve(port as number);
    };
    const onData = (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      const nl = stdout.indexOf("\n");
      if (nl < 0) return;
      const port = Number(stdout.slice(0, nl).trim());
      if (Number.isInteger(port) && port > 0) done(undefined, port);
      else done(new Error(`provider host printed no port:\n${output()}`));
    };
    const onExit = (code: number | null, signal: string | null) =>
      done(
        new Error(
          `provider host exited (${code ?? signal}) before listening:\n${output()}`,
        ),
      );
    const onError = (err: Error) => done(err);
    const timer = setTimeout(
      () =>
        done(
          new Error(`provider host did not print its port in ${timeoutMs} ms`),
        ),
      timeoutMs,
    );
    child.stdout?.on("data", onData);
    child.once("exit", onExit);
    child.once("error", onError);
  });
}

export async function startProviderHost(
  opts: ProviderHostOptions,
): Promise<ProviderHost> {
  const hostMain = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
  // The engine address is required by the host but only used for logging.
  const [command, args] = opts.plugin
    ? [opts.plugin, ["127.0.0.1:1"]]
    : [process.execPath, [hostMain, "127.0.0.1:1"]];
  const child = spawn(command, args, {
    cwd: opts.cwd,
    env: buildEnv(opts),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  // Keep draining both pipes for the host's whole life, or it blocks once a pipe buffer fills.
  child.stdout.on("data", (c: Buffer) => (out += c.toString("utf8")));
  child.stderr.on("data", (c: Buffer) => (out += c.toString("utf8")));
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => resolve()),
  );
  const output = () => out;

  let port: number;
  try {
    port = await waitForPort(child, output, opts.startTimeoutMs ?? 30000);
  } catch (err) {
    child.kill("SIGKILL");
    throw err;
  }

  const client = new provrpc.ResourceProviderClient(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
  );

  const host: ProviderHost = {
    pid: child.pid as number,
    output,

    async configure(config) {
      const req = new provproto.ConfigureRequest();
      req.setArgs(toStruct(config));
      const vars = req.getVariablesMap();
      for (const [k, v] of Object.entries(config)) vars.set(k, v);
      req.setAcceptsecrets(true);
      req.setAcceptresources(true);
      await call<provproto.ConfigureResponse>((cb) =>
        client.configure(req, cb),
      );
    },

    async check(urn, olds, news) {
      const req = new provproto.CheckRequest();
      req.setUrn(urn);
      req.setOlds(toStruct(olds));
      req.setNews(toStruct(news));
      const res = await call<provproto.CheckResponse>((cb) =>
        client.check(req, cb),
      );
      return {
        inputs: fromStruct(res.getInputs()),
        failures: res
          .getFailuresList()
          .map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
      };
    },

    async diff(id, urn, olds, news) {
      const req = new provproto.DiffRequest();
      req.setId(id);
      req.setUrn(urn);
      req.setOlds(toStruct(olds));
      req.setNews(toStruct(news));
      const res = await call<provproto.DiffResponse>((cb) =>
        client.diff(req, cb),
      );
      const kinds = Object.entries(provproto.PropertyDiff.Kind);
      let detailed: Record<string, string> | undefined;
      if (res.getHasdetaileddiff()) {
        detailed = {};
        res.getDetaileddiffMap().forEach((diff, property) => {
          const [name] = kinds.find(([, kind]) => kind === diff.getKind())!;
          detailed![property] = name.toLowerCase().replace("_", "-");
        });
      }
      return {
        changes: diffChanges(res.getChanges()),
        replaces: res.getReplacesList(),
        deleteBeforeReplace: res.getDeletebeforereplace(),
        ...(detailed ? { detailedDiff: detailed } : {}),
      };
    },

    async checkConfig(urn, news) {
      const req = new provproto.CheckRequest();
      req.setUrn(urn);
      req.setNews(toStruct(news));
      const res = await call<provproto.CheckResponse>((cb) =>
        client.checkConfig(req, cb),
      );
      return {
        inputs: fromStruct(res.getInputs()),
        failures: res
          .getFailuresList()
          .map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
      };
    },

    async getSchema() {
      const req = new provproto.GetSchemaRequest();
      const res = await call<provproto.GetSchemaResponse>((cb) =>
        client.getSchema(req, cb),
      );
      return res.getSchema();
    },

    async getPluginInfo() {
      const res = await call<{ getVersion(): string }>((cb) =>
        client.getPluginInfo(new emptyproto.Empty() as never, cb as never),
      );
      return res.getVersion();
    },

    async create(urn, inputs) {
      const req = new provproto.CreateRequest();
      req.setUrn(urn);
      req.setProperties(toStruct(inputs));
      const res = await call<provproto.CreateResponse>((cb) =>
        client.create(req, cb),
      );
      return { id: res.getId(), outputs: fromStruct(res.getProperties()) };
    },

    async read(id, urn, props, inputs) {
      const req = new provproto.ReadRequest();
      req.setId(id);
      req.setUrn(urn);
      req.setProperties(toStruct(props));
      if (inputs) req.setInputs(toStruct(inputs));
      const res = await call<provproto.ReadResponse>((cb) =>
        client.read(req, cb),
      );
      const result: {
        id: string;
        outputs: Record<string, unknown>;
        inputs?: Record<string, unknown>;
      } = { id: res.getId(), outputs: fromStruct(res.getProperties()) };
      if (res.hasInputs()) result.inputs = fromStruct(res.getInputs());
      return result;
    },

    async update(id, urn, olds, news) {
      const req = new provproto.UpdateRequest();
      req.setId(id);
      req.setUrn(urn);
      req.setOlds(toStruct(olds));
      req.setNews(toStruct(news));
      const res = await call<provproto.UpdateResponse>((cb) =>
        client.update(req, cb),
      );
      return { outputs: fromStruct(res.getProperties()) };
    },

    async delete(id, urn, props) {
      const req = new provproto.DeleteRequest();
      req.setId(id);
      req.setUrn(urn);
      req.setProperties(toStruct(props));
      await call<unknown>((cb) => client.delete(req, cb));
    },

    kill(signal) {
      child.kill(signal ?? "SIGTERM");
    },

    async close() {
      client.close();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
  return host;
}
