// Checking a sign-in: throttle, password, account state, then a new session — with the same work
// whether or not the email belongs to an account. Auth.js's `authorize` (lib/auth/index.ts) is a
// thin wrapper around it, so this is what the tests exercise.
import "server-only";
import { type Actor, writeAudit } from "@/lib/audit/log";
import type { Db } from "@/lib/db";
import { verifyPasswordOrDummy } from "./password";
import { startSession } from "./sessions";
import { passwordSignInEnabled } from "./sso";
import { settleSignIn, signInKeys, takeSignInAttempt } from "./throttle";

export type SignInClient = { address: string | null; userAgent: string | null };

export type SignInResult =
  | { ok: true; user: Actor; sessionId: string }
  | { ok: false; reason: "bad credentials" | "account disabled" | "password sign-in off" }
  | { ok: false; reason: "throttled"; until: Date };

/** `email` is already trimmed and lower-cased (the credentials schema). */
export async function checkCredentials(
  db: Db,
  credentials: { email: string; password: string },
  client: SignInClient,
  now: Date = new Date(),
): Promise<SignInResult> {
  const { email, password } = credentials;
  if (!passwordSignInEnabled()) {
    // Switched off for single sign-on (BACKOUT_PASSWORD_SIGN_IN=off): no password is checked at all.
    await writeAudit(db, {
      actor: null,
      action: "auth.sign_in",
      outcome: "DENIED",
      entityType: "User",
      details: { code: "forbidden", reason: "password sign-in off", email, address: client.address },
    });
    return { ok: false, reason: "password sign-in off" };
  }
  const keys = signInKeys(email, client.address);
  const attempt = await takeSignInAttempt(db, keys, now);
  // The password is not even looked at while throttled, for a known email as for an unknown one.
  if (!attempt.ok) {
    await writeAudit(db, {
      actor: null,
      action: "auth.sign_in",
      outcome: "DENIED",
      entityType: "User",
      details: { code: "throttled", reason: "too many attempts", email, address: client.address, until: attempt.until.toISOString() },
    });
    return { ok: false, reason: "throttled", until: attempt.until };
  }

  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, role: true, disabledAt: true, passwordHash: true },
  });
  const passwordOk = await verifyPasswordOrDummy(password, user?.passwordHash ?? null);
  if (!user || !passwordOk || user.disabledAt) {
    const reason = !user || !passwordOk ? "bad credentials" : "account disabled";
    await writeAudit(db, {
      actor: user && { id: user.id, email: user.email, name: user.name, role: user.role },
      action: "auth.sign_in",
      outcome: "DENIED",
      entityType: "User",
      entityId: user?.id,
      // Shaped like a refused change's row (code, reason): one way to read every DENIED row.
      details: { code: "forbidden", reason, email, address: client.address },
    });
    return { ok: false, reason };
  }

  await settleSignIn(db, keys);
  const actor: Actor = { id: user.id, email: user.email, name: user.name, role: user.role };
  const sessionId = await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { lastSignInAt: now } });
    const id = await startSession(tx, user.id, client, now);
    await writeAudit(tx, {
      actor,
      action: "auth.sign_in",
      outcome: "ALLOWED",
      entityType: "User",
      entityId: user.id,
      details: { session: id, address: client.address },
    });
    return id;
  });
  return { ok: true, user: actor, sessionId };
}
