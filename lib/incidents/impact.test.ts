import { describe, expect, it } from "vitest";
import { DEFAULT_MATERIALITY } from "@/lib/metrics/materiality";
import type { Point } from "@/lib/metrics/types";
import { computedImpactRows, computeImpact, formatImpactCount } from "./impact";

const T0 = Date.parse("2026-12-05T10:00:00Z");
const S = 1000;
const series = (from: number, to: number, step: number, v: (t: number) => number): Point[] => {
  const out: Point[] = [];
  for (let t = from; t <= to; t += step) out.push({ t, v: v(t) });
  return out;
};
const base = (errorRate: Point[], throughput: Point[]) =>
  computeImpact({
    window: { from: T0, to: T0 + 600 * S, basis: "from the deploy to the end of the rollback" },
    baselineWindow: { from: T0 - 3600 * S, to: T0 },
    errorRate,
    throughput,
    baselineErrorRate: series(T0 - 3600 * S, T0 - 5 * S, 15 * S, () => 0.01),
    stepMs: 5 * S,
    materiality: DEFAULT_MATERIALITY.ERROR_RATE,
  });

describe("computeImpact", () => {
  it("integrates throughput × (error rate − baseline)⁺ over the window, with the peak, the time above and availability", () => {
    // 21% errors at 100 req/s for the first 5 minutes, then back to 1%: 100 × 0.20 × 300 s = 6,000 failed beyond the baseline.
    const err = series(T0, T0 + 600 * S, 5 * S, (t) => (t < T0 + 300 * S ? 0.21 : t === T0 + 300 * S ? 0.11 : 0.01));
    const thr = series(T0, T0 + 600 * S, 5 * S, () => 100);
    const c = base(err, thr);
    expect(c.baselineErrorRate).toBe(0.01);
    expect(c.peakErrorRate).toEqual({ value: 0.21, at: new Date(T0).toISOString() });
    // Trapezoids: 59 full intervals at 0.20 excess, then 0.20→0.10 and 0.10→0.
    expect(c.estimatedFailedRequests).toBeCloseTo(100 * (0.2 * 295 + 0.15 * 5 + 0.05 * 5), 6);
    expect(c.timeAboveBaselineMs).toBe(305 * S); // the sample at 11% is still above 1% + 0.5 points
    expect(c.totalRequests).toBeCloseTo(60_000, 6);
    expect(c.availability).toBeCloseTo(1 - (100 * (0.21 * 295 + 0.16 * 5 + 0.06 * 5 + 0.01 * 295)) / 60_000, 9);
    expect(c.window).toMatchObject({ from: new Date(T0).toISOString(), basis: "from the deploy to the end of the rollback" });
    expect(c.note).toBeNull();
    const rows = Object.fromEntries(computedImpactRows(c));
    expect(rows["Peak error rate"]).toBe("21% at 2026-12-05 10:00 UTC");
    expect(rows["Estimated failed requests"]).toBe("6,000 (beyond the baseline error rate)");
  });

  it("does not integrate across a gap in the data, and says what is missing instead of reading it as 0", () => {
    const err = series(T0, T0 + 600 * S, 5 * S, () => 0.11).filter((p) => p.t < T0 + 100 * S || p.t > T0 + 400 * S);
    const thr = series(T0, T0 + 600 * S, 5 * S, () => 10);
    const c = base(err, thr);
    // 95 s before the gap and 195 s after it (the first sample after 400 s is at 405 s).
    expect(c.estimatedFailedRequests).toBeCloseTo(10 * 0.1 * (95 + 195), 6);
    const none = base([], thr);
    expect(none).toMatchObject({ estimatedFailedRequests: null, peakErrorRate: null, timeAboveBaselineMs: null, availability: null });
    expect(none.note).toMatch(/no error-rate samples in the incident window/);
    expect(Object.fromEntries(computedImpactRows(none))["Estimated failed requests"]).toBe("no data");
  });

  it("formats a recorded count, keeping 0 apart from not recorded", () => {
    expect(formatImpactCount(0)).toBe("0");
    expect(formatImpactCount(1800)).toBe("1,800");
    expect(formatImpactCount(null)).toBe("not recorded");
  });
});
