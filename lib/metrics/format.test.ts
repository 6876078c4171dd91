import { describe, expect, it } from "vitest";
import { formatMetricValue } from "./format";

describe("formatMetricValue", () => {
  it("formats each unit", () => {
    expect(formatMetricValue("ERROR_RATE", 0.148)).toBe("14.8%");
    expect(formatMetricValue("ERROR_RATE", 0.1)).toBe("10.0%");
    expect(formatMetricValue("LATENCY_P99", 1840.4)).toBe("1,840 ms");
    expect(formatMetricValue("LATENCY_P50", 12)).toBe("12 ms");
    expect(formatMetricValue("THROUGHPUT", 1234.56)).toBe("1,234.6 req/s");
    expect(formatMetricValue("AVAILABILITY", 99.95)).toBe("99.95%");
    expect(formatMetricValue("AVAILABILITY", 100)).toBe("100.0%");
    expect(formatMetricValue("LATENCY_P95", Number.NaN)).toBe("—");
  });
});
