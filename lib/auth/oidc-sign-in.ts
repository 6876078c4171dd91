// Checking a single sign-on: the identity provider has authenticated the person; Backout decides
// whether they may in. The account is matched by verified email (created on first sign-in with
// the mapped or default role; a mapped role is applied again at every sign-in, so the provider's
// groups stay the source of truth), and a session row is started exactly as a password sign-in's.
import "server-only";
import type { Role } from "@/generated/prisma/enums";
import { type Actor, writeAudit } from "@/lib/audit/log";
import type { Db } from "@/lib/db";
import type { SignInClient } from "./credentials";
import { startSession } from "./sessions";
import { isEmailVerified, type OidcSettings, roleFromClaims } from "./sso";

export type OidcRefusal = "no-email" | "unverified-email" | "account-disabled" | "service-account";

export type OidcSignInResult = { ok: true; user: Actor; sessionId: string; created: boolean } | { ok: false; reason: OidcRefusal };

/** The sign-in page's words for each refusal (its `?error=` code). */
export const OIDC_REFUSAL_MESSAGES: Record<OidcRefusal, string> = {
  "no-email":
    "Your identity provider did not send an email address, so Backout cannot tell who you are. Ask your administrator to release the email claim.",
  "unverified-email":
    "Your identity provider has not verified your email address, so Backout cannot match it to an account. Verify it there, then sign in again.",
  "account-disabled": "Your Backout account is disabled. Ask an admin to enable it.",
  "service-account": "That email belongs to a service token's account, which cannot sign in.",
};

export async function checkOidcSignIn(
  db: Db,
  claims: Record<string, unknown>,
  settings: Pick<OidcSettings, "issuer" | "roleClaim" | "roleMap" | "defaultRole">,
  client: SignInClient,
  now: Date = new Date(),
): Promise<OidcSignInResult> {
  const email = typeof claims.email === "string" ? claims.email.trim().toLowerCase() : "";
  const subject = typeof claims.sub === "string" ? claims.sub : null;
  const refuse = async (reason: OidcRefusal, actor: Actor | null = null): Promise<OidcSignInResult> => {
    await writeAudit(db, {
      actor,
      action: "auth.sign_in",
      outcome: "DENIED",
      entityType: "User",
      entityId: actor?.id ?? null,
      details: { code: "forbidden", reason, method: "oidc", issuer: settings.issuer, subject, email, address: client.address },
    });
    return { ok: false, reason };
  };
  if (!email) return refuse("no-email");
  if (!isEmailVerified(claims)) return refuse("unverified-email");

  const { role, mapped } = roleFromClaims(claims, settings);
  const name = (typeof claims.name === "string" && claims.name.trim()) || email;
  const existing = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, role: true, disabledAt: true, serviceAccount: true },
  });
  if (existing?.serviceAccount) return refuse("service-account");
  if (existing?.disabledAt)
    return refuse("account-disabled", { id: existing.id, email: existing.email, name: existing.name, role: existing.role });

  return db.$transaction(async (tx) => {
    let user: Actor;
    let previousRole: Role | null = null;
    if (existing) {
      // Only a mapped role overrides: without one, the role an admin gave the account stays.
      const newRole = mapped ? role : existing.role;
      previousRole = existing.role !== newRole ? existing.role : null;
      user = await tx.user.update({
        where: { id: existing.id },
        data: { lastSignInAt: now, ...(previousRole ? { role: newRole, version: { increment: 1 } } : {}) },
        select: { id: true, email: true, name: true, role: true },
      });
    } else {
      user = await tx.user.create({
        data: { email, name: name.slice(0, 200), role, passwordHash: null, lastSignInAt: now },
        select: { id: true, email: true, name: true, role: true },
      });
    }
    const sessionId = await startSession(tx, user.id, client, now);
    await writeAudit(tx, {
      actor: user,
      action: "auth.sign_in",
      outcome: "ALLOWED",
      entityType: "User",
      entityId: user.id,
      details: {
        method: "oidc",
        issuer: settings.issuer,
        subject,
        session: sessionId,
        address: client.address,
        role: user.role,
        roleFrom: mapped ? "mapping" : existing ? "account" : "default",
        ...(existing ? {} : { created: true }),
        ...(previousRole ? { previousRole } : {}),
      },
    });
    return { ok: true as const, user, sessionId, created: !existing };
  });
}
