import { beforeAll, describe, expect, it } from "vitest";
import { ingestBatchSchema } from "@/lib/metrics/ingest-schema";
import { batches, HISTORY_MS, historySamples, type Sample } from "./backfill.mjs";

// In the past: Backout rejects samples from the future.
const NOW = Date.parse("2026-01-15T10:00:07.250Z"); // a Thursday
const DEPLOYED_AT = NOW - 25 * 60_000;
const METRICS = ["error_rate", "latency_p50", "latency_p95", "latency_p99", "throughput", "availability"];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe("historySamples (synthetic demo history)", () => {
  let samples: Sample[];
  beforeAll(() => {
    samples = [...historySamples({ deployedAt: DEPLOYED_AT, now: NOW, seed: 7 })];
  }, 30_000);

  it("covers (now - 7 days, now] at 15 s steps: 6 metrics per aligned timestamp", () => {
    expect(samples).toHaveLength((7 * 24 * 3600 * 6) / 15); // 241,920
    const times = samples.map((s) => Date.parse(s.ts));
    expect(times[0]).toBe(Date.parse("2026-01-08T10:00:15Z"));
    expect(times.at(-1)).toBe(Date.parse("2026-01-15T10:00:00Z"));
    expect(times.every((t) => t % 15_000 === 0 && t > NOW - HISTORY_MS && t <= NOW)).toBe(true);
    expect(times.every((t, i) => i === 0 || t >= times[i - 1])).toBe(true);
    for (let i = 0; i < 60; i += 6) expect(samples.slice(i, i + 6).map((s) => s.metric)).toEqual(METRICS);
  });

  it("produces values Backout's ingestion accepts, in realistic ranges", () => {
    const all = [...batches(samples, 5000)];
    expect(all).toHaveLength(Math.ceil(samples.length / 5000));
    expect(all.every((b) => b.length <= 5000)).toBe(true);
    // Validating every batch with the real schema takes seconds; the first, a middle and the last do.
    for (const batch of [all[0], all[24], all.at(-1) ?? []]) expect(ingestBatchSchema.safeParse({ samples: batch }).success).toBe(true);
    const of = (metric: string) => samples.filter((s) => s.metric === metric).map((s) => s.value);
    const throughput = of("throughput");
    expect(throughput.reduce((a, b) => Math.min(a, b))).toBeGreaterThan(5);
    expect(throughput.reduce((a, b) => Math.max(a, b))).toBeLessThan(45);
    // The daily curve: busy afternoons, quiet nights.
    const at = (iso: string) => samples.find((s) => s.metric === "throughput" && s.ts === iso)?.value ?? Number.NaN;
    expect(at("2026-01-13T15:00:00.000Z")).toBeGreaterThan(at("2026-01-13T03:00:00.000Z") * 1.3);
    // Scaled to meet the live load (~20 req/s) at `now`.
    expect(median(throughput.slice(-40))).toBeGreaterThan(16);
    expect(median(throughput.slice(-40))).toBeLessThan(24);
    for (const v of of("error_rate")) expect(v >= 0 && v <= 1).toBe(true);
    for (const v of of("availability")) expect(v >= 0 && v <= 100).toBe(true);
  });

  it("looks like blue v2.4.0 before deployedAt and like green v2.5.0 after", () => {
    const before = samples.filter((s) => Date.parse(s.ts) <= DEPLOYED_AT);
    const after = samples.filter((s) => Date.parse(s.ts) > DEPLOYED_AT);
    expect(after).toHaveLength(100 * 6); // 25 min at 15 s
    const values = (list: Sample[], metric: string) => list.filter((s) => s.metric === metric).map((s) => s.value);
    expect(median(values(before, "error_rate"))).toBeLessThan(0.01);
    expect(median(values(before, "latency_p50"))).toBeGreaterThan(20);
    expect(median(values(before, "latency_p50"))).toBeLessThan(60);
    expect(values(before, "latency_p99").reduce((a, b) => Math.max(a, b))).toBeLessThan(120);
    expect(median(values(before, "availability"))).toBeGreaterThan(99);
    expect(median(values(after, "error_rate"))).toBeGreaterThan(0.08);
    expect(median(values(after, "error_rate"))).toBeLessThan(0.3);
    expect(median(values(after, "latency_p99"))).toBeGreaterThan(800);
    expect(median(values(after, "latency_p50"))).toBeLessThan(400);
    expect(median(values(after, "availability"))).toBeLessThan(92);
  });

  it("is reproducible with a seed and honours stepSeconds", () => {
    // A low rps keeps this quick: the cost is in drawing the requests, not in the number of steps.
    const a = [...historySamples({ deployedAt: DEPLOYED_AT, now: NOW, seed: 3, stepSeconds: 300, rps: 1 })];
    const b = [...historySamples({ deployedAt: DEPLOYED_AT, now: NOW, seed: 3, stepSeconds: 300, rps: 1 })];
    expect(a).toEqual(b);
    expect(a).toHaveLength(((7 * 24 * 3600) / 300) * 6);
    expect(a.every((s) => Date.parse(s.ts) % 300_000 === 0)).toBe(true);
    expect(() => historySamples({ deployedAt: DEPLOYED_AT, now: NOW, stepSeconds: 0 }).next()).toThrow(/stepSeconds/);
  });
});
