// startEmulator: wires world, store, routes, validation, limits and faults to a node:http server
// on 127.0.0.1, and exposes the in-process test controls (controls.ts).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Emulator, EmulatorOptions, SecretView } from "./controls";
import { cryptoReady, newKeyPair } from "./crypto";
import { family as familyById, type FamilyId } from "./families";
import { FaultInjector } from "./faults";
import { buildRoutes } from "./handlers";
import type { Route } from "./http";
import { createInspectionHandler } from "./inspection";
import { RateLimiter } from "./limits";
import { RequestLog } from "./log";
import { OpenApiValidator } from "./openapi";
import { resolveScope, selectorToParams, type ScopeSelector } from "./scopes";
import { createHandler, type SchemaViolation } from "./server";
import { SecretStore, type ScopeState, type StoredSecret } from "./store";
import { DEFAULT_TOKEN, DEFAULT_WORLD, World } from "./world";

const DEFAULT_API_VERSIONS = ["2022-11-28", "2026-03-10"];

// One validator per process: it is stateless, and compiling the repository schemas for every
// emulator a test file starts would cost more than the tests themselves.
let sharedValidator: OpenApiValidator | undefined;
function validator(): OpenApiValidator {
  sharedValidator ??= new OpenApiValidator(require("./openapi-subset.json"));
  return sharedValidator;
}

export async function startEmulator(
  options: EmulatorOptions = {},
): Promise<Emulator> {
  await cryptoReady();
  const worldSpec = options.world ?? DEFAULT_WORLD;
  const world = new World(worldSpec);
  const firstUser =
    worldSpec.users?.[0]?.login ?? worldSpec.tokens?.[0]?.login ?? "octocat";
  if (options.token && !world.tokens.has(options.token))
    world.addToken({ token: options.token, login: firstUser, write: true });
  const token =
    options.token ??
    [...world.tokens.values()].find((t) => t.write !== false)?.token ??
    DEFAULT_TOKEN;

  const store = new SecretStore();
  const legacy = options.legacyEnvironmentSecrets ?? false;
  const routes: Route[] = buildRoutes({
    world,
    store,
    legacyEnvironmentSecrets: legacy,
  });
  const limits = new RateLimiter(options.rateLimits);
  const faults = new FaultInjector();
  if (options.faults) faults.configure(options.faults);
  faults.latencyMs = options.latencyMs ?? 0;
  const log = new RequestLog();
  const violations: SchemaViolation[] = [];
  const prefix = (options.pathPrefix ?? "").replace(/\/+$/, "");
  let url = "";

  const state = (id: FamilyId, selector: ScopeSelector): ScopeState => {
    const f = familyById(id);
    const scope = resolveScope(world, f.scope, selectorToParams(f, selector));
    if (!scope)
      throw new Error(
        `no ${f.scope} ${JSON.stringify(selector)} in the emulated world`,
      );
    return store.scope(id, scope.key);
  };
  const view = (id: FamilyId, s: StoredSecret): SecretView => ({
    name: s.name,
    value: s.value,
    keyId: s.keyId,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    ...(s.visibility ? { visibility: s.visibility } : {}),
    ...(familyById(id).selectedRepositories
      ? { selectedRepositoryIds: [...s.selectedRepositoryIds] }
      : {}),
  });

  const emulator: Emulator = {
    url: "",
    port: 0,
    token,
    world,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
    getSecret(id, selector, name) {
      const st = state(id, selector);
      const s = st.secrets.get(name.toUpperCase());
      return s && view(id, s);
    },
    listSecrets(id, selector) {
      return [...state(id, selector).secrets.values()]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((s) => view(id, s));
    },
    getPublicKey(id, selector) {
      const kp = state(id, selector).keyPair;
      return { keyId: kp.keyId, key: kp.key };
    },
    rotateKey(id, selector) {
      const st = state(id, selector);
      const kp = (st.keyPair = newKeyPair());
      return { keyId: kp.keyId, key: kp.key };
    },
    editSecret(id, selector, name, change) {
      const s = state(id, selector).secrets.get(name.toUpperCase());
      if (!s)
        throw new Error(
          `no secret ${name} in ${id} ${JSON.stringify(selector)}`,
        );
      if (change.value !== undefined) s.value = change.value;
      if (change.visibility !== undefined) s.visibility = change.visibility;
      if (change.selectedRepositoryIds !== undefined)
        s.selectedRepositoryIds = [...change.selectedRepositoryIds];
      s.updatedAt =
        change.updatedAt ??
        new Date(Math.max(Date.now(), s.updatedAt.getTime() + 1000));
      return view(id, s);
    },
    deleteSecret(id, selector, name) {
      return state(id, selector).secrets.delete(name.toUpperCase());
    },
    addRepository: (owner, spec) => world.addRepository(owner, spec),
    addEnvironment: (owner, repo, name) =>
      world.addEnvironment(owner, repo, name),
    renameRepository: (owner, name, newName) =>
      world.renameRepository(owner, name, newName),
    transferRepository: (owner, name, newOwner) =>
      world.transferRepository(owner, name, newOwner),
    addToken: (spec) => {
      world.addToken(spec);
    },
    rotateToken(oldToken) {
      const token = world.rotateToken(oldToken);
      if (emulator.token === oldToken) emulator.token = token;
      return token;
    },
    requestLog: () => [...log.entries],
    logSummary: () => log.summary(),
    resetLog: () => log.reset(),
    setLatency: (ms) => {
      faults.latencyMs = ms;
    },
    setFaults: (o) => faults.configure(o),
    failNext: (count, fault) => faults.failNext(count, fault),
    clearFaults: () => faults.clear(),
    setRateLimits: (o) => limits.configure(o),
    rateLimitStats: () => limits.getStats(),
    schemaViolations: (direction) =>
      violations.filter(
        (v) => direction === undefined || v.direction === direction,
      ),
  };

  const handler = createHandler({
    world,
    routes: () => routes,
    validator: validator(),
    limits,
    faults,
    log,
    violations,
    pathPrefix: prefix,
    apiUrl: () => url,
    apiVersions: options.apiVersions ?? DEFAULT_API_VERSIONS,
    apps: options.apps ?? [],
    inspection: options.inspection
      ? createInspectionHandler(emulator)
      : undefined,
  });
  const server: Server = createServer((req, res) => {
    handler(req, res).catch((err: unknown) => {
      // A bug in the emulator: answer loudly rather than hang the client.
      console.error("github-emulator:", err);
      if (!res.headersSent)
        res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: `emulator error: ${String(err)}` }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}${prefix}`;
  emulator.url = url;
  emulator.port = port;
  return emulator;
}
