// REST API tokens: 256 random bits shown once, stored as their SHA-256 (lib/security/tokens.ts),
// found by hash. A token acts as its user — the person of a personal token, the service account of
// a service token — with that user's role as it is now, so disabling the person or changing the
// role takes effect on the token's next request, as revoking or expiry do.
import "server-only";
import type { ApiTokenScope } from "@/generated/prisma/enums";
import { type Actor, writeAudit } from "@/lib/audit/log";
import type { Db } from "@/lib/db";
import { bearerToken } from "@/lib/metrics/tokens";
import { hashSecretToken, newSecretToken } from "@/lib/security/tokens";

export const API_TOKEN_PREFIX = "bo_api_";

/** `lastUsedAt` is written at most this often per token (one write a minute, however busy). */
const LAST_USED_REFRESH_MS = 60_000;

export function generateApiToken(): { token: string; hash: string; prefix: string } {
  const { token, hash } = newSecretToken(API_TOKEN_PREFIX);
  return { token, hash, prefix: token.slice(0, API_TOKEN_PREFIX.length + 6) };
}

export type ApiCaller = { actor: Actor; tokenId: string; scope: ApiTokenScope };

export type ApiAuthentication = { ok: true; caller: ApiCaller } | { ok: false; reason: string };

/** Who the request's bearer token acts as, or why it is refused (the 401's words). */
export async function authenticateApiToken(db: Db, authorization: string | null, now: Date): Promise<ApiAuthentication> {
  const token = bearerToken(authorization);
  if (!token) return { ok: false, reason: "Send an API token: `Authorization: Bearer <token>`." };
  if (!token.startsWith(API_TOKEN_PREFIX)) return { ok: false, reason: "That is not a Backout API token." };
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hashSecretToken(token) },
    select: {
      id: true,
      scope: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
      user: { select: { id: true, email: true, name: true, role: true, disabledAt: true } },
    },
  });
  // A string that is no token's writes nothing: guessing costs the guesser, not the audit log.
  if (!row) return { ok: false, reason: "Unknown API token." };
  const refused = row.revokedAt
    ? "This API token was revoked."
    : row.expiresAt && row.expiresAt.getTime() <= now.getTime()
      ? "This API token has expired."
      : row.user.disabledAt
        ? "The account this API token acts as is disabled."
        : null;
  const { id, email, name, role } = row.user;
  const actor: Actor = { id, email, name, role };
  if (refused) {
    await writeAudit(db, {
      actor,
      action: "api.authenticate",
      outcome: "DENIED",
      entityType: "ApiToken",
      entityId: row.id,
      details: { code: "forbidden", reason: refused, via: "API" },
    });
    return { ok: false, reason: refused };
  }
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_REFRESH_MS) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { ok: true, caller: { actor, tokenId: row.id, scope: row.scope } };
}
