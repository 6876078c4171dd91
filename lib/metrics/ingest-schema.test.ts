// The fast path of batch validation against the schema it stands in for: on every input it accepts,
// ingestBatchSchema accepts too with the same output; whatever it declines gets the schema's wording.
import { describe, expect, it } from "vitest";
import { ingestBatchSchema, MAX_BATCH_SAMPLES, parseIngestBatch, parseValidBatch } from "./ingest-schema";

// The schema reads the clock itself: the fast path is given the same "now" (a moment earlier, so never more lenient).
const NOW = Date.now();
const good = (i: number) => ({
  metric: ["error_rate", "latency_p50", "latency_p95", "latency_p99", "throughput", "availability"][i % 6],
  ts: i % 2 ? NOW - i * 1000 : new Date(NOW - i * 1000).toISOString(),
  value: i % 6 === 0 ? 0.01 : 42.5,
});

// One sample changed in each way the wire format can be wrong (or unusual but right).
const MUTATIONS: [string, (s: Record<string, unknown>) => unknown][] = [
  ["extra key", (s) => ({ ...s, unit: "ms" })],
  ["missing value", ({ value: _v, ...s }) => s],
  ["unknown metric", (s) => ({ ...s, metric: "cpu" })],
  ["metric from the prototype", (s) => ({ ...s, metric: "__proto__" })],
  ["metric toString", (s) => ({ ...s, metric: "toString" })],
  ["metric not a string", (s) => ({ ...s, metric: 3 })],
  ["negative ts", (s) => ({ ...s, ts: -1 })],
  ["fractional ts", (s) => ({ ...s, ts: NOW - 0.5 })],
  ["ts beyond dates", (s) => ({ ...s, ts: 8.64e15 + 1 })],
  ["ts unsafe integer", (s) => ({ ...s, ts: 2 ** 60 })],
  ["ts in the future", (s) => ({ ...s, ts: NOW + 6 * 60_000 })],
  ["ts a little ahead", (s) => ({ ...s, ts: NOW + 4 * 60_000 })],
  ["ts ISO without offset", (s) => ({ ...s, ts: new Date(NOW - 3600_000).toISOString().slice(0, 19) })],
  ["ts ISO with +02:00", (s) => ({ ...s, ts: `${new Date(NOW - 3600_000 + 2 * 3600_000).toISOString().slice(0, 19)}+02:00` })],
  ["ts not a date", (s) => ({ ...s, ts: "yesterday" })],
  ["ts null", (s) => ({ ...s, ts: null })],
  ["value a string", (s) => ({ ...s, value: "1" })],
  ["value Infinity", (s) => ({ ...s, value: Number.POSITIVE_INFINITY })],
  ["value negative", (s) => ({ ...s, value: -1 })],
  ["value above the bound", (s) => ({ ...s, metric: "error_rate", value: 1.5 })],
  ["value at the bound", (s) => ({ ...s, metric: "availability", value: 100 })],
  ["sample null", () => null],
  ["sample an array", (s) => [s]],
  ["own __proto__ key", (s) => JSON.parse(`{"__proto__":{"x":1},${JSON.stringify(s).slice(1)}`)],
];

function expectSameAsSchema(body: unknown) {
  const schema = ingestBatchSchema.safeParse(body);
  const fast = parseValidBatch(body, NOW);
  // Whatever the fast path accepts, the schema accepts with the same samples.
  if (fast) {
    expect(schema.success).toBe(true);
    expect(fast).toEqual(schema.data?.samples);
  }
  const result = parseIngestBatch(body, NOW);
  if (schema.success) expect(result).toEqual({ samples: schema.data.samples, issues: null });
  else expect(result).toEqual({ samples: null, issues: schema.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) });
}

describe("parseIngestBatch", () => {
  it("takes the fast path for a full valid batch, with the schema's output", () => {
    const body = { samples: Array.from({ length: MAX_BATCH_SAMPLES }, (_, i) => good(i)) };
    expect(parseValidBatch(body, NOW)).not.toBeNull();
    expectSameAsSchema(body);
  });

  it.each(MUTATIONS)("agrees with the schema on a batch with one sample changed: %s", (_name, mutate) => {
    for (const at of [0, 7, 99]) {
      const samples: unknown[] = Array.from({ length: 100 }, (_, i) => good(i));
      samples[at] = mutate(samples[at] as Record<string, unknown>);
      expectSameAsSchema({ samples });
      expectSameAsSchema(JSON.parse(JSON.stringify({ samples })));
    }
  });

  it("agrees with the schema on the batch's own shape", () => {
    for (const body of [
      null,
      [],
      "samples",
      {},
      { samples: [] },
      { samples: {} },
      { samples: [good(1)], extra: true },
      { samples: Array.from({ length: MAX_BATCH_SAMPLES + 1 }, (_, i) => good(i)) },
      JSON.parse(`{"__proto__":{},"samples":[${JSON.stringify(good(1))}]}`),
    ])
      expectSameAsSchema(body);
  });
});
