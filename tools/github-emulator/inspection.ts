// The in-process test controls over HTTP, for clients in another process (the Pulumi provider
// host, the demo, benchmarks). Served only with `inspection: true`: a normal client must never
// see them, exactly as on GitHub. No authentication: this is a local test tool.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Emulator } from "./controls";
import type { FamilyId } from "./families";
import type { Repository } from "./world";

type Handler = (q: URLSearchParams, body: Record<string, unknown>) => unknown;

const repository = (r: Repository) => ({
  id: r.id,
  name: r.name,
  owner: r.owner.login,
});

export function createInspectionHandler(e: Emulator) {
  const fam = (v: unknown) => String(v) as FamilyId;
  const routes: Record<string, Handler> = {
    "GET /_emulator/world": () =>
      [...e.world.owners.values()].map((o) => ({
        login: o.login,
        id: o.id,
        type: o.type,
        repositories: [...o.repositories.values()].map((r) => ({
          name: r.name,
          id: r.id,
          private: r.private,
          environments: [...r.environments.values()],
        })),
      })),
    "GET /_emulator/secrets": (q) =>
      e.listSecrets(fam(q.get("family")), q.get("scope") ?? ""),
    "GET /_emulator/secret": (q) =>
      e.getSecret(
        fam(q.get("family")),
        q.get("scope") ?? "",
        q.get("name") ?? "",
      ) ?? null,
    "GET /_emulator/public-key": (q) =>
      e.getPublicKey(fam(q.get("family")), q.get("scope") ?? ""),
    "POST /_emulator/rotate-key": (_q, b) =>
      e.rotateKey(fam(b.family), String(b.scope)),
    "POST /_emulator/edit": (_q, b) =>
      e.editSecret(fam(b.family), String(b.scope), String(b.name), {
        ...(typeof b.value === "string" ? { value: b.value } : {}),
        ...(b.visibility
          ? { visibility: b.visibility as "all" | "private" | "selected" }
          : {}),
        ...(Array.isArray(b.selectedRepositoryIds)
          ? { selectedRepositoryIds: b.selectedRepositoryIds.map(Number) }
          : {}),
      }),
    "POST /_emulator/delete": (_q, b) => ({
      deleted: e.deleteSecret(fam(b.family), String(b.scope), String(b.name)),
    }),
    "POST /_emulator/repositories": (_q, b) => {
      const r = e.addRepository(String(b.owner), {
        name: String(b.name),
        ...(typeof b.id === "number" ? { id: b.id } : {}),
        ...(typeof b.private === "boolean" ? { private: b.private } : {}),
        ...(Array.isArray(b.environments)
          ? { environments: b.environments.map(String) }
          : {}),
      });
      return repository(r);
    },
    "POST /_emulator/environments": (_q, b) => {
      e.addEnvironment(String(b.owner), String(b.repo), String(b.name));
      return {};
    },
    "POST /_emulator/rename": (_q, b) =>
      repository(
        e.renameRepository(String(b.owner), String(b.name), String(b.newName)),
      ),
    "POST /_emulator/transfer": (_q, b) =>
      repository(
        e.transferRepository(
          String(b.owner),
          String(b.name),
          String(b.newOwner),
        ),
      ),
    "POST /_emulator/tokens": (_q, b) => {
      e.addToken({
        token: String(b.token),
        login: String(b.login),
        ...(typeof b.write === "boolean" ? { write: b.write } : {}),
      });
      return {};
    },
    "POST /_emulator/rotate-token": (_q, b) => ({
      token: e.rotateToken(String(b.token)),
    }),
    "GET /_emulator/log": () => ({
      summary: e.logSummary(),
      entries: e.requestLog(),
    }),
    "DELETE /_emulator/log": () => {
      e.resetLog();
      return {};
    },
    "POST /_emulator/latency": (_q, b) => {
      e.setLatency(Number(b.ms ?? 0));
      return {};
    },
    "POST /_emulator/faults": (_q, b) => {
      e.setFaults(b);
      return {};
    },
    "DELETE /_emulator/faults": () => {
      e.clearFaults();
      return {};
    },
    "POST /_emulator/fail-next": (_q, b) => {
      e.failNext(
        Number(b.count ?? 1),
        b.fault as Parameters<Emulator["failNext"]>[1],
      );
      return {};
    },
    "POST /_emulator/rate-limits": (_q, b) => {
      e.setRateLimits(b);
      return {};
    },
    "GET /_emulator/rate-limits": () => e.rateLimitStats(),
    "GET /_emulator/violations": () => e.schemaViolations(),
  };

  return async (
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    rawBody: string,
  ): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://emulator");
    const handler = routes[`${req.method} ${path}`];
    let status = 200;
    let result: unknown;
    try {
      if (!handler) {
        status = 404;
        result = {
          message: `no inspection route ${req.method} ${path}`,
          routes: Object.keys(routes),
        };
      } else {
        result = handler(
          url.searchParams,
          rawBody.trim() ? JSON.parse(rawBody) : {},
        );
      }
    } catch (err) {
      status = 400;
      result = { message: err instanceof Error ? err.message : String(err) };
    }
    const text = JSON.stringify(result ?? null);
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
    });
    res.end(text);
  };
}
