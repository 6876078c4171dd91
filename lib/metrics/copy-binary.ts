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

/**
 * One COPY payload: the header, a tuple per row (serviceId, metric as its label, ts, value), the trailer. A row's
 * first three fields are the same bytes for every row of a metric, so they are built once per metric and copied
 * with TypedArray.set; numbers go through a DataView. (Buffer's copy and write* per row cost about 4 × as much
 * for a 5,000-sample batch, bench/README.md.)
 */
export function encodeSamplesBinary(serviceId: string, rows: readonly CopyRow[]): Buffer {
  const service = Buffer.from(serviceId, "utf8");
  // Field count, serviceId and metric label of a row: 2 + 4 + service + 4 + label bytes.
  const prefixes = new Map<string, Buffer>();
  let size = SIGNATURE.length + 8 + 2;
  for (const r of rows) {
    let prefix = prefixes.get(r.metric);
    if (!prefix) {
      const label = Buffer.from(r.metric, "utf8");
      prefix = Buffer.alloc(2 + 4 + service.length + 4 + label.length);
      let p = prefix.writeInt16BE(4, 0);
      p = prefix.writeInt32BE(service.length, p);
      p += service.copy(prefix, p);
      p = prefix.writeInt32BE(label.length, p);
      label.copy(prefix, p);
      prefixes.set(r.metric, prefix);
    }
    size += prefix.length + 4 + 8 + 4 + 8;
  }
  const out = Buffer.allocUnsafe(size);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let o = SIGNATURE.copy(out, 0);
  view.setInt32(o, 0); // flags
  view.setInt32(o + 4, 0); // header extension length
  o += 8;
  for (const r of rows) {
    const prefix = prefixes.get(r.metric) as Buffer;
    out.set(prefix, o);
    o += prefix.length;
    // timestamptz: int64 microseconds since 2000-01-01, written as two 32-bit halves (exact below 2^53).
    const us = r.ts.getTime() * 1000 - PG_EPOCH_US;
    const high = Math.floor(us / TWO_32);
    view.setInt32(o, 8);
    view.setInt32(o + 4, high);
    view.setUint32(o + 8, us - high * TWO_32);
    view.setInt32(o + 12, 8);
    view.setFloat64(o + 16, r.value);
    o += 24;
  }
  view.setInt16(o, -1);
  return out;
}
