// GitHub Apps, as far as a client authenticating as an App installation needs: it signs a JWT
// (RS256) with the App's private key and trades it for an installation token at
// POST /app/installations/{installation_id}/access_tokens, then uses that token as any other.
import { createPublicKey, randomBytes, verify } from "node:crypto";
import { errorReply, type Reply } from "./http";
import type { World } from "./world";

export interface AppSpec {
  /** The App's id: the JWT's `iss`. */
  id: number;
  installationId: number;
  /** The App's public key (PEM); the client holds the private one. */
  publicKey: string;
  /** The account the installation token acts as. */
  login: string;
}

const DOCS =
  "https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app";
export const installationTokenPath =
  /^\/app\/installations\/(\d+)\/access_tokens$/;

/** Verifies the App's JWT and mints a write-capable installation token valid for an hour. */
export function mintInstallationToken(
  world: World,
  apps: readonly AppSpec[],
  authorization: string | undefined,
  installationId: number,
): Reply {
  const jwt = /^bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
  const [header, payload, signature] = jwt?.split(".") ?? [];
  if (!header || !payload || !signature)
    return errorReply(401, "A JSON web token could not be decoded", DOCS);
  let claims: { iss?: unknown; exp?: unknown; iat?: unknown };
  try {
    claims = JSON.parse(
      Buffer.from(payload, "base64url").toString("utf8"),
    ) as typeof claims;
  } catch {
    return errorReply(401, "A JSON web token could not be decoded", DOCS);
  }
  const app = apps.find(
    (candidate) => String(candidate.id) === String(claims.iss),
  );
  const signed = Buffer.from(`${header}.${payload}`);
  if (
    !app ||
    !verify(
      "RSA-SHA256",
      signed,
      createPublicKey(app.publicKey),
      Buffer.from(signature, "base64url"),
    )
  ) {
    return errorReply(
      401,
      "'Issuer' claim ('iss') must be an Integer, or the signature does not match",
      DOCS,
    );
  }
  const now = Math.floor(Date.now() / 1000);
  if (
    typeof claims.exp !== "number" ||
    claims.exp <= now ||
    claims.exp - now > 600
  ) {
    return errorReply(
      401,
      "'Expiration time' claim ('exp') is too far in the future or in the past",
      DOCS,
    );
  }
  if (app.installationId !== installationId)
    return errorReply(404, "Not Found", DOCS);
  const token = `ghs_${randomBytes(18).toString("base64url")}`;
  world.addToken({ token, login: app.login, write: true });
  return {
    status: 201,
    body: {
      token,
      expires_at: new Date(Date.now() + 3_600_000)
        .toISOString()
        .replace(/\.\d{3}Z$/, "Z"),
      permissions: {
        secrets: "write",
        environments: "write",
        codespaces_secrets: "write",
      },
      repository_selection: "all",
    },
    headers: {},
  };
}
