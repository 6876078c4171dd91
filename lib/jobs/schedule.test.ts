import { describe, expect, it } from "vitest";
import { nextSlot } from "./schedule";

describe("nextSlot", () => {
  it("is one interval after the due time when the job ran on time", () => {
    expect(nextSlot(10_000, 10_050, 1000)).toBe(11_000);
    expect(nextSlot(10_000, 10_999, 1000)).toBe(11_000);
  });

  it("skips the slots that passed while the job waited, keeping the cadence", () => {
    expect(nextSlot(10_000, 12_500, 1000)).toBe(13_000);
    expect(nextSlot(10_000, 13_000, 1000)).toBe(14_000);
  });

  it("never schedules at or before the due time, even when this clock is behind the database's", () => {
    expect(nextSlot(10_000, 9_000, 1000)).toBe(11_000);
  });

  it("refuses an interval that is not a positive number", () => {
    expect(() => nextSlot(0, 0, 0)).toThrow(/positive/);
    expect(() => nextSlot(0, 0, Number.NaN)).toThrow(/positive/);
  });
});
