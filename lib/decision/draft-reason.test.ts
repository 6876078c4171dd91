import { describe, expect, it } from "vitest";
import { draftReason } from "./draft-reason";

const versions = { bad: "v2.5.0", previous: "v2.4.0" };
const metric = (over: object) => ({
  metric: "ERROR_RATE" as const,
  label: "Error rate",
  verdict: "worse" as const,
  baseline: 0.004,
  current: 0.152,
  change: 37,
  ...over,
});
const criterion = {
  id: "error-rate",
  tier: "FAST" as const,
  label: "Error rate above 5%",
  kind: "auto" as const,
  met: true,
  evaluable: true,
  detail: "15.2% for 5 min",
};

describe("draftReason", () => {
  it("names the worse metrics with their numbers, the criteria met, and the version to go back to", () => {
    const text = draftReason(
      {
        metrics: [metric({}), metric({ metric: "THROUGHPUT", label: "Throughput", verdict: "no-significant-change" })],
        evaluation: { recommendedTier: "FAST", metCriteria: [criterion] },
      },
      versions,
    );
    expect(text).toMatch(/^Since v2\.5\.0: Error rate 15\.2\d*% against 0\.4\d*% before the deploy/);
    expect(text).not.toContain("Throughput");
    expect(text).toContain("The framework recommends FAST: Error rate above 5% (15.2% for 5 min).");
    expect(text.endsWith("Roll back to v2.4.0.")).toBe(true);
    // Deterministic: the same evidence drafts the same words.
    expect(draftReason({ metrics: [metric({})], evaluation: null }, versions)).toBe(
      draftReason({ metrics: [metric({})], evaluation: null }, versions),
    );
  });

  it("drafts nothing when nothing is worse and no criterion is met (the proposer writes the reason)", () => {
    expect(
      draftReason({ metrics: [metric({ verdict: "no-data" })], evaluation: { recommendedTier: "MONITOR", metCriteria: [] } }, versions),
    ).toBe("");
    expect(draftReason(null, versions)).toBe("");
  });
});
