// Signed-in sessions, one row each (UserSession). The cookie is a signed token naming its row; the
// row decides whether it still counts, so ending a session takes effect on its next request on
// every app instance, whatever the cookie's own expiry says.
import "server-only";
import { type Actor, writeAudit } from "@/lib/audit/log";
import type { Db, Tx } from "@/lib/db";

/** How stale `lastSeenAt` may get before a request refreshes it: one write per session per 5 min. */
const SEEN_REFRESH_MS = 5 * 60_000;

export type SessionEndReason = "sign-out" | "signed out everywhere" | "ended by an admin" | "role changed" | "disabled";

/** The user of an open session, re-read now; null for an ended session or a disabled user. */
export async function readSessionUser(db: Db, sessionId: string, userId: string, now: Date): Promise<Actor | null> {
  const session = await db.userSession.findUnique({
    where: { id: sessionId },
    select: {
      userId: true,
      endedAt: true,
      lastSeenAt: true,
      user: { select: { id: true, email: true, name: true, role: true, disabledAt: true } },
    },
  });
  if (!session || session.endedAt || session.userId !== userId || session.user.disabledAt) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > SEEN_REFRESH_MS) {
    await db.userSession.updateMany({ where: { id: sessionId, endedAt: null }, data: { lastSeenAt: now } });
  }
  const { id, email, name, role } = session.user;
  return { id, email, name, role };
}

/** Starts a session at sign-in, in the sign-in's transaction. */
export async function startSession(tx: Tx, userId: string, client: { address: string | null; userAgent: string | null }, now: Date) {
  const session = await tx.userSession.create({
    data: { userId, createdAt: now, lastSeenAt: now, address: client.address, userAgent: client.userAgent?.slice(0, 300) ?? null },
    select: { id: true },
  });
  return session.id;
}

/** Ends the user's open sessions (or one of them) inside the caller's transaction; how many ended. */
export async function endSessions(tx: Tx, userId: string, reason: SessionEndReason, now: Date, sessionId?: string): Promise<number> {
  const { count } = await tx.userSession.updateMany({
    where: { userId, endedAt: null, ...(sessionId ? { id: sessionId } : {}) },
    data: { endedAt: now, endReason: reason },
  });
  return count;
}

/**
 * The person's own sign-out: this session, or all of theirs. Like signing in, it is the person's
 * own authentication, not a change to refuse anyone (nobody else's sessions can be named), so it
 * is audited here rather than through the change path.
 */
export async function signOutSessions(db: Db, user: Actor, sessionId: string, scope: "this" | "all", now: Date): Promise<number> {
  return db.$transaction(async (tx) => {
    const ended = await endSessions(
      tx,
      user.id,
      scope === "all" ? "signed out everywhere" : "sign-out",
      now,
      scope === "all" ? undefined : sessionId,
    );
    await writeAudit(tx, {
      actor: user,
      action: scope === "all" ? "auth.sign_out_everywhere" : "auth.sign_out",
      outcome: "ALLOWED",
      entityType: "User",
      entityId: user.id,
      details: { sessions: ended },
    });
    return ended;
  });
}
