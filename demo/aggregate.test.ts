import { describe, expect, it } from "vitest";
import { ingestBatchSchema } from "@/lib/metrics/ingest-schema";
import { aggregate, alignDown, percentile, type RequestRecord, summarise, toSamples } from "./lib/aggregate.mjs";

const rec = (latencyMs: number, status = 200, endMs = 1_000): RequestRecord => ({ endMs, latencyMs, status });

describe("percentile (nearest rank)", () => {
  it("picks the smallest value with at least p of the values at or below it", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.95)).toBe(95);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile(values, 1)).toBe(100);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([1, 2, 3], 0.5)).toBe(2);
    expect(percentile([], 0.5)).toBeNaN();
  });
});

describe("aggregate", () => {
  it("computes error rate, availability, throughput and latency percentiles of a window", () => {
    const records = [
      ...Array.from({ length: 90 }, (_, i) => rec(10 + i)), // 10..99 ms, 200
      ...Array.from({ length: 5 }, () => rec(50, 404)), // client errors are not failures
      rec(1200, 500),
      rec(1300, 503),
      rec(1400, 500),
      rec(1500, 0), // no response at all
      rec(2000, 502),
    ];
    const s = aggregate(records, 5);
    expect(s.count).toBe(100);
    expect(s.errors).toBe(5);
    expect(s.error_rate).toBe(0.05);
    expect(s.availability).toBe(95);
    expect(s.throughput).toBe(20);
    // Failed requests count in the latency percentiles. Sorted: rank 50 is 54 ms (10..53 and five
    // 50s below it), rank 95 the slowest successful request (99 ms), rank 99 the fourth failure.
    expect(s.latency_p50).toBe(54);
    expect(s.latency_p95).toBe(99);
    expect(s.latency_p99).toBe(1500);
  });

  it("reports only throughput for a window without requests", () => {
    expect(aggregate([], 5)).toEqual({
      count: 0,
      errors: 0,
      error_rate: null,
      latency_p50: null,
      latency_p95: null,
      latency_p99: null,
      throughput: 0,
      availability: null,
    });
    expect(toSamples(5000, aggregate([], 5))).toEqual([{ metric: "throughput", ts: "1970-01-01T00:00:05.000Z", value: 0 }]);
  });

  it("selects the same percentiles as a full sort (quickselect)", () => {
    let seed = 42;
    const rand = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (const n of [1, 2, 3, 7, 99, 100, 101, 317, 1000]) {
      const values = Array.from({ length: n }, () => Math.round(rand() * 500) / 10); // with duplicates
      const sorted = [...values].sort((a, b) => a - b);
      const s = summarise(Float64Array.from(values), 0, 5);
      expect([s.latency_p50, s.latency_p95, s.latency_p99]).toEqual([
        percentile(sorted, 0.5),
        percentile(sorted, 0.95),
        percentile(sorted, 0.99),
      ]);
    }
  });

  it("turns a summary into samples Backout's ingestion accepts", () => {
    const samples = toSamples(Date.parse("2026-01-15T10:00:05Z"), aggregate([rec(20), rec(30, 500), rec(40)], 5));
    expect(samples.map((s) => s.metric)).toEqual(["error_rate", "latency_p50", "latency_p95", "latency_p99", "throughput", "availability"]);
    expect(samples.every((s) => s.ts === "2026-01-15T10:00:05.000Z")).toBe(true);
    expect(ingestBatchSchema.safeParse({ samples }).success).toBe(true);
    expect(samples.find((s) => s.metric === "error_rate")?.value).toBeCloseTo(1 / 3, 4);
    expect(samples.find((s) => s.metric === "availability")?.value).toBeCloseTo(66.667, 3);
  });

  it("aligns windows to the epoch", () => {
    expect(alignDown(Date.parse("2026-01-15T10:00:07.123Z"), 5000)).toBe(Date.parse("2026-01-15T10:00:05Z"));
    expect(alignDown(Date.parse("2026-01-15T10:00:05Z"), 5000)).toBe(Date.parse("2026-01-15T10:00:05Z"));
  });
});
