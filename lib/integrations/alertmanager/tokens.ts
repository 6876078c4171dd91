// An Alertmanager integration's token: shown once, stored as its SHA-256 (lib/security/tokens.ts)
// like the API tokens, and found by hash. Its own prefix keeps it from ever passing as an API token.
import "server-only";
import type { Db } from "@/lib/db";
import { bearerToken } from "@/lib/metrics/tokens";
import { hashSecretToken, newSecretToken } from "@/lib/security/tokens";

export const ALERTMANAGER_TOKEN_PREFIX = "bo_am_";

export function generateAlertmanagerToken(): { token: string; hash: string; prefix: string } {
  const { token, hash } = newSecretToken(ALERTMANAGER_TOKEN_PREFIX);
  return { token, hash, prefix: token.slice(0, ALERTMANAGER_TOKEN_PREFIX.length + 6) };
}

/** What an integration is configured with (the receiver and the admin page read it). */
export const INTEGRATION_SETTINGS = {
  id: true,
  name: true,
  serviceLabel: true,
  defaultSeverity: true,
  suspectWindowMinutes: true,
} as const;

export type AlertmanagerCaller = {
  id: string;
  name: string;
  serviceLabel: string;
  defaultSeverity: "SEV1" | "SEV2" | "SEV3" | "SEV4";
  suspectWindowMinutes: number;
  account: { id: string; email: string; name: string; role: "VIEWER" | "RESPONDER" | "RELEASE_MANAGER" | "ADMIN" };
};

/** The integration the request's bearer token belongs to, or why it is refused (the 401's words). */
export async function authenticateAlertmanager(
  db: Db,
  authorization: string | null,
  now: Date,
): Promise<{ ok: true; integration: AlertmanagerCaller } | { ok: false; reason: string }> {
  const token = bearerToken(authorization);
  if (!token) return { ok: false, reason: "Send the integration's token: `Authorization: Bearer <token>` (http_config.authorization)." };
  if (!token.startsWith(ALERTMANAGER_TOKEN_PREFIX)) return { ok: false, reason: "That is not a Backout Alertmanager integration token." };
  const row = await db.alertmanagerIntegration.findUnique({
    where: { tokenHash: hashSecretToken(token) },
    select: {
      ...INTEGRATION_SETTINGS,
      revokedAt: true,
      lastUsedAt: true,
      account: { select: { id: true, email: true, name: true, role: true, disabledAt: true } },
    },
  });
  if (!row) return { ok: false, reason: "Unknown integration token." };
  if (row.revokedAt) return { ok: false, reason: "This Alertmanager integration was revoked." };
  if (row.account.disabledAt) return { ok: false, reason: "The account this integration acts as is disabled." };
  // At most one write a minute, however often Alertmanager calls.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await db.alertmanagerIntegration.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  const { revokedAt: _r, lastUsedAt: _l, account, ...settings } = row;
  const { disabledAt: _d, ...actor } = account;
  return { ok: true, integration: { ...settings, account: actor } };
}
