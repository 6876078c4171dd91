import { describe, expect, it } from "vitest";
import type { Point } from "@/lib/metrics/types";
import { CRITERIA, type CriterionResult, type DecisionInput } from "./criteria";
import { evaluateDecision } from "./evaluate";
import { flat, NOW, recent, series } from "./test-series";

function input(overrides: Partial<DecisionInput> = {}): DecisionInput {
  return {
    now: NOW,
    series: { ERROR_RATE: flat(0.001), LATENCY_P95: flat(300), LATENCY_P99: flat(450) },
    baseline: { ERROR_RATE: 0.001, LATENCY_P95: 300, LATENCY_P99: 450 },
    features: [
      { name: "Checkout", status: "WORKING" },
      { name: "Login", status: "WORKING" },
      { name: "Search", status: "WORKING" },
    ],
    manual: {},
    ...overrides,
  };
}

function criterion(evaluation: ReturnType<typeof evaluateDecision>, id: string): CriterionResult {
  const c = evaluation.criteria.find((x) => x.id === id);
  if (!c) throw new Error(`no criterion ${id}`);
  return c;
}

const check = (overrides: Partial<DecisionInput>, id: string) => criterion(evaluateDecision(input(overrides)), id);

describe("IMMEDIATE: service unavailable", () => {
  const id = "service-unavailable";

  it("is met when the current error rate is above 50%", () => {
    const c = check({ series: { ERROR_RATE: recent(0.623, 0) } }, id);
    expect(c).toMatchObject({ met: true, evaluable: true, tier: "IMMEDIATE", kind: "auto" });
    expect(c.detail).toBe("error rate 62.3% now, threshold 50%");
  });

  it("is not met at exactly 50% nor just below, and met just above", () => {
    expect(check({ series: { ERROR_RATE: flat(0.5) } }, id).met).toBe(false);
    expect(check({ series: { ERROR_RATE: flat(0.499) } }, id).met).toBe(false);
    expect(check({ series: { ERROR_RATE: flat(0.501) } }, id).met).toBe(true);
  });

  it("looks at the latest sample only", () => {
    expect(check({ series: { ERROR_RATE: series((ago) => (ago === 0 ? 0.02 : 0.9)) } }, id).met).toBe(false);
  });

  it("is not evaluable without data or with stale data", () => {
    expect(check({ series: {} }, id)).toMatchObject({ met: false, evaluable: false, detail: "no error-rate data" });
    const stale = check({ series: { ERROR_RATE: series((ago) => (ago >= 14 ? 0.9 : null)) } }, id);
    expect(stale).toMatchObject({ met: false, evaluable: false, detail: "no recent error-rate data (latest sample 14 min old)" });
  });

  it("follows a custom threshold", () => {
    expect(check({ series: { ERROR_RATE: flat(0.3) }, thresholds: { unavailableErrorRate: 0.25 } }, id).met).toBe(true);
  });
});

describe("IMMEDIATE: critical functionality broken", () => {
  const id = "critical-functionality-broken";
  const features = (...statuses: DecisionInput["features"][number]["status"][]) =>
    statuses.map((status, i) => ({ name: ["Checkout", "Login", "Search"][i], status }));

  it("is met when every critical feature failed", () => {
    const c = check({ features: features("FAILED", "FAILED", "FAILED") }, id);
    expect(c).toMatchObject({ met: true, evaluable: true });
    expect(c.detail).toBe("3 of 3 critical features failed: Checkout, Login, Search");
  });

  it("is not met when one feature still works or is only degraded", () => {
    expect(check({ features: features("FAILED", "FAILED", "WORKING") }, id)).toMatchObject({
      met: false,
      evaluable: true,
      detail: "2 of 3 critical features failed: Checkout, Login; needs all 3",
    });
    expect(check({ features: features("FAILED", "FAILED", "DEGRADED") }, id).met).toBe(false);
  });

  it("is open while an unknown probe could complete it", () => {
    expect(check({ features: features("FAILED", "FAILED", "UNKNOWN") }, id)).toMatchObject({
      met: false,
      evaluable: false,
      detail: "2 of 3 critical features failed: Checkout, Login; 1 unknown: Search; needs all 3",
    });
    expect(check({ features: features("WORKING", "FAILED", "UNKNOWN") }, id).evaluable).toBe(true);
  });

  it("is not evaluable without configured features", () => {
    expect(check({ features: [] }, id)).toMatchObject({ met: false, evaluable: false, detail: "no critical features configured" });
  });
});

describe("FAST: several critical features broken", () => {
  const id = "critical-features-failing";
  const features = (failed: number, total = 3) =>
    Array.from({ length: total }, (_, i) => ({ name: `F${i + 1}`, status: i < failed ? ("FAILED" as const) : ("WORKING" as const) }));

  it("is met at 2 failed, not at 1, and above at 3", () => {
    expect(check({ features: features(1) }, id)).toMatchObject({
      met: false,
      evaluable: true,
      detail: "1 of 3 critical features failed: F1; needs 2",
    });
    expect(check({ features: features(2) }, id)).toMatchObject({ met: true, detail: "2 of 3 critical features failed: F1, F2" });
    expect(check({ features: features(3) }, id).met).toBe(true);
  });

  it("reads the spec's example", () => {
    const c = check(
      {
        features: [
          { name: "Checkout", status: "FAILED" },
          { name: "Login", status: "FAILED" },
          { name: "Search", status: "DEGRADED" },
        ],
      },
      id,
    );
    expect(c.detail).toBe("2 of 3 critical features failed: Checkout, Login");
  });

  it("follows a custom count", () => {
    expect(check({ features: features(2, 5), thresholds: { severalFeaturesFailed: 3 } }, id).met).toBe(false);
    expect(check({ features: features(3, 5), thresholds: { severalFeaturesFailed: 3 } }, id).met).toBe(true);
  });

  it("is open when unknown probes could reach the count, decided otherwise", () => {
    const oneFailedOneUnknown = [
      { name: "A", status: "FAILED" as const },
      { name: "B", status: "UNKNOWN" as const },
      { name: "C", status: "WORKING" as const },
    ];
    expect(check({ features: oneFailedOneUnknown }, id)).toMatchObject({ met: false, evaluable: false });
    expect(check({ features: [{ name: "A", status: "UNKNOWN" }] }, id)).toMatchObject({ met: false, evaluable: true });
  });
});

describe("FAST: error rate above 10% sustained", () => {
  const id = "error-rate-high";

  it("is met above 10% for 5 min, with a plain detail", () => {
    const c = check({ series: { ERROR_RATE: recent(0.148, 12) } }, id);
    expect(c).toMatchObject({ met: true, evaluable: true, tier: "FAST" });
    expect(c.detail).toBe("error rate 14.8% for 12 min, threshold 10% for 5 min");
  });

  it("compares the value strictly: at, just below, just above 10%", () => {
    expect(check({ series: { ERROR_RATE: flat(0.1) } }, id)).toMatchObject({
      met: false,
      detail: "error rate 10%, threshold 10% for 5 min",
    });
    expect(check({ series: { ERROR_RATE: flat(0.0999) } }, id).met).toBe(false);
    expect(check({ series: { ERROR_RATE: flat(0.1001) } }, id).met).toBe(true);
  });

  it("needs the full duration: at, just below, just above 5 min", () => {
    expect(check({ series: { ERROR_RATE: recent(0.2, 5) } }, id).met).toBe(true);
    const below = check({ series: { ERROR_RATE: recent(0.2, 4.5) } }, id);
    expect(below).toMatchObject({ met: false, evaluable: true, detail: "error rate 20% for 4 min, threshold 10% for 5 min" });
    expect(check({ series: { ERROR_RATE: recent(0.2, 4) } }, id).detail).toBe("error rate 20% for 4 min, threshold 10% for 5 min");
    expect(check({ series: { ERROR_RATE: recent(0.2, 5.5) } }, id).met).toBe(true);
  });

  it("never reads as a shorter run than the rule when met thanks to the slack, and floors otherwise", () => {
    expect(check({ series: { ERROR_RATE: recent(0.2, 4.75) } }, id)).toMatchObject({
      met: true,
      detail: "error rate 20% for 5 min, threshold 10% for 5 min",
    });
    expect(check({ series: { ERROR_RATE: recent(0.2, 0.5) } }, id).detail).toBe("error rate 20% for under 1 min, threshold 10% for 5 min");
  });

  it("is not met across a gap, and says the data is too short", () => {
    const gap = series((ago) => (ago > 3 && ago < 6 ? null : 0.5));
    expect(check({ series: { ERROR_RATE: gap } }, id)).toMatchObject({
      met: false,
      evaluable: false,
      detail: "error rate 50% for 3 min, threshold 10% for 5 min; not enough data yet to cover 5 min",
    });
  });

  it("is not evaluable without data", () => {
    expect(check({ series: { ERROR_RATE: [] } }, id)).toMatchObject({ met: false, evaluable: false, detail: "no error-rate data" });
  });

  it("follows custom thresholds and durations", () => {
    expect(check({ series: { ERROR_RATE: recent(0.15, 12) }, thresholds: { fastErrorRate: 0.2 } }, id).met).toBe(false);
    expect(check({ series: { ERROR_RATE: recent(0.15, 3) }, thresholds: { fastErrorRateSustainMin: 2 } }, id).met).toBe(true);
    expect(check({ series: { ERROR_RATE: recent(0.15, 12) }, thresholds: { fastErrorRateSustainMin: 15 } }, id).met).toBe(false);
  });
});

describe("FAST: p99 above 3× baseline sustained", () => {
  const id = "p99-latency-high";
  const p99 = (points: Point[], baseline: number | null = 450) => ({
    series: { ERROR_RATE: flat(0.001), LATENCY_P99: points },
    baseline: { LATENCY_P99: baseline },
  });

  it("is met above 3× for 5 min, with a plain detail", () => {
    const c = check(p99(recent(1840, 7, 450)), id);
    expect(c).toMatchObject({ met: true, evaluable: true });
    expect(c.detail).toBe("p99 1,840 ms = 4.1× baseline 450 ms for 7 min, threshold 3× for 5 min");
  });

  it("compares strictly: at, just below, just above 3×", () => {
    expect(check(p99(flat(1350)), id).met).toBe(false);
    expect(check(p99(flat(1349)), id)).toMatchObject({ met: false, detail: "p99 1,349 ms = 3.0× baseline 450 ms, threshold 3× for 5 min" });
    expect(check(p99(flat(1351)), id).met).toBe(true);
  });

  it("needs the full duration: at, just below, just above 5 min", () => {
    expect(check(p99(recent(2000, 5, 450)), id).met).toBe(true);
    expect(check(p99(recent(2000, 4.5, 450)), id)).toMatchObject({ met: false, evaluable: true });
    expect(check(p99(recent(2000, 5.5, 450)), id).met).toBe(true);
  });

  it("is not evaluable without data or without a usable baseline", () => {
    expect(check(p99([]), id)).toMatchObject({ met: false, evaluable: false, detail: "no p99 data" });
    expect(check(p99(flat(5000), null), id)).toMatchObject({ met: false, evaluable: false, detail: "no p99 baseline" });
    expect(check(p99(flat(5000), 0), id)).toMatchObject({ met: false, evaluable: false, detail: "p99 baseline is 0 ms, cannot compare" });
  });

  it("follows a custom multiplier", () => {
    expect(check({ ...p99(flat(1500)), thresholds: { fastP99Multiplier: 4 } }, id).met).toBe(false);
    expect(check({ ...p99(flat(1500)), thresholds: { fastP99Multiplier: 4, plannedLatencyMultiplier: 1.5 } }, id).met).toBe(false);
    expect(check({ ...p99(flat(1000)), thresholds: { fastP99Multiplier: 2 } }, id).met).toBe(true);
  });
});

describe("PLANNED: error rate above 5% for 60 min", () => {
  const id = "error-rate-elevated";

  it("is met above 5% for an hour", () => {
    const c = check({ series: { ERROR_RATE: recent(0.07, 75) } }, id);
    expect(c).toMatchObject({ met: true, tier: "PLANNED" });
    expect(c.detail).toBe("error rate 7% for 1 h 15 min, threshold 5% for 1 h");
  });

  it("compares strictly: at, just below, just above 5%", () => {
    expect(check({ series: { ERROR_RATE: flat(0.05) } }, id).met).toBe(false);
    expect(check({ series: { ERROR_RATE: flat(0.0499) } }, id).met).toBe(false);
    expect(check({ series: { ERROR_RATE: flat(0.0501) } }, id).met).toBe(true);
  });

  it("needs 60 min: at, just below, just above", () => {
    expect(check({ series: { ERROR_RATE: recent(0.07, 60) } }, id).met).toBe(true);
    expect(check({ series: { ERROR_RATE: recent(0.07, 59.5) } }, id)).toMatchObject({ met: false, evaluable: true });
    expect(check({ series: { ERROR_RATE: recent(0.07, 60.5) } }, id).met).toBe(true);
  });

  it("cannot vouch for an hour when the data covers less", () => {
    const c = check({ series: { ERROR_RATE: series((ago) => (ago <= 30 ? 0.07 : null)) } }, id);
    expect(c).toMatchObject({ met: false, evaluable: false });
    expect(c.detail).toMatch(/not enough data yet to cover 1 h/);
  });

  it("follows a custom duration", () => {
    expect(check({ series: { ERROR_RATE: recent(0.07, 35) }, thresholds: { plannedErrorRateSustainMin: 30 } }, id).met).toBe(true);
  });
});

describe("PLANNED: performance 2× worse than baseline", () => {
  const id = "performance-degraded";
  const latency = (p95: Point[] | undefined, p99: Point[] | undefined) => ({
    series: { ERROR_RATE: flat(0.001), LATENCY_P95: p95, LATENCY_P99: p99 },
    baseline: { LATENCY_P95: 300, LATENCY_P99: 450 },
  });

  it("is met when p95 is at least 2× for 10 min", () => {
    const c = check(latency(recent(700, 12, 300), flat(450)), id);
    expect(c).toMatchObject({ met: true, evaluable: true });
    expect(c.detail).toBe("p95 700 ms = 2.3× baseline 300 ms for 12 min, threshold 2× for 10 min");
  });

  it("is met when p99 alone is at least 2×", () => {
    expect(check(latency(flat(300), recent(1000, 12, 450)), id).met).toBe(true);
  });

  it("counts exactly 2× as met, just below not, just above yes", () => {
    expect(check(latency(flat(600), flat(450)), id).met).toBe(true);
    expect(check(latency(flat(599), flat(450)), id)).toMatchObject({
      met: false,
      evaluable: true,
      detail: "p95 599 ms = 2.0× baseline 300 ms; p99 450 ms = 1.0× baseline 450 ms, threshold 2× for 10 min",
    });
    expect(check(latency(flat(601), flat(450)), id).met).toBe(true);
  });

  it("needs 10 min: at, just below, just above", () => {
    expect(check(latency(recent(900, 10, 300), flat(450)), id).met).toBe(true);
    expect(check(latency(recent(900, 9.5, 300), flat(450)), id).met).toBe(false);
    expect(check(latency(recent(900, 10.5, 300), flat(450)), id).met).toBe(true);
  });

  it("judges on the percentile available, and is not evaluable with neither", () => {
    expect(check(latency(undefined, flat(450)), id)).toMatchObject({ met: false, evaluable: true });
    expect(check(latency(undefined, flat(1000)), id)).toMatchObject({ met: true, evaluable: true });
    expect(check(latency(undefined, undefined), id)).toMatchObject({ met: false, evaluable: false, detail: "no p95 data; no p99 data" });
  });

  it("follows a custom multiplier and duration", () => {
    expect(check({ ...latency(flat(700), flat(450)), thresholds: { plannedLatencyMultiplier: 2.5 } }, id).met).toBe(false);
    expect(check({ ...latency(recent(700, 6, 300), flat(450)), thresholds: { plannedLatencySustainMin: 5 } }, id).met).toBe(true);
  });
});

describe("manual criteria", () => {
  it("is met when ticked, naming who and why", () => {
    const c = check({ manual: { "data-corruption": { checked: true, by: "Remy", note: "orders table missing rows" } } }, "data-corruption");
    expect(c).toMatchObject({
      met: true,
      evaluable: true,
      kind: "manual",
      tier: "IMMEDIATE",
      detail: "ticked by Remy: 'orders table missing rows'",
    });
  });

  it("reads well without a name or note", () => {
    expect(check({ manual: { "security-breach": { checked: true } } }, "security-breach").detail).toBe("ticked");
    expect(check({ manual: { "security-breach": { checked: true, by: "Remy", note: "  " } } }, "security-breach").detail).toBe(
      "ticked by Remy",
    );
  });

  it("is not met when unticked or absent", () => {
    expect(check({ manual: { "business-metrics-down": { checked: false, by: "Remy" } } }, "business-metrics-down")).toMatchObject({
      met: false,
      evaluable: true,
      detail: "not ticked",
    });
    expect(check({}, "medium-issues-accumulating").met).toBe(false);
  });

  it("puts each manual criterion in its tier", () => {
    const tierOf = (id: string) => evaluateDecision(input({ manual: { [id]: { checked: true } } })).recommendedTier;
    expect(tierOf("database-integrity-compromised")).toBe("IMMEDIATE");
    expect(tierOf("database-performance-degraded")).toBe("FAST");
    expect(tierOf("business-metrics-down")).toBe("PLANNED");
    expect(tierOf("medium-issues-accumulating")).toBe("PLANNED");
  });

  it("ignores ticks under unknown ids", () => {
    expect(evaluateDecision(input({ manual: { "made-up": { checked: true } } })).recommendedTier).toBe("MONITOR");
  });
});

describe("evaluateDecision", () => {
  it("recommends MONITOR when nothing is met", () => {
    const e = evaluateDecision(input());
    expect(e.recommendedTier).toBe("MONITOR");
    expect(e.metCriteria).toEqual([]);
    expect(e.criteria.map((c) => c.id)).toEqual(CRITERIA.map((c) => c.id));
    expect(e.criteria.every((c) => c.evaluable)).toBe(true);
  });

  it("lets an IMMEDIATE criterion win over FAST and PLANNED", () => {
    const e = evaluateDecision(
      input({
        series: { ERROR_RATE: recent(0.6, 90), LATENCY_P99: flat(450), LATENCY_P95: flat(300) },
      }),
    );
    expect(e.recommendedTier).toBe("IMMEDIATE");
    expect(e.metCriteria.map((c) => c.id)).toEqual(["service-unavailable", "error-rate-high", "error-rate-elevated"]);
  });

  it("lets FAST win over PLANNED", () => {
    const e = evaluateDecision(input({ series: { ERROR_RATE: recent(0.2, 90), LATENCY_P99: flat(450), LATENCY_P95: flat(300) } }));
    expect(e.recommendedTier).toBe("FAST");
  });

  it("recommends PLANNED on a PLANNED criterion alone", () => {
    const e = evaluateDecision(input({ series: { ERROR_RATE: recent(0.07, 90), LATENCY_P99: flat(450), LATENCY_P95: flat(300) } }));
    expect(e.recommendedTier).toBe("PLANNED");
    expect(e.metCriteria.map((c) => c.id)).toEqual(["error-rate-elevated"]);
  });

  it("lets a manual IMMEDIATE tick win over met auto criteria of lower tiers", () => {
    const e = evaluateDecision(
      input({ series: { ERROR_RATE: recent(0.2, 90) }, manual: { "security-breach": { checked: true, by: "Ana", note: "leaked key" } } }),
    );
    expect(e.recommendedTier).toBe("IMMEDIATE");
  });

  it("never counts unevaluable criteria, and says which data is missing", () => {
    const e = evaluateDecision(input({ series: {}, baseline: {}, features: [] }));
    expect(e.recommendedTier).toBe("MONITOR");
    const unevaluable = e.criteria.filter((c) => !c.evaluable).map((c) => c.id);
    expect(unevaluable).toEqual([
      "service-unavailable",
      "critical-functionality-broken",
      "error-rate-high",
      "p99-latency-high",
      "critical-features-failing",
      "error-rate-elevated",
      "performance-degraded",
    ]);
    expect(criterion(e, "error-rate-high").detail).toBe("no error-rate data");
  });

  it("falls back to the defaults for invalid override values", () => {
    const thresholds = { fastErrorRate: -3 } as unknown as DecisionInput["thresholds"];
    expect(check({ series: { ERROR_RATE: recent(0.12, 10) }, thresholds }, "error-rate-high").met).toBe(true);
  });
});
