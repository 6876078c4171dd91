// Reading live events back from the LiveEvent table: after a reconnect (of the hub's database
// connection or of a browser's stream) and for a new subscriber that names the last event it saw.
//
// Why not simply `id > lastSeen`: ids come from a sequence when a row is inserted, but rows become
// visible when their transaction commits. Transaction A may take id 104, transaction B id 105, and
// B commit first; a client that saw 105 and reconnects before A commits would ask for `id > 105`
// and never see 104. Instead each row records its transaction id (`txId`) and the oldest
// transaction still open when it was written (`snapshotXmin`). Every transaction that commits
// after event E was written was open or not yet begun at that moment, so its `txId` is at least
// E's `snapshotXmin`. Replaying "after E" therefore returns `id > E.id` OR `txId >= E.snapshotXmin`
// (minus E's own transaction, whose events were visible together with E): exact, with no time
// window to guess. The overlap (events of transactions that were open around E but committed
// before it) is usually empty and otherwise a few events, which receivers drop by id.
import type pg from "pg";
import type { LiveEventMessage, LiveTopic } from "./topics";

/** A position in the event stream: everything committed after it is returned by replay. */
export type ReplayCursor = { lastId: bigint; xmin: bigint | null; txId: bigint | null };

type Row = { id: string; incidentId: string; topic: string; payload: unknown; actorId: string | null; at: Date };

// Note: ORDER BY must name "LiveEvent".id: a bare `id` would be this text alias and sort "10" before "9".
export const EVENT_COLUMNS = `id::text AS id, "incidentId", topic, payload, "actorId", at`;

export function toMessage(row: Row): LiveEventMessage {
  return {
    id: row.id,
    incidentId: row.incidentId,
    topic: row.topic as LiveTopic,
    payload: row.payload,
    actorId: row.actorId,
    at: row.at.toISOString(),
  };
}

type Queryable = Pick<pg.ClientBase, "query">;

/** The cursor "right after event `afterId`", or a plain id cursor when that event is gone (pruned, or never existed). */
export async function cursorAfter(db: Queryable, afterId: bigint): Promise<ReplayCursor> {
  const { rows } = await db.query<{ txId: string; xmin: string }>(
    `SELECT "txId"::text AS "txId", "snapshotXmin"::text AS xmin FROM "LiveEvent" WHERE id = $1`,
    [afterId.toString()],
  );
  const anchor = rows[0];
  return anchor ? { lastId: afterId, xmin: BigInt(anchor.xmin), txId: BigInt(anchor.txId) } : { lastId: afterId, xmin: null, txId: null };
}

/** The cursor "now": every event committed after this call is after it (take it once LISTEN is active). */
export async function cursorNow(db: Queryable): Promise<ReplayCursor> {
  const { rows } = await db.query<{ last: string; xmin: string }>(
    `SELECT coalesce(max(id), 0)::text AS last, pg_snapshot_xmin(pg_current_snapshot())::text AS xmin FROM "LiveEvent"`,
  );
  return { lastId: BigInt(rows[0].last), xmin: BigInt(rows[0].xmin), txId: null };
}

/** Events of these incidents committed after `cursor`, in id order (may include a few already seen). */
export async function replayEvents(db: Queryable, incidentIds: readonly string[], cursor: ReplayCursor): Promise<LiveEventMessage[]> {
  if (incidentIds.length === 0) return [];
  const { rows } = await db.query<Row>(
    `SELECT ${EVENT_COLUMNS} FROM "LiveEvent"
     WHERE "incidentId" = ANY($1::text[])
       AND (id > $2::bigint OR ($3::bigint IS NOT NULL AND "txId" >= $3::bigint AND "txId" IS DISTINCT FROM $4::bigint))
     ORDER BY "LiveEvent".id`,
    [incidentIds, cursor.lastId.toString(), cursor.xmin?.toString() ?? null, cursor.txId?.toString() ?? null],
  );
  return rows.map(toMessage);
}

/** The events with these ids, in id order. */
export async function readEvents(db: Queryable, ids: readonly string[]): Promise<LiveEventMessage[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<Row>(`SELECT ${EVENT_COLUMNS} FROM "LiveEvent" WHERE id = ANY($1::bigint[]) ORDER BY "LiveEvent".id`, [
    ids,
  ]);
  return rows.map(toMessage);
}
