import { describe, expect, it } from "vitest";
import { TIER_DEADLINE_MINUTES, TIER_ORDER, tierDeadline } from "./tiers";

describe("tiers", () => {
  it("orders tiers most urgent first", () => {
    expect(TIER_ORDER).toEqual(["IMMEDIATE", "FAST", "PLANNED", "MONITOR"]);
  });

  it("gives each tier its deadline from detection", () => {
    const detected = new Date("2026-11-26T10:00:00Z");
    expect(tierDeadline(detected, "IMMEDIATE")).toEqual(new Date("2026-11-26T10:05:00Z"));
    expect(tierDeadline(detected, "FAST")).toEqual(new Date("2026-11-26T10:30:00Z"));
    expect(tierDeadline(detected, "PLANNED")).toEqual(new Date("2026-11-26T12:00:00Z"));
    expect(tierDeadline(detected, "MONITOR")).toBeNull();
    expect(TIER_DEADLINE_MINUTES).toEqual({ IMMEDIATE: 5, FAST: 30, PLANNED: 120, MONITOR: null });
  });
});
