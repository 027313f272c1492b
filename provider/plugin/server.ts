// The provider plugin `github-secrets`: Pulumi's ResourceProvider gRPC service, served with the
// SDK's own generated stubs, answering for the same lifecycles as the dynamic provider. It is
// served here rather than by `@pulumi/pulumi/provider`'s `main`, whose Configure does not hand
// the provider config on (3.248 and 3.276), and this provider needs its token and owner.
//
// Values reach the lifecycles as the dynamic host hands them over: plain, secrets unwrapped
// (Configure answers acceptSecrets: false, so the engine strips them and marks as secret every
// output named like a secret input), unknowns as Pulumi's sentinel string.

// The SDK's stubs are generated against the gRPC and protobuf copies @pulumi/pulumi depends on:
// the messages and the server must be of the classes the stubs expect. The plugin runs only as
// one bundled file (tools/plugin-archive), whose bundler resolves `@grpc/grpc-js` and
// `google-protobuf` from @pulumi/pulumi's folder, for these imports as for the stubs' own.
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineproto from "@pulumi/pulumi/proto/engine_pb";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { SettingsError, type ConfigSource } from "../config";
import { GitHubError, savedCredentialsHint } from "../github";
import { ProcessContext } from "../process";
import { readAccounts } from "../accounts";
import { readSettings } from "../settings";
import type { CheckFailure, DiffResult } from "../types";
import { importedSecret } from "./import";
import { configKeyOf, packageName, packageSchema } from "./schema";

type Props = Record<string, unknown>;
type Call<Req> = { request: Req };
type Reply<Res> = (
  error: grpc.ServiceError | null,
  response?: Res,
  trailer?: grpc.Metadata,
) => void;

/** Pulumi's marker of a secret in a Struct: `{ [secretSig]: secretValue, value }`. */
const secretSig = "4dabf18193072939515e22adb298388d";
const secretValue = "1b47061264138c4ac30d75fd1eb44270";

/** The value inside secrets, at any depth (provider config arrives with its secrets marked). */
function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value !== null && typeof value === "object") {
    const object = value as Props;
    if (object[secretSig] === secretValue) return unwrapSecrets(object.value);
    return Object.fromEntries(
      Object.entries(object).map(([k, v]) => [k, unwrapSecrets(v)]),
    );
  }
  return value;
}

const fromStruct = (struct: Struct | undefined): Props =>
  struct ? (unwrapSecrets(struct.toJavaScript()) as Props) : {};

/** Struct.fromJavaScript refuses `undefined`: such properties are left out. */
function toStruct(props: object): Struct {
  return Struct.fromJavaScript(
    JSON.parse(JSON.stringify(props)) as Parameters<
      typeof Struct.fromJavaScript
    >[0],
  );
}

/**
 * The provider's config as the lifecycles read it: each setting of config.ts ("github:token")
 * is the plugin's key after the colon ("token"); structured values (appAuth, accounts) and
 * numbers are handed on as the JSON text the dynamic provider gets from the engine.
 */
export function providerConfig(args: Props): ConfigSource {
  return {
    get(settingKey: string): string | undefined {
      const value = args[configKeyOf(settingKey)];
      if (value === undefined || value === null) return undefined;
      return typeof value === "string" ? value : JSON.stringify(value);
    },
  };
}

/** The kind's name from a type token, `github-secrets:index:RepoSecret` → RepoSecret. */
function typeName(type: string): string {
  const [pkg, , name] = type.split(":");
  if (pkg !== packageName || name === undefined)
    throw new Error(
      `${packageName}: the provider has no resource type "${type}"`,
    );
  return name;
}

/** The resource's name in its URN (the part after the last "::"). */
function urnName(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

/** A gRPC error whose message is the provider's one line (never a value: see github.ts). */
function failure(error: unknown): grpc.ServiceError {
  const message = error instanceof Error ? error.message : String(error);
  return Object.assign(new Error(message), {
    code: grpc.status.UNKNOWN,
    details: message,
    metadata: new grpc.Metadata(),
  });
}

/** refresh (Read) and destroy (Delete) run with the provider config saved at the last up. */
function withSavedCredentialsHint(error: unknown): unknown {
  const hint =
    error instanceof GitHubError && error.status !== undefined
      ? savedCredentialsHint(error.status)
      : undefined;
  return hint ? (error as GitHubError).advising(hint) : error;
}

function checkFailures(failures: CheckFailure[]): provproto.CheckFailure[] {
  return failures.map(({ property, reason }) => {
    const failure = new provproto.CheckFailure();
    failure.setProperty(property);
    failure.setReason(reason);
    return failure;
  });
}

/** One call's work: errors go back to the engine as the call's failure. */
function serve<Req, Res>(
  work: (request: Req) => Promise<Res> | Res,
): (call: Call<Req>, reply: Reply<Res>) => void {
  return (call, reply) => {
    Promise.resolve()
      .then(() => work(call.request))
      .then(
        (response) => reply(null, response),
        (error: unknown) => reply(failure(error)),
      );
  };
}

export interface PluginOptions {
  /** The plugin's version: the package's. */
  version: string;
  /** The engine's address, the plugin's argument: where its messages for the user go. */
  engine?: string;
}

/** A line for the user, as an info diagnostic through the engine's Log service. */
function engineLog(address: string | undefined): (message: string) => void {
  if (!address) return (message) => console.log(message);
  const client = new enginerpc.EngineClient(
    address,
    grpc.credentials.createInsecure(),
  );
  return (message) => {
    // Also on stdout, which the engine keeps in its debug log (and gRPC-level tests read).
    console.log(message);
    const request = new engineproto.LogRequest();
    request.setSeverity(engineproto.LogSeverity.INFO);
    request.setMessage(message);
    // A lost line must not fail the operation it tells of.
    client.log(request, () => undefined);
  };
}

/** The ResourceProvider service of one plugin process: one configured provider. */
export function resourceProviderService(options: PluginOptions) {
  const context = new ProcessContext(engineLog(options.engine));
  const schema = JSON.stringify(packageSchema(options.version));
  // A config check's verdict: malformed settings fail CheckConfig, naming the key and the rule.
  const settingsFailures = (args: Props): CheckFailure[] => {
    try {
      readSettings(providerConfig(args), process.env);
      readAccounts(providerConfig(args));
      return [];
    } catch (error) {
      if (!(error instanceof SettingsError)) throw error;
      return [
        { property: configKeyOf(error.key.configKey), reason: error.message },
      ];
    }
  };
  const lifecycle = (type: string) => context.lifecycle(typeName(type));

  return {
    getPluginInfo: serve(() => {
      const info = new plugproto.PluginInfo();
      info.setVersion(options.version);
      return info;
    }),

    getSchema: serve(() => {
      const response = new provproto.GetSchemaResponse();
      response.setSchema(schema);
      return response;
    }),

    checkConfig: serve((request: provproto.CheckRequest) => {
      const response = new provproto.CheckResponse();
      // The inputs go back as they came, secrets still marked: nothing is normalized here.
      response.setInputs(request.getNews());
      response.setFailuresList(
        checkFailures(settingsFailures(fromStruct(request.getNews()))),
      );
      return response;
    }),

    diffConfig: serve((request: provproto.DiffRequest) => {
      // Settings change how resources are reached, never what they are: no replacement. A
      // resource on a host its provider no longer reaches is refused by its own diff.
      const olds = fromStruct(request.getOldInputs() ?? request.getOlds());
      const news = fromStruct(request.getNews());
      const changed = [...new Set([...Object.keys(olds), ...Object.keys(news)])]
        .filter(
          (key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]),
        )
        .sort();
      const response = new provproto.DiffResponse();
      response.setChanges(
        changed.length > 0
          ? provproto.DiffResponse.DiffChanges.DIFF_SOME
          : provproto.DiffResponse.DiffChanges.DIFF_NONE,
      );
      response.setDiffsList(changed);
      return response;
    }),

    configure: serve((request: provproto.ConfigureRequest) => {
      context.configure(providerConfig(fromStruct(request.getArgs())));
      const response = new provproto.ConfigureResponse();
      response.setAcceptsecrets(false);
      response.setSupportspreview(false);
      response.setAcceptresources(false);
      response.setAcceptoutputs(false);
      return response;
    }),

    check: serve(async (request: provproto.CheckRequest) => {
      const olds = fromStruct(request.getOlds());
      // The resource's name claims its secret (claims.ts), as the dynamic SDK's classes do.
      const news = {
        ...fromStruct(request.getNews()),
        __claimant: request.getName() || urnName(request.getUrn()),
      };
      const result = await lifecycle(typeOf(request)).check!(olds, news);
      const response = new provproto.CheckResponse();
      response.setInputs(toStruct(result.inputs ?? news));
      response.setFailuresList(checkFailures(result.failures ?? []));
      return response;
    }),

    diff: serve(async (request: provproto.DiffRequest) => {
      const type = typeOf(request);
      const result = (await lifecycle(type).diff!(
        request.getId(),
        fromStruct(request.getOlds()),
        fromStruct(request.getNews()),
      )) as DiffResult;
      return diffResponse(result);
    }),

    create: serve(async (request: provproto.CreateRequest) => {
      const type = typeOf(request);
      const result = await lifecycle(type).create!(
        fromStruct(request.getProperties()),
      );
      const response = new provproto.CreateResponse();
      response.setId(result.id);
      response.setProperties(toStruct(result.outs ?? {}));
      return response;
    }),

    read: serve(async (request: provproto.ReadRequest) => {
      const type = typeOf(request);
      const props = fromStruct(request.getProperties());
      const response = new provproto.ReadResponse();
      if (Object.keys(props).length === 0) {
        // `pulumi import` and the `import` option: the id alone names the secret.
        const imported = await importedSecret(
          context,
          typeName(type),
          request.getId(),
        );
        response.setId(imported.id);
        response.setProperties(toStruct(imported.outputs));
        response.setInputs(toStruct(imported.inputs));
        return response;
      }
      const result = await lifecycle(type).read!(request.getId(), props).catch(
        (error: unknown) => Promise.reject(withSavedCredentialsHint(error)),
      );
      response.setId(result.id ?? "");
      if (result.id) {
        response.setProperties(toStruct(result.props ?? {}));
        // The stored inputs stay (the value among them: GitHub never returns it).
        const inputs = request.getInputs();
        if (inputs) response.setInputs(inputs);
      }
      return response;
    }),

    update: serve(async (request: provproto.UpdateRequest) => {
      const type = typeOf(request);
      const result = await lifecycle(type).update!(
        request.getId(),
        fromStruct(request.getOlds()),
        fromStruct(request.getNews()),
      );
      const response = new provproto.UpdateResponse();
      response.setProperties(toStruct(result.outs ?? {}));
      return response;
    }),

    delete: serve(async (request: provproto.DeleteRequest) => {
      const type = typeOf(request);
      await lifecycle(type).delete!(
        request.getId(),
        fromStruct(request.getProperties()),
      ).catch((error: unknown) =>
        Promise.reject(withSavedCredentialsHint(error)),
      );
      return new Empty();
    }),

    cancel: serve(() => new Empty()),
  };
}

/**
 * A request's resource type; engines that send none name it in the URN:
 * `urn:pulumi:stack::project::github-secrets:index:RepoSecret::name`.
 */
function typeOf(request: { getType(): string; getUrn(): string }): string {
  if (request.getType()) return request.getType();
  const parts = request.getUrn().split("::");
  const qualified = parts[parts.length - 2] ?? "";
  return qualified.slice(qualified.lastIndexOf("$") + 1);
}

/**
 * A property-level diff: each replaced property as UPDATE_REPLACE, each one written in place as
 * UPDATE, so `preview --diff` names them and replaceOnChanges can match them.
 */
function diffResponse(result: DiffResult): provproto.DiffResponse {
  const response = new provproto.DiffResponse();
  response.setChanges(
    result.changes
      ? provproto.DiffResponse.DiffChanges.DIFF_SOME
      : provproto.DiffResponse.DiffChanges.DIFF_NONE,
  );
  response.setReplacesList(result.replaces);
  response.setDeletebeforereplace(false);
  const detailed = response.getDetaileddiffMap();
  const kinds = provproto.PropertyDiff.Kind;
  for (const [properties, kind] of [
    [result.updates, kinds.UPDATE],
    [result.replaces, kinds.UPDATE_REPLACE],
  ] as const) {
    for (const property of properties) {
      const entry = new provproto.PropertyDiff();
      entry.setKind(kind);
      entry.setInputdiff(true);
      detailed.set(property, entry);
    }
  }
  response.setDiffsList([...new Set([...result.updates, ...result.replaces])]);
  response.setHasdetaileddiff(true);
  return response;
}

/** Serves the plugin on a free local port and prints the port, as the engine expects. */
export async function servePlugin(options: PluginOptions): Promise<number> {
  const server = new grpc.Server({
    "grpc.max_receive_message_length": 400 * 1024 * 1024,
  });
  server.addService(
    provrpc.ResourceProviderService,
    resourceProviderService(
      options,
    ) as unknown as grpc.UntypedServiceImplementation,
  );
  return new Promise((resolve, reject) =>
    server.bindAsync(
      "127.0.0.1:0",
      grpc.ServerCredentials.createInsecure(),
      (error, port) => (error ? reject(error) : resolve(port)),
    ),
  );
}
