import { describe, expect, it } from "vitest";
import {
  formatChange,
  formatDuration,
  formatMetricValue,
  formatMinutes,
  formatMultiplier,
  formatPercent,
  METRIC_INFO,
  NO_VALUE,
} from "./format";
import { METRIC_KINDS } from "./types";

describe("METRIC_INFO", () => {
  it("names every metric kind, with a word for sentences and the bad direction", () => {
    expect(Object.keys(METRIC_INFO).sort()).toEqual([...METRIC_KINDS].sort());
    expect(METRIC_INFO.ERROR_RATE).toMatchObject({ label: "Error rate", word: "error rate", higherIsWorse: true });
    expect(METRIC_INFO.LATENCY_P99).toMatchObject({ label: "Latency p99", word: "p99", higherIsWorse: true });
    expect(METRIC_INFO.THROUGHPUT.higherIsWorse).toBe(false);
    expect(METRIC_INFO.AVAILABILITY.higherIsWorse).toBe(false);
  });
});

describe("formatMetricValue", () => {
  it("reads an error rate to two decimals, without trailing zeros", () => {
    expect(formatMetricValue("ERROR_RATE", 0.0123)).toBe("1.23%");
    expect(formatMetricValue("ERROR_RATE", 0.01234)).toBe("1.23%");
    expect(formatMetricValue("ERROR_RATE", 0.148)).toBe("14.8%");
    expect(formatMetricValue("ERROR_RATE", 0.1)).toBe("10%");
    expect(formatMetricValue("ERROR_RATE", 0)).toBe("0%");
  });

  it("reads latencies in whole milliseconds, with tenths under 10 ms", () => {
    expect(formatMetricValue("LATENCY_P99", 1840.4)).toBe("1,840 ms");
    expect(formatMetricValue("LATENCY_P95", 300)).toBe("300 ms");
    expect(formatMetricValue("LATENCY_P50", 12.6)).toBe("13 ms");
    expect(formatMetricValue("LATENCY_P50", 4.46)).toBe("4.5 ms");
  });

  it("reads throughput to a tenth and availability to a thousandth", () => {
    expect(formatMetricValue("THROUGHPUT", 1234.56)).toBe("1,234.6 req/s");
    expect(formatMetricValue("THROUGHPUT", 300)).toBe("300 req/s");
    expect(formatMetricValue("AVAILABILITY", 99.95)).toBe("99.95%");
    expect(formatMetricValue("AVAILABILITY", 99.9951)).toBe("99.995%");
    expect(formatMetricValue("AVAILABILITY", 100)).toBe("100%");
  });

  it("shows a dash for a missing or non-numeric value", () => {
    for (const kind of METRIC_KINDS) {
      expect(formatMetricValue(kind, null)).toBe(NO_VALUE);
      expect(formatMetricValue(kind, undefined)).toBe(NO_VALUE);
      expect(formatMetricValue(kind, Number.NaN)).toBe(NO_VALUE);
      expect(formatMetricValue(kind, Number.POSITIVE_INFINITY)).toBe(NO_VALUE);
    }
    expect(NO_VALUE).toBe("—");
  });
});

describe("formatChange", () => {
  it("signs increases and decreases, to a tenth of a percent", () => {
    expect(formatChange(0.25)).toBe("+25.0%");
    expect(formatChange(0.1234)).toBe("+12.3%");
    expect(formatChange(-0.042)).toBe("-4.2%");
    expect(formatChange(-0.05)).toBe("-5.0%");
  });

  it("drops the tenth from 100% on", () => {
    expect(formatChange(2.5)).toBe("+250%");
    expect(formatChange(11.996)).toBe("+1,200%");
    expect(formatChange(-1)).toBe("-100%");
  });

  it("does not sign a change that rounds to nothing", () => {
    expect(formatChange(0)).toBe("0.0%");
    expect(formatChange(-0.0001)).toBe("0.0%");
    expect(formatChange(0.0004)).toBe("0.0%");
  });

  it("shows a dash without a change", () => {
    expect(formatChange(null)).toBe("—");
    expect(formatChange(undefined)).toBe("—");
    expect(formatChange(Number.NaN)).toBe("—");
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0 s"],
    [999, "0 s"],
    [42_400, "42 s"],
    [59_999, "59 s"],
    [60_000, "1 min"],
    [245_000, "4 min 05 s"],
    [12 * 60_000 + 3_000, "12 min 03 s"],
    [3_600_000, "1 h"],
    [2 * 3_600_000 + 5 * 60_000 + 59_000, "2 h 05 min"],
    [86_400_000, "1 d"],
    [3 * 86_400_000 + 4 * 3_600_000 + 59_000, "3 d 4 h"],
    [-90_000, "-1 min 30 s"],
  ])("%i ms → %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it("shows a dash without a duration", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(undefined)).toBe("—");
    expect(formatDuration(Number.NaN)).toBe("—");
  });
});

describe("formatMinutes", () => {
  it("floors to whole minutes and reads like formatDuration", () => {
    expect(formatMinutes(0.5)).toBe("under 1 min");
    expect(formatMinutes(4.9)).toBe("4 min");
    expect(formatMinutes(5)).toBe("5 min");
    expect(formatMinutes(75)).toBe("1 h 15 min");
    expect(formatMinutes(120)).toBe("2 h");
  });
});

describe("formatPercent and formatMultiplier", () => {
  it("read thresholds as people typed them", () => {
    expect(formatPercent(0.1)).toBe("10%");
    expect(formatPercent(0.055)).toBe("5.5%");
    expect(formatPercent(0.0125)).toBe("1.25%");
    expect(formatMultiplier(3)).toBe("3×");
    expect(formatMultiplier(2.5)).toBe("2.5×");
  });
});
