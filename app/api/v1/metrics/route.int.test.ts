// POST /api/v1/metrics against the real database: the exported handler is called with a real
// Request, as Next.js would call it, and the stored MetricSample rows are read back.
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { generateIngestToken } from "@/lib/metrics/tokens";
import { makeService } from "@/lib/testing/factories";
import { POST } from "./route";

type Sample = { metric: string; ts: string | number; value: unknown };

async function serviceWithToken(options: { revoked?: boolean } = {}) {
  const service = await makeService();
  const { token, hash, prefix } = generateIngestToken();
  const row = await getDb().ingestionToken.create({
    data: { serviceId: service.id, name: "route test", tokenHash: hash, prefix, revokedAt: options.revoked ? new Date() : null },
    select: { id: true },
  });
  return { serviceId: service.id, tokenId: row.id, token };
}

function post(body: string | object, token?: string | null, extraHeaders: Record<string, string> = {}) {
  const headers: Record<string, string> = { "content-type": "application/json", ...extraHeaders };
  if (token) headers.authorization = `Bearer ${token}`;
  return POST(
    new Request("http://x/api/v1/metrics", {
      method: "POST",
      headers,
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

async function stored(serviceId: string) {
  return getDb().metricSample.findMany({ where: { serviceId }, orderBy: [{ metric: "asc" }, { ts: "asc" }] });
}

async function lastUsedAt(tokenId: string) {
  return (await getDb().ingestionToken.findUniqueOrThrow({ where: { id: tokenId }, select: { lastUsedAt: true } })).lastUsedAt;
}

// Whole seconds, a minute before the file loaded and earlier: inside the accepted clock range, exact
// in timestamptz, and the same instant every time a test names it.
const BASE = Math.floor(Date.now() / 1000) * 1000 - 60_000;
const at = (secondsAgo: number) => BASE - secondsAgo * 1000;

const goodSamples = (): Sample[] => [
  { metric: "error_rate", ts: at(30), value: 0.01 },
  { metric: "latency_p99", ts: new Date(at(30)).toISOString(), value: 120.5 },
  { metric: "throughput", ts: at(15), value: 42 },
];

describe("POST /api/v1/metrics", () => {
  it("refuses a request without a bearer token, storing nothing", async () => {
    const { serviceId, tokenId } = await serviceWithToken();
    const res = await post({ samples: goodSamples() }, null);
    expect(res.status).toBe(401);
    expect((await res.json()).error).toMatch(/Missing bearer token/);
    const basic = await post({ samples: goodSamples() }, null, { authorization: "Basic dXNlcjpwdw==" });
    expect(basic.status).toBe(401);
    expect(await stored(serviceId)).toEqual([]);
    expect(await lastUsedAt(tokenId)).toBeNull();
  });

  it("refuses an unknown token", async () => {
    const { serviceId } = await serviceWithToken();
    const res = await post({ samples: goodSamples() }, generateIngestToken().token);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "Unknown or revoked ingestion token." });
    expect(await stored(serviceId)).toEqual([]);
  });

  it("refuses a revoked token", async () => {
    const { serviceId, tokenId, token } = await serviceWithToken({ revoked: true });
    const res = await post({ samples: goodSamples() }, token);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "Unknown or revoked ingestion token." });
    expect(await stored(serviceId)).toEqual([]);
    expect(await lastUsedAt(tokenId)).toBeNull();
  });

  it("answers 400 to a body that is not JSON", async () => {
    const { serviceId, token } = await serviceWithToken();
    const res = await post('{"samples": [', token);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "Body is not valid JSON." });
    expect(await stored(serviceId)).toEqual([]);
  });

  const badSamples: { name: string; sample: Sample; path: string; message: RegExp }[] = [
    {
      name: "an unknown metric",
      sample: { metric: "cpu", ts: at(5), value: 1 },
      path: "samples.1.metric",
      message: /metric must be one of/,
    },
    {
      name: "an error rate above 1",
      sample: { metric: "error_rate", ts: at(5), value: 1.5 },
      path: "samples.1.value",
      message: /error_rate is a fraction between 0 and 1/,
    },
    { name: "NaN as a string", sample: { metric: "latency_p50", ts: at(5), value: "NaN" }, path: "samples.1.value", message: /number/ },
    {
      name: "a timestamp 10 minutes in the future",
      sample: { metric: "throughput", ts: Date.now() + 10 * 60_000, value: 5 },
      path: "samples.1.ts",
      message: /more than 5 minutes in the future/,
    },
    {
      name: "a negative latency",
      sample: { metric: "latency_p95", ts: at(5), value: -3 },
      path: "samples.1.value",
      message: /latency_p95 is milliseconds between 0 and/,
    },
    {
      name: "an availability above 100",
      sample: { metric: "availability", ts: at(5), value: 100.5 },
      path: "samples.1.value",
      message: /availability is a percent/,
    },
    {
      name: "a timestamp that is not a date",
      sample: { metric: "throughput", ts: "yesterday", value: 5 },
      path: "samples.1.ts",
      message: /./,
    },
    // Names found on every object's prototype are not metrics (they used to pass and end in a 500).
    ...["__proto__", "toString", "constructor", "hasOwnProperty", "valueOf"].map((metric) => ({
      name: `the metric name ${metric}`,
      sample: { metric, ts: at(5), value: 1 },
      path: "samples.1.metric",
      message: /metric must be one of error_rate, /,
    })),
    {
      name: "the last instant JavaScript can represent (8.64e15 ms, year 275760)",
      sample: { metric: "throughput", ts: 8.64e15, value: 1 },
      path: "samples.1.ts",
      message: /more than 5 minutes in the future/,
    },
    {
      name: "an instant beyond what a Date can hold (8.64e15 + 1 ms)",
      sample: { metric: "throughput", ts: 8.64e15 + 1, value: 1 },
      path: "samples.1.ts",
      message: /more than 5 minutes in the future/,
    },
    {
      name: "a sample dated 1970 (epoch 0)",
      sample: { metric: "throughput", ts: 0, value: 1 },
      path: "samples.1.ts",
      message: /older than the service's retention of 14 days/,
    },
    {
      name: "a sample dated 1900",
      sample: { metric: "throughput", ts: "1900-01-01T00:00:00Z", value: 1 },
      path: "samples.1.ts",
      message: /older than the service's retention of 14 days/,
    },
    {
      name: "a sample 15 days old (retention 14 days)",
      sample: { metric: "throughput", ts: Date.now() - 15 * 86_400_000, value: 1 },
      path: "samples.1.ts",
      message: /older than the service's retention of 14 days/,
    },
    {
      name: "a latency of 1e308 ms",
      sample: { metric: "latency_p99", ts: at(5), value: 1e308 },
      path: "samples.1.value",
      message: /latency_p99 is milliseconds between 0 and 86,400,000/,
    },
    {
      name: "a throughput of 1e308",
      sample: { metric: "throughput", ts: at(5), value: 1e308 },
      path: "samples.1.value",
      message: /throughput is requests per second between 0 and 1,000,000,000/,
    },
    {
      name: "a negative throughput",
      sample: { metric: "throughput", ts: at(5), value: -1 },
      path: "samples.1.value",
      message: /throughput is requests per second between 0/,
    },
  ];

  for (const { name, sample, path, message } of badSamples) {
    it(`rejects the whole batch with 422 for ${name} among good samples, storing none of it`, async () => {
      const { serviceId, tokenId, token } = await serviceWithToken();
      const [first, ...rest] = goodSamples();
      const res = await post({ samples: [first, sample, ...rest] }, token);
      expect(res.status).toBe(422);
      const body = (await res.json()) as { error: string; details: { path: string; message: string }[] };
      expect(body.error).toBe("Batch rejected; nothing was stored.");
      expect(body.details).toContainEqual({ path, message: expect.stringMatching(message) });
      expect(await stored(serviceId)).toEqual([]);
      expect(await lastUsedAt(tokenId)).toBeNull();
    });
  }

  it("answers 413 to a chunked body over the limit (no Content-Length), reading no more than the limit, storing nothing", async () => {
    const { serviceId, tokenId, token } = await serviceWithToken();
    // 8 MB of a syntactically valid batch, streamed in 64 KB chunks without a Content-Length.
    const chunk = new TextEncoder().encode(`${JSON.stringify({ metric: "throughput", ts: at(1), value: 1 })},`.repeat(1200));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"samples":['));
      },
      pull(c) {
        if (sent >= 8 * 1024 * 1024) {
          c.enqueue(new TextEncoder().encode(`${JSON.stringify({ metric: "throughput", ts: at(1), value: 1 })}]}`));
          c.close();
          return;
        }
        sent += chunk.byteLength;
        c.enqueue(chunk);
      },
    });
    const res = await POST(
      new Request("http://x/api/v1/metrics", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body,
        duplex: "half",
      } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect((await res.json()).error).toBe("Batch too large: at most 1,000,000 bytes and 5000 samples per request.");
    // Reading stopped at the limit: the rest of the 8 MB was never pulled.
    expect(sent).toBeLessThan(2 * 1024 * 1024);
    expect(await stored(serviceId)).toEqual([]);
    expect(await lastUsedAt(tokenId)).toBeNull();

    const declared = await post({ samples: goodSamples() }, token, { "content-length": String(8 * 1024 * 1024) });
    expect(declared.status).toBe(413);
  });

  it("answers 415 to a body not sent as JSON, and 400 to bytes that are not UTF-8, storing nothing", async () => {
    const { serviceId, token } = await serviceWithToken();
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""]) {
      const res = await post({ samples: goodSamples() }, token, { "content-type": type });
      expect(res.status).toBe(415);
      expect(await res.json()).toEqual({ error: "Send the batch as JSON: `Content-Type: application/json`." });
    }
    expect((await post({ samples: goodSamples() }, token, { "content-type": "Application/JSON; charset=utf-8" })).status).toBe(202);
    await getDb().metricSample.deleteMany({ where: { serviceId } });

    const invalid = Buffer.concat([
      Buffer.from('{"samples":[{"metric":"throughput","ts":0,"value":1,"x":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}]}'),
    ]);
    const res = await POST(
      new Request("http://x/api/v1/metrics", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: invalid,
      }),
    );
    expect(res.status).toBe(400);
    expect(await stored(serviceId)).toEqual([]);
  });

  it("rejects a value that JSON turns into Infinity (1e309) with 422", async () => {
    const { serviceId, token } = await serviceWithToken();
    const res = await post(`{"samples":[{"metric":"latency_p50","ts":${at(3)},"value":1e309}]}`, token);
    expect(res.status).toBe(422);
    expect((await res.json()).details[0].path).toBe("samples.0.value");
    expect(await stored(serviceId)).toEqual([]);
  });

  it("accepts the edges: a sample just inside the retention, the bounds of each metric", async () => {
    const { serviceId, token } = await serviceWithToken();
    const inside = Math.floor((Date.now() - 13 * 86_400_000) / 1000) * 1000;
    const res = await post(
      {
        samples: [
          { metric: "throughput", ts: inside, value: 1e9 },
          { metric: "error_rate", ts: at(1), value: 1 },
          { metric: "availability", ts: at(1), value: 0 },
          { metric: "latency_p99", ts: at(1), value: 86_400_000 },
        ],
      },
      token,
    );
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 4 });
    expect((await stored(serviceId)).map((r) => r.metric)).toHaveLength(4);
  });

  it("rejects an empty batch, unknown fields and a batch over 5,000 samples", async () => {
    const { serviceId, token } = await serviceWithToken();
    const empty = await post({ samples: [] }, token);
    expect(empty.status).toBe(422);
    expect((await empty.json()).details).toContainEqual({ path: "samples", message: "samples must not be empty" });

    const extra = await post({ samples: [{ ...goodSamples()[0], unit: "%" }] }, token);
    expect(extra.status).toBe(422);
    expect((await extra.json()).details[0].path).toBe("samples.0");

    const many = Array.from({ length: 5001 }, (_, i) => ({ metric: "throughput", ts: at(0) - i * 1000, value: 1 }));
    const tooMany = await post({ samples: many }, token);
    expect(tooMany.status).toBe(422);
    expect((await tooMany.json()).details).toContainEqual({ path: "samples", message: "at most 5000 samples per batch" });
    expect(await stored(serviceId)).toEqual([]);
  });

  it("stores a valid batch: 202 with the count, exactly those rows, and marks the token used", async () => {
    const { serviceId, tokenId, token } = await serviceWithToken();
    const other = await serviceWithToken();
    const before = Date.now();
    const isoWithOffset = new Date(at(45)).toISOString().replace("Z", "+00:00");
    const samples: Sample[] = [
      { metric: "error_rate", ts: at(60), value: 0.005 },
      { metric: "error_rate", ts: at(45), value: 0 },
      { metric: "latency_p50", ts: isoWithOffset, value: 12.25 },
      { metric: "latency_p95", ts: at(45), value: 80 },
      { metric: "latency_p99", ts: new Date(at(45)).toISOString(), value: 150.75 },
      { metric: "throughput", ts: at(45), value: 310 },
      { metric: "availability", ts: at(45), value: 99.95 },
    ];
    const res = await post({ samples }, token);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 7 });

    const rows = await stored(serviceId);
    expect(rows.map((r) => ({ serviceId: r.serviceId, metric: r.metric, ts: r.ts.getTime(), value: r.value }))).toEqual([
      { serviceId, metric: "ERROR_RATE", ts: at(60), value: 0.005 },
      { serviceId, metric: "ERROR_RATE", ts: at(45), value: 0 },
      { serviceId, metric: "LATENCY_P50", ts: at(45), value: 12.25 },
      { serviceId, metric: "LATENCY_P95", ts: at(45), value: 80 },
      { serviceId, metric: "LATENCY_P99", ts: at(45), value: 150.75 },
      { serviceId, metric: "THROUGHPUT", ts: at(45), value: 310 },
      { serviceId, metric: "AVAILABILITY", ts: at(45), value: 99.95 },
    ]);
    // The token decides the service: nothing lands on another one.
    expect(await stored(other.serviceId)).toEqual([]);

    const used = await lastUsedAt(tokenId);
    expect(used).not.toBeNull();
    expect(used!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(used!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it("accepts a timestamp a little ahead (clock skew under 5 minutes)", async () => {
    const { serviceId, token } = await serviceWithToken();
    const ahead = Math.floor(Date.now() / 1000) * 1000 + 60_000;
    const res = await post({ samples: [{ metric: "throughput", ts: ahead, value: 3 }] }, token);
    expect(res.status).toBe(202);
    expect((await stored(serviceId)).map((r) => r.ts.getTime())).toEqual([ahead]);
  });

  it("replaces the value of a re-sent sample instead of duplicating it, also within one batch", async () => {
    const { serviceId, token } = await serviceWithToken();
    const ts = at(90);
    expect((await post({ samples: [{ metric: "latency_p99", ts, value: 100 }] }, token)).status).toBe(202);

    const again = await post(
      {
        samples: [
          { metric: "latency_p99", ts: new Date(ts).toISOString(), value: 250 },
          { metric: "throughput", ts, value: 1 },
          { metric: "throughput", ts, value: 2 },
        ],
      },
      token,
    );
    expect(again.status).toBe(202);
    // Two distinct (metric, ts) pairs: the in-batch duplicate counts once, the last value wins.
    expect(await again.json()).toEqual({ accepted: 2 });
    const rows = await stored(serviceId);
    expect(rows.map((r) => [r.metric, r.ts.getTime(), r.value])).toEqual([
      ["LATENCY_P99", ts, 250],
      ["THROUGHPUT", ts, 2],
    ]);
  });

  it("stores a full batch of 5,000 (by COPY) exactly; re-sent with changes and new samples it replaces, never duplicates", async () => {
    const { serviceId, token } = await serviceWithToken();
    const metrics = ["error_rate", "latency_p50", "latency_p95", "latency_p99", "throughput", "availability"];
    const batch = Array.from({ length: 5000 }, (_, i) => ({
      metric: metrics[i % 6],
      ts: i % 2 ? at(Math.floor(i / 6)) : new Date(at(Math.floor(i / 6))).toISOString(),
      value: (i % 97) / 100,
    }));
    const first = await post({ samples: batch }, token);
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ accepted: 5000 });
    const count = () => getDb().metricSample.count({ where: { serviceId } });
    expect(await count()).toBe(5000);
    const sum = async () => (await getDb().metricSample.aggregate({ where: { serviceId }, _sum: { value: true } }))._sum.value;
    expect(await sum()).toBeCloseTo(
      batch.reduce((n, s) => n + s.value, 0),
      6,
    );
    // Every row exactly as sent: metric, instant (to the millisecond) and value.
    const rows = await stored(serviceId);
    const key = (metric: string, ts: number) => `${metric}|${ts}`;
    const sent = new Map(batch.map((s) => [key(String(s.metric).toUpperCase(), new Date(s.ts).getTime()), s.value]));
    expect(rows.length).toBe(5000);
    for (const r of rows) expect(sent.get(key(r.metric, r.ts.getTime()))).toBe(r.value);

    // A retry of the same batch, then half of it with new values and 100 new samples, plus an in-batch duplicate.
    expect((await post({ samples: batch }, token)).status).toBe(202);
    const changed = [
      ...batch.slice(0, 2500).map((s) => ({ ...s, value: 0.5 })),
      ...Array.from({ length: 100 }, (_, i) => ({ metric: "throughput", ts: at(2000 + i), value: 7 })),
      { metric: "throughput", ts: at(2000), value: 9 },
    ];
    const again = await post({ samples: changed }, token);
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ accepted: 2600 });
    expect(await count()).toBe(5100);
    const expected = 2500 * 0.5 + batch.slice(2500).reduce((n, s) => n + s.value, 0) + 99 * 7 + 9;
    expect(await sum()).toBeCloseTo(expected, 6);
  });

  it("a fresh full batch with a sample twice in it: the COPY refuses it, the upsert stores it once, the last value wins", async () => {
    const { serviceId, token } = await serviceWithToken();
    const batch: Sample[] = Array.from({ length: 4999 }, (_, i) => ({ metric: "throughput", ts: at(i), value: 1 }));
    batch.push({ metric: "throughput", ts: at(1234), value: 5 });
    const res = await post({ samples: batch }, token);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 4999 });
    expect(await getDb().metricSample.count({ where: { serviceId } })).toBe(4999);
    const twice = await getDb().metricSample.findFirstOrThrow({ where: { serviceId, ts: new Date(at(1234)) } });
    expect(twice.value).toBe(5);
  });

  it("rejects a full batch with one bad sample among 5,000, naming it and storing nothing", async () => {
    const { serviceId, token } = await serviceWithToken();
    const batch: Sample[] = Array.from({ length: 5000 }, (_, i) => ({ metric: "throughput", ts: at(i), value: 1 }));
    batch[4321] = { metric: "error_rate", ts: at(4321), value: 2 };
    const res = await post({ samples: batch }, token);
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      error: "Batch rejected; nothing was stored.",
      details: [{ path: "samples.4321.value", message: "error_rate is a fraction between 0 and 1" }],
    });
    expect(await stored(serviceId)).toEqual([]);
  });
});
