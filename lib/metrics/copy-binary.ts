// MetricSample rows in PostgreSQL's binary COPY format: no number or timestamp text to format here or to
// parse in the server (bench/README.md: about a third of a COPY's cost was text). Pure.
// Format: https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4
import type { MetricKind } from "./types";

export const COPY_SAMPLES_SQL = `COPY "MetricSample" ("serviceId", metric, ts, value) FROM STDIN (FORMAT binary)`;

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
/** Microseconds from the Unix epoch to PostgreSQL's (2000-01-01 UTC). */
const PG_EPOCH_US = 946_684_800_000_000;
const TWO_32 = 2 ** 32;

export type CopyRow = { metric: MetricKind; ts: Date; value: number };

/** One COPY payload: the header, a tuple per row (serviceId, metric as its label, ts, value), the trailer. */
export function encodeSamplesBinary(serviceId: string, rows: readonly CopyRow[]): Buffer {
  const service = Buffer.from(serviceId, "utf8");
  const labels = new Map<string, Buffer>();
  let size = SIGNATURE.length + 8 + 2;
  for (const r of rows) {
    let label = labels.get(r.metric);
    if (!label) {
      label = Buffer.from(r.metric, "utf8");
      labels.set(r.metric, label);
    }
    size += 2 + 4 + service.length + 4 + label.length + 4 + 8 + 4 + 8;
  }
  const out = Buffer.allocUnsafe(size);
  let o = SIGNATURE.copy(out, 0);
  o = out.writeInt32BE(0, o); // flags
  o = out.writeInt32BE(0, o); // header extension length
  for (const r of rows) {
    const label = labels.get(r.metric) as Buffer;
    o = out.writeInt16BE(4, o);
    o = out.writeInt32BE(service.length, o);
    o += service.copy(out, o);
    o = out.writeInt32BE(label.length, o);
    o += label.copy(out, o);
    // timestamptz: int64 microseconds since 2000-01-01, written as two 32-bit halves (exact below 2^53).
    const us = r.ts.getTime() * 1000 - PG_EPOCH_US;
    const high = Math.floor(us / TWO_32);
    o = out.writeInt32BE(8, o);
    o = out.writeInt32BE(high, o);
    o = out.writeUInt32BE(us - high * TWO_32, o);
    o = out.writeInt32BE(8, o);
    o = out.writeDoubleBE(r.value, o);
  }
  out.writeInt16BE(-1, o);
  return out;
}
