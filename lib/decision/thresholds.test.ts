import { describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS, decisionThresholdsSchema, resolveThresholds } from "./thresholds";

describe("thresholds", () => {
  const issues = (value: unknown) => {
    const r = decisionThresholdsSchema.safeParse(value);
    return r.success ? {} : r.error.flatten().fieldErrors;
  };
  const formErrors = (value: unknown) => {
    const r = decisionThresholdsSchema.safeParse(value);
    return r.success ? [] : r.error.flatten().formErrors;
  };

  it("accepts an empty or partial override, and the defaults", () => {
    expect(decisionThresholdsSchema.parse({})).toEqual({});
    expect(decisionThresholdsSchema.parse({ fastErrorRate: 0.15, plannedLatencySustainMin: 20 })).toEqual({
      fastErrorRate: 0.15,
      plannedLatencySustainMin: 20,
    });
    expect(decisionThresholdsSchema.safeParse(DEFAULT_THRESHOLDS).success).toBe(true);
  });

  it("refuses rates outside 0..100% with a clear message", () => {
    expect(issues({ fastErrorRate: 0 }).fastErrorRate?.[0]).toBe("The FAST error rate must be above 0%");
    expect(issues({ unavailableErrorRate: 50 }).unavailableErrorRate?.[0]).toMatch(/below 100% \(a fraction: 0.1 = 10%\)/);
    expect(issues({ plannedErrorRate: "5%" }).plannedErrorRate?.[0]).toMatch(/must be a number/);
  });

  it("refuses durations that are not whole minutes within the lookback", () => {
    expect(issues({ fastErrorRateSustainMin: 0 }).fastErrorRateSustainMin?.[0]).toMatch(/at least 1 minute/);
    expect(issues({ fastP99SustainMin: 2.5 }).fastP99SustainMin?.[0]).toMatch(/whole number of minutes/);
    expect(issues({ plannedErrorRateSustainMin: 180 }).plannedErrorRateSustainMin?.[0]).toMatch(/at most 120 minutes/);
  });

  it("refuses multipliers of 1 or less and silly counts", () => {
    expect(issues({ fastP99Multiplier: 1 }).fastP99Multiplier?.[0]).toMatch(/greater than 1/);
    expect(issues({ plannedLatencyMultiplier: -2 }).plannedLatencyMultiplier?.[0]).toMatch(/greater than 1/);
    expect(issues({ severalFeaturesFailed: 0 }).severalFeaturesFailed?.[0]).toMatch(/at least 1/);
    expect(issues({ severalFeaturesFailed: Number.POSITIVE_INFINITY }).severalFeaturesFailed?.[0]).toMatch(/must be a number/);
  });

  it("refuses unknown keys, naming them", () => {
    expect(formErrors({ fastErrorRat: 0.2 })).toEqual(["Unknown threshold: fastErrorRat"]);
  });

  it("keeps the tiers ordered once merged with the defaults", () => {
    expect(issues({ plannedErrorRate: 0.2 }).plannedErrorRate?.[0]).toBe("The PLANNED error rate (20%) cannot be above the FAST one (10%)");
    expect(issues({ fastErrorRate: 0.6 }).fastErrorRate?.[0]).toBe("The FAST error rate (60%) cannot be above the IMMEDIATE one (50%)");
    expect(issues({ plannedLatencyMultiplier: 4 }).plannedLatencyMultiplier?.[0]).toMatch(/cannot be above the FAST p99 one \(3×\)/);
    expect(decisionThresholdsSchema.safeParse({ plannedErrorRate: 0.2, fastErrorRate: 0.3 }).success).toBe(true);
  });

  it("resolves a stored override key by key, falling back to defaults", () => {
    expect(resolveThresholds({ fastErrorRate: 0.2, fastP99Multiplier: "x", bogus: 1, plannedErrorRateSustainMin: 30 })).toEqual({
      ...DEFAULT_THRESHOLDS,
      fastErrorRate: 0.2,
      plannedErrorRateSustainMin: 30,
    });
    expect(resolveThresholds(null)).toEqual(DEFAULT_THRESHOLDS);
    expect(resolveThresholds("{}")).toEqual(DEFAULT_THRESHOLDS);
    expect(resolveThresholds([0.2])).toEqual(DEFAULT_THRESHOLDS);
    expect(resolveThresholds(undefined)).toEqual(DEFAULT_THRESHOLDS);
  });

  it("does not let callers mutate the defaults", () => {
    const t = resolveThresholds({});
    t.fastErrorRate = 0.9;
    expect(DEFAULT_THRESHOLDS.fastErrorRate).toBe(0.1);
  });
});
