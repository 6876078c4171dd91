import { describe, expect, it } from "vitest";
import { judgeMetricItem } from "./metric-rules";

describe("judgeMetricItem", () => {
  const errorRate = { metric: "ERROR_RATE" as const, tolerance: null, absoluteMax: 0.01 };

  it("passes error rate under the absolute 1% and fails it above, saying by how much", () => {
    const ok = judgeMetricItem(errorRate, { baseline: 0.005, current: 0.004, currentCount: 12 });
    expect(ok).toMatchObject({ ok: true, value: 0.004, limit: 0.01 });
    expect(ok.reason).toBe("0.4% ≤ 1% (the absolute limit)");
    const bad = judgeMetricItem(errorRate, { baseline: 0.005, current: 0.15, currentCount: 12 });
    expect(bad.ok).toBe(false);
    expect(bad.reason).toBe("15% > 1% (the absolute limit)");
  });

  it("never passes on too few samples", () => {
    const r = judgeMetricItem(errorRate, { baseline: 0.005, current: 0, currentCount: 2 });
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/not enough samples/);
  });

  it("judges latency against baseline + tolerance and throughput against baseline − tolerance", () => {
    const p99 = { metric: "LATENCY_P99" as const, tolerance: 0.2, absoluteMax: null };
    expect(judgeMetricItem(p99, { baseline: 100, current: 119, currentCount: 5 }).ok).toBe(true);
    expect(judgeMetricItem(p99, { baseline: 100, current: 121, currentCount: 5 })).toMatchObject({ ok: false, limit: 120 });
    expect(judgeMetricItem(p99, { baseline: null, current: 50, currentCount: 5 }).reason).toBe("no baseline to compare with");
    const tput = { metric: "THROUGHPUT" as const, tolerance: 0.2, absoluteMax: null };
    expect(judgeMetricItem(tput, { baseline: 50, current: 41, currentCount: 5 }).ok).toBe(true);
    expect(judgeMetricItem(tput, { baseline: 50, current: 39, currentCount: 5 })).toMatchObject({ ok: false, limit: 40 });
  });

  it("with both limits, both must hold and the tighter one is shown", () => {
    const rule = { metric: "LATENCY_P95" as const, tolerance: 0.5, absoluteMax: 200 };
    expect(judgeMetricItem(rule, { baseline: 100, current: 140, currentCount: 5 })).toMatchObject({ ok: true, limit: 150 });
    expect(judgeMetricItem(rule, { baseline: 300, current: 250, currentCount: 5 })).toMatchObject({ ok: false, limit: 200 });
  });
});
