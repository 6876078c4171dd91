import { describe, expect, it } from "vitest";
import { chartResolution, chartStepSeconds, defaultRange, pointBudget } from "./ranges";

describe("chart ranges", () => {
  const now = Date.parse("2026-11-26T12:00:00Z");
  it("picks the smallest range that shows the baseline before the deploy", () => {
    expect(defaultRange(new Date(now - 25 * 60_000), 60, now)).toBe("6h"); // 85 min needed
    expect(defaultRange(new Date(now - 5 * 60_000), 5, now)).toBe("15m");
    expect(defaultRange(new Date(now - 30 * 24 * 3_600_000), 60, now)).toBe("7d");
  });

  it("never asks for more than 1,000 points or the chart's width", () => {
    expect(pointBudget(640)).toBe(640);
    expect(pointBudget(4000)).toBe(1000);
    expect(pointBudget(Number.NaN)).toBe(300);
  });

  it("coarsens the step for long ranges but never below the source's own", () => {
    expect(chartStepSeconds(15 * 60_000, 800, 5)).toBe(5);
    // 7 days at 1,000 points → 2,000 buckets of 303 s.
    expect(chartStepSeconds(7 * 86_400_000, 1000, 15)).toBe(303);
  });

  it("reads the coarsest rollup whose buckets fit a step, in whole buckets of it; whole minutes while they leave a point per pixel", () => {
    // 24 h at 1,000 px: 44 s wanted, but 1,440 minutes are still more points than pixels → the minute rollup.
    expect(chartResolution(24 * 3_600_000, 1000, 5)).toEqual({ stepSeconds: 60, rollup: "minute" });
    expect(chartResolution(24 * 3_600_000, 720, 5)).toEqual({ stepSeconds: 60, rollup: "minute" });
    // 24 h on a phone (300 px): 144 s wanted → two minutes.
    expect(chartResolution(24 * 3_600_000, 300, 5)).toEqual({ stepSeconds: 120, rollup: "minute" });
    // 6 h at 1,000 px: 360 minutes would be fewer points than pixels → raw samples at 11 s.
    expect(chartResolution(6 * 3_600_000, 1000, 5)).toEqual({ stepSeconds: 11, rollup: null });
    expect(chartResolution(60 * 60_000, 300, 5)).toEqual({ stepSeconds: 6, rollup: null });
    expect(chartResolution(15 * 60_000, 1000, 15)).toEqual({ stepSeconds: 15, rollup: null });
    // 7 days: 303 s wanted → one 5-minute bucket (2,016 points for LTTB to pick 1,000 from).
    expect(chartResolution(7 * 86_400_000, 1000, 5)).toEqual({ stepSeconds: 300, rollup: "fiveMinutes" });
    expect(chartResolution(7 * 86_400_000, 300, 5)).toEqual({ stepSeconds: 900, rollup: "fiveMinutes" });
    // 2 days: 87 s wanted → one minute.
    expect(chartResolution(2 * 86_400_000, 1000, 5)).toEqual({ stepSeconds: 60, rollup: "minute" });
    // 90 days: 3,888 s → one hour.
    expect(chartResolution(90 * 86_400_000, 1000, 5)).toEqual({ stepSeconds: 3600, rollup: "hour" });
  });
});
