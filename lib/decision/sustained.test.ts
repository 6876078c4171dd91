import { describe, expect, it } from "vitest";
import { sustainedAbove } from "./sustained";
import { flat, MIN, NOW, recent, series } from "./test-series";

describe("sustainedAbove", () => {
  it("is met when every sample of the window is above", () => {
    expect(sustainedAbove(recent(0.2, 12), 0.1, NOW, 5)).toMatchObject({ met: true, covered: true, latest: 0.2, runMinutes: 12 });
  });

  it("is met at exactly the duration, not just below it, and above it", () => {
    expect(sustainedAbove(recent(0.2, 5), 0.1, NOW, 5).met).toBe(true);
    expect(sustainedAbove(recent(0.2, 4.5), 0.1, NOW, 5)).toMatchObject({ met: false, runMinutes: 4.5, decided: true });
    expect(sustainedAbove(recent(0.2, 5.5), 0.1, NOW, 5).met).toBe(true);
  });

  it("allows one sample interval of slack at the start of the window", () => {
    // At 15 s resolution the run since 4:45 ago misses only the sample due at 5:00.
    expect(sustainedAbove(recent(0.2, 4.75), 0.1, NOW, 5).met).toBe(true);
    expect(sustainedAbove(recent(0.2, 4.5), 0.1, NOW, 5).met).toBe(false);
  });

  it("measures the run up to now, between samples too", () => {
    const r = sustainedAbove(recent(0.2, 6), 0.1, NOW + 10_000, 5);
    expect(r.met).toBe(true);
    expect(r.runMinutes).toBeCloseTo(6 + 10 / 60);
  });

  it("compares strictly unless inclusive", () => {
    expect(sustainedAbove(flat(0.1), 0.1, NOW, 5).met).toBe(false);
    expect(sustainedAbove(flat(0.1), 0.1, NOW, 5, { inclusive: true }).met).toBe(true);
  });

  it("is not met and reports no run when the latest sample is below", () => {
    const points = series((ago) => (ago === 0 ? 0.01 : 0.5));
    expect(sustainedAbove(points, 0.1, NOW, 5)).toMatchObject({ met: false, runMinutes: 0, covered: true, latest: 0.01, decided: true });
  });

  it("knows nothing without samples", () => {
    expect(sustainedAbove([], 0.1, NOW, 5)).toEqual({ met: false, runMinutes: 0, covered: false, latest: null, decided: false });
  });

  it("treats a series that stopped more than 2 min ago as stale", () => {
    const points = series((ago) => (ago >= 3 ? 0.5 : null));
    expect(sustainedAbove(points, 0.1, NOW, 5)).toMatchObject({ met: false, covered: false, latest: 0.5, decided: false });
    const justFresh = series((ago) => (ago >= 2 ? 0.5 : null));
    expect(sustainedAbove(justFresh, 0.1, NOW, 5).met).toBe(true);
  });

  it("lets a gap longer than 2 min break the run, but not a shorter one", () => {
    const longGap = series((ago) => (ago > 3 && ago < 6 ? null : 0.5));
    expect(sustainedAbove(longGap, 0.1, NOW, 5)).toMatchObject({ met: false, covered: false, runMinutes: 3, decided: false });
    const shortGap = series((ago) => (ago > 3 && ago < 4.5 ? null : 0.5));
    expect(sustainedAbove(shortGap, 0.1, NOW, 5)).toMatchObject({ met: true, covered: true });
  });

  it("cannot decide when the data is shorter than the window and all above", () => {
    const short = series((ago) => (ago <= 3 ? 0.5 : null));
    expect(sustainedAbove(short, 0.1, NOW, 5)).toMatchObject({ met: false, covered: false, runMinutes: 3, decided: false });
  });

  it("decides 'not met' on short data when a sample is below the threshold", () => {
    const short = series((ago) => (ago <= 3 ? (ago <= 1 ? 0.5 : 0.01) : null));
    expect(sustainedAbove(short, 0.1, NOW, 5)).toMatchObject({ met: false, covered: false, decided: true });
  });

  it("ignores samples after now and non-finite values", () => {
    const points = [...recent(0.2, 10), { t: NOW + MIN, v: 0 }];
    expect(sustainedAbove(points, 0.1, NOW, 5).met).toBe(true);
    const withNaN = series((ago) => (ago === 0 ? Number.NaN : 0.2));
    expect(sustainedAbove(withNaN, 0.1, NOW, 5)).toMatchObject({ met: true, latest: 0.2 });
  });

  it("sorts unordered samples", () => {
    expect(sustainedAbove([...recent(0.2, 10)].reverse(), 0.1, NOW, 5).met).toBe(true);
  });
});
