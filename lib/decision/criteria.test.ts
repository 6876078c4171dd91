import { describe, expect, it } from "vitest";
import { CRITERIA, MANUAL_CRITERION_IDS } from "./criteria";
import { resolveThresholds } from "./thresholds";
import { TIER_ORDER } from "./tiers";

describe("criteria catalogue", () => {
  it("has unique ids, grouped most urgent tier first", () => {
    const ids = CRITERIA.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    const tierIndexes = CRITERIA.map((c) => TIER_ORDER.indexOf(c.tier));
    expect([...tierIndexes].sort((a, b) => a - b)).toEqual(tierIndexes);
  });

  it("lists the manual criteria", () => {
    expect(MANUAL_CRITERION_IDS).toEqual([
      "data-corruption",
      "security-breach",
      "database-integrity-compromised",
      "database-performance-degraded",
      "business-metrics-down",
      "medium-issues-accumulating",
    ]);
  });

  it("states the service's thresholds in the labels", () => {
    const t = resolveThresholds({ fastErrorRate: 0.2, fastErrorRateSustainMin: 3 });
    const label = (id: string) => CRITERIA.find((c) => c.id === id)?.label(t);
    expect(label("error-rate-high")).toBe("Error rate above 20% for 3 min");
    expect(label("error-rate-elevated")).toBe("Error rate above 5% for 1 h or more");
  });
});
