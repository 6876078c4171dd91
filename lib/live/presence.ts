// Who is viewing an incident: one LivePresence row per open event stream, whichever app instance
// holds it. The stream writes its row when it opens, refreshes it every PRESENCE_REFRESH_MS and
// deletes it when it closes; a row not refreshed for PRESENCE_STALE_MS (its instance died) is
// ignored and swept by the next stream of that incident. Every change publishes a "presence" event
// carrying the whole viewer list, so each browser simply replaces its list.
import "server-only";
import { type Db, getDb, type Tx } from "@/lib/db";
import { publishLive } from "./publish";
import type { PresencePayload, PresenceViewer } from "./topics";

export type { PresenceViewer } from "./topics";

export const PRESENCE_REFRESH_MS = 10_000;
export const PRESENCE_STALE_MS = 30_000;

/**
 * The users with an open stream on the incident (each once, in the order they arrived), ignoring
 * rows not refreshed for `staleMs`. Ages are measured on the database clock, which every instance shares.
 */
export async function listPresence(incidentId: string, db: Db | Tx = getDb(), staleMs = PRESENCE_STALE_MS): Promise<PresenceViewer[]> {
  return db.$queryRaw<PresenceViewer[]>`
    SELECT u.id, u.name, u.email, u.role::text AS role
    FROM "LivePresence" p JOIN "User" u ON u.id = p."userId"
    WHERE p."incidentId" = ${incidentId} AND p."lastSeenAt" > now() - make_interval(secs => ${staleMs / 1000}::float8)
    GROUP BY u.id
    ORDER BY min(p."openedAt"), u.id`;
}

/** Presence changes of one incident happen one at a time, so each published list includes the previous change. */
async function lockIncidentPresence(tx: Tx, incidentId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`backout_presence:${incidentId}`}, 0))`;
}

async function publishPresence(tx: Tx, incidentId: string, change: Omit<PresencePayload, "viewers">, actorId: string | null) {
  const viewers = await listPresence(incidentId, tx);
  await publishLive(tx, incidentId, "presence", { viewers, ...change } satisfies PresencePayload, actorId);
  return viewers;
}

export type PresenceConnection = { connectionId: string; incidentId: string; userId: string; instance: string };

/** A stream opened: its row, and a "presence" event with the new list. */
export async function joinPresence(c: PresenceConnection, db: Db = getDb()): Promise<PresenceViewer[]> {
  return db.$transaction(async (tx) => {
    await lockIncidentPresence(tx, c.incidentId);
    await tx.$executeRaw`
      INSERT INTO "LivePresence" (id, "incidentId", "userId", instance) VALUES (${c.connectionId}, ${c.incidentId}, ${c.userId}, ${c.instance})
      ON CONFLICT (id) DO UPDATE SET "lastSeenAt" = now()`;
    return publishPresence(tx, c.incidentId, { joined: c.userId }, c.userId);
  });
}

/** A stream closed: its row goes, and a "presence" event with the new list. */
export async function leavePresence(connectionId: string, db: Db = getDb()): Promise<void> {
  const row = await db.livePresence.findUnique({ where: { id: connectionId }, select: { incidentId: true, userId: true } });
  if (!row) return;
  await db.$transaction(async (tx) => {
    await lockIncidentPresence(tx, row.incidentId);
    const gone = await tx.livePresence.deleteMany({ where: { id: connectionId } });
    if (gone.count > 0) await publishPresence(tx, row.incidentId, { left: [row.userId] }, row.userId);
  });
}

/**
 * The stream is still open: refresh its row. False when the row is gone (swept while this process
 * could not reach the database) or its user has been disabled: the caller then closes the stream,
 * and the browser reconnects (and re-authenticates).
 */
export async function refreshPresence(connectionId: string, db: Db = getDb()): Promise<boolean> {
  const updated = await db.$executeRaw`
    UPDATE "LivePresence" p SET "lastSeenAt" = now() FROM "User" u
    WHERE p.id = ${connectionId} AND u.id = p."userId" AND u."disabledAt" IS NULL`;
  return updated > 0;
}

/** Deletes the incident's rows not refreshed for `staleMs` (their instance died) and publishes the list if any went. */
export async function sweepStalePresence(incidentId: string, db: Db = getDb(), staleMs = PRESENCE_STALE_MS): Promise<number> {
  const age = staleMs / 1000;
  const any = await db.$queryRaw<unknown[]>`
    SELECT 1 FROM "LivePresence" WHERE "incidentId" = ${incidentId} AND "lastSeenAt" <= now() - make_interval(secs => ${age}::float8) LIMIT 1`;
  if (any.length === 0) return 0;
  return db.$transaction(async (tx) => {
    await lockIncidentPresence(tx, incidentId);
    const gone = await tx.$queryRaw<{ userId: string }[]>`
      DELETE FROM "LivePresence" WHERE "incidentId" = ${incidentId} AND "lastSeenAt" <= now() - make_interval(secs => ${age}::float8)
      RETURNING "userId"`;
    if (gone.length > 0) await publishPresence(tx, incidentId, { left: [...new Set(gone.map((r) => r.userId))] }, null);
    return gone.length;
  });
}

/**
 * Deletes presence rows not refreshed for an hour (the "live.prune" job): rows of instances that
 * died on incidents nobody opened since, which no stream's sweep reaches. Nobody is told: any
 * viewer's list stopped showing them after PRESENCE_STALE_MS.
 */
export async function pruneAbandonedPresence(db: Db = getDb()): Promise<number> {
  return db.$executeRaw`DELETE FROM "LivePresence" WHERE "lastSeenAt" < now() - interval '1 hour'`;
}
