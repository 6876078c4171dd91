import { describe, expect, it } from "vitest";
import { planHash } from "./plan-hash";
import { hasDestructiveSteps, requiredApprovals, STRATEGY_TEMPLATES, withoutStep } from "./plans";

describe("rollback plans", () => {
  it("follow the release-engineering order for each strategy", () => {
    expect(STRATEGY_TEMPLATES.BLUE_GREEN.map((s) => s.key)).toEqual([
      "identify-active",
      "verify-target-health",
      "switch-traffic",
      "wait-propagation",
      "verify-metrics",
      "verify-endpoints",
      "write-report",
      "notify",
    ]);
    const restore = STRATEGY_TEMPLATES.DATABASE_RESTORE.map((s) => s.key);
    expect(restore.indexOf("emergency-backup")).toBeLessThan(restore.indexOf("restore"));
    expect(STRATEGY_TEMPLATES.BLUE_GREEN.find((s) => s.key === "switch-traffic")?.changesTraffic).toBe(true);
  });

  it("need two approvals only for a database restore, which is destructive", () => {
    expect(requiredApprovals("DATABASE_RESTORE")).toBe(2);
    expect(requiredApprovals("BLUE_GREEN")).toBe(1);
    expect(hasDestructiveSteps(STRATEGY_TEMPLATES.DATABASE_RESTORE)).toBe(true);
    expect(hasDestructiveSteps(STRATEGY_TEMPLATES.BLUE_GREEN)).toBe(false);
  });

  it("hash the same plan the same regardless of key order, and any change differently", () => {
    const plan = STRATEGY_TEMPLATES.BLUE_GREEN;
    const reordered = plan.map((s) => Object.fromEntries(Object.entries(s).reverse())) as typeof plan;
    expect(planHash(reordered)).toBe(planHash(plan));
    expect(planHash(withoutStep(plan, "notify"))).not.toBe(planHash(plan));
    const tweaked = plan.map((s) => (s.key === "wait-propagation" ? { ...s, config: { seconds: 31 } } : s));
    expect(planHash(tweaked)).not.toBe(planHash(plan));
  });

  it("refuses to drop a step the strategy requires", () => {
    expect(() => withoutStep(STRATEGY_TEMPLATES.BLUE_GREEN, "switch-traffic")).toThrow(/required/);
    expect(() => withoutStep(STRATEGY_TEMPLATES.BLUE_GREEN, "nope")).toThrow(/no step/);
  });
});
