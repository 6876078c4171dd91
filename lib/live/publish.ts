// Publishing a live event: inside the caller's transaction, so it is announced only if it commits.
import "server-only";
import type { Db, Tx } from "@/lib/db";
import type { LiveTopic } from "./topics";

export type { LiveEventMessage, LiveTopic } from "./topics";

/** The channel every app instance's hub LISTENs on (lib/live/hub.ts). */
export const LIVE_CHANNEL = "backout_live";

/**
 * Stores a LiveEvent and notifies `backout_live` with `{id, incidentId, tx, xmin}`, both in `tx`
 * (the SQL function backout_publish_live of the live_events migration). Pass the transaction that
 * makes the change: a rolled-back change announces nothing. Returns the event id.
 */
export async function publishLive(
  tx: Tx,
  incidentId: string,
  topic: LiveTopic,
  payload: unknown,
  actorId?: string | null,
): Promise<bigint> {
  const json = JSON.stringify(payload ?? {});
  const rows = await tx.$queryRaw<{ id: bigint }[]>`
    SELECT backout_publish_live(${incidentId}, ${topic}, ${json}::jsonb, ${actorId ?? null}) AS id`;
  const id = rows[0]?.id;
  if (id === undefined) throw new Error("backout_publish_live returned no id");
  return BigInt(id);
}

/** How long live events are kept: long enough to replay to a browser that was away, not forever. */
export const LIVE_EVENT_KEEP_DAYS = 7;

/** Deletes live events older than `keepDays` (the "live.prune" job, hourly, once per cluster). */
export async function pruneLiveEvents(db: Db, keepDays = LIVE_EVENT_KEEP_DAYS): Promise<number> {
  return db.$executeRaw`DELETE FROM "LiveEvent" WHERE at < now() - make_interval(days => ${keepDays}::int)`;
}
