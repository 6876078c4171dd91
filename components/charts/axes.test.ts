import { describe, expect, it } from "vitest";
import { zoneOffsetMs } from "@/lib/time/format";
import { timeAxis, valueAxis } from "./axes";

describe("valueAxis", () => {
  it("runs from 0 to the first round value at or above the maximum, in at most 4 steps", () => {
    expect(valueAxis([0.3, 12.7, 9])).toEqual({ domain: [0, 15], ticks: [0, 5, 10, 15] });
    expect(valueAxis([0.004, 0.0153])).toEqual({ domain: [0, 0.02], ticks: [0, 0.005, 0.01, 0.015, 0.02] });
    expect(valueAxis([842])).toEqual({ domain: [0, 1000], ticks: [0, 250, 500, 750, 1000] });
    expect(valueAxis([100])).toEqual({ domain: [0, 100], ticks: [0, 25, 50, 75, 100] });
  });

  it("covers every value given (the baseline band is passed with the samples)", () => {
    for (const values of [[1.1], [0.07, 3.3], [999.9, 2], [0.30000000000000004], [1e-7, 3e-7], [12_345_678]]) {
      const { domain, ticks } = valueAxis(values);
      expect(ticks.length).toBeLessThanOrEqual(5);
      expect(ticks[0]).toBe(0);
      expect(domain[1]).toBeGreaterThanOrEqual(Math.max(...values) * (1 - 1e-9)); // float noise aside
      expect(domain[1]).toBe(ticks.at(-1));
    }
  });

  it("goes below 0 only for a negative value, and has a range when every value is 0", () => {
    expect(valueAxis([-3, 7]).ticks).toEqual([-5, 0, 5, 10]);
    expect(valueAxis([0, 0])).toEqual({ domain: [0, 1], ticks: [0, 0.25, 0.5, 0.75, 1] });
    expect(valueAxis([])).toEqual({ domain: [0, 1], ticks: [0, 0.25, 0.5, 0.75, 1] });
    expect(valueAxis([Number.NaN, 4]).domain).toEqual([0, 4]);
  });

  it("keeps a fixed domain (availability 0–100 %)", () => {
    expect(valueAxis([99.9], [0, 100])).toEqual({ domain: [0, 100], ticks: [0, 25, 50, 75, 100] });
  });
});

describe("timeAxis", () => {
  const at = (iso: string) => Date.parse(iso);

  it("puts at most 5 ticks on round wall-clock times of the zone", () => {
    const day = timeAxis(at("2026-12-05T10:17:00Z"), at("2026-12-06T10:17:00Z"), "UTC");
    expect(day.ticks.map((t) => day.label(t))).toEqual(["12:00", "18:00", "00:00", "06:00"]);
    const hour = timeAxis(at("2026-12-06T10:17:00Z"), at("2026-12-06T11:17:00Z"), "UTC");
    expect(hour.ticks.map((t) => hour.label(t))).toEqual(["10:30", "10:45", "11:00", "11:15"]);
    // Kolkata is 5:30 ahead of UTC: its round hours are not UTC's.
    const india = timeAxis(at("2026-12-05T10:17:00Z"), at("2026-12-06T10:17:00Z"), "Asia/Kolkata");
    expect(india.ticks.map((t) => india.label(t))).toEqual(["18:00", "00:00", "06:00", "12:00"]);
    for (const axis of [day, hour, india]) expect(axis.ticks.length).toBeLessThanOrEqual(5);
  });

  it("labels days (no year) past a day and a half, at most 4 of them, at the zone's midnights", () => {
    const week = timeAxis(at("2026-11-29T10:00:00Z"), at("2026-12-06T10:00:00Z"), "America/New_York");
    expect(week.days).toBe(true);
    expect(week.ticks.length).toBeLessThanOrEqual(4);
    for (const t of week.ticks) expect((t + zoneOffsetMs(t, "America/New_York")) % 86_400_000).toBe(0);
    expect(week.label(week.ticks[0])).toMatch(/^\d{1,2} (Nov|Dec)$/);
  });

  it("keeps every tick inside the range", () => {
    for (const minutes of [1, 5, 30, 60, 360, 1440, 2880, 10_080]) {
      const to = at("2026-12-06T10:17:31Z");
      const from = to - minutes * 60_000;
      const { ticks } = timeAxis(from, to, "Europe/Berlin");
      expect(ticks.length).toBeGreaterThan(0);
      for (const t of ticks) expect(t >= from && t <= to).toBe(true);
    }
  });
});

describe("zoneOffsetMs", () => {
  it("is the wall clock's lead over UTC, with summer time", () => {
    expect(zoneOffsetMs(at("2026-12-06T10:00:00Z"), "UTC")).toBe(0);
    expect(zoneOffsetMs(at("2026-12-06T10:00:00Z"), "America/New_York")).toBe(-5 * 3_600_000);
    expect(zoneOffsetMs(at("2026-07-06T10:00:00Z"), "America/New_York")).toBe(-4 * 3_600_000);
    expect(zoneOffsetMs(at("2026-12-06T10:00:00Z"), "Asia/Kolkata")).toBe(5.5 * 3_600_000);
  });
  function at(iso: string) {
    return Date.parse(iso);
  }
});
