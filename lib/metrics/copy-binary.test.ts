import { describe, expect, it } from "vitest";
import { encodeSamplesBinary } from "./copy-binary";

describe("encodeSamplesBinary", () => {
  it("writes PostgreSQL's binary COPY: signature, tuples of four fields, trailer", () => {
    const buf = encodeSamplesBinary("svc-é", [
      { metric: "ERROR_RATE", ts: new Date("2000-01-01T00:00:00.001Z"), value: 0.25 },
      { metric: "THROUGHPUT", ts: new Date("1999-12-31T23:59:59.999Z"), value: 1e9 },
      { metric: "ERROR_RATE", ts: new Date("2026-12-05T22:00:00.123Z"), value: 0 },
    ]);
    expect(buf.subarray(0, 11).toString("latin1")).toBe("PGCOPY\n\xff\r\n\0");
    expect(buf.readInt32BE(11)).toBe(0);
    expect(buf.readInt32BE(15)).toBe(0);
    let o = 19;
    const tuples: { service: string; metric: string; us: bigint; value: number }[] = [];
    for (;;) {
      const fields = buf.readInt16BE(o);
      o += 2;
      if (fields === -1) break;
      expect(fields).toBe(4);
      const text = () => {
        const n = buf.readInt32BE(o);
        const s = buf.subarray(o + 4, o + 4 + n).toString("utf8");
        o += 4 + n;
        return s;
      };
      const service = text();
      const metric = text();
      expect(buf.readInt32BE(o)).toBe(8);
      const us = buf.readBigInt64BE(o + 4);
      expect(buf.readInt32BE(o + 12)).toBe(8);
      const value = buf.readDoubleBE(o + 16);
      o += 24;
      tuples.push({ service, metric, us, value });
    }
    expect(o).toBe(buf.length);
    expect(tuples).toEqual([
      { service: "svc-é", metric: "ERROR_RATE", us: 1000n, value: 0.25 },
      { service: "svc-é", metric: "THROUGHPUT", us: -1000n, value: 1e9 },
      { service: "svc-é", metric: "ERROR_RATE", us: BigInt(Date.parse("2026-12-05T22:00:00.123Z") - 946_684_800_000) * 1000n, value: 0 },
    ]);
  });
});
