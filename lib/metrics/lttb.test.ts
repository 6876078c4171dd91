import { describe, expect, it } from "vitest";
import { lttb } from "./lttb";
import type { Point } from "./types";

const series = (values: number[], t0 = 0): Point[] => values.map((v, i) => ({ t: t0 + i, v }));

describe("lttb", () => {
  it("picks the largest triangle in each bucket (hand-checked)", () => {
    // 6 points to 4: two middle buckets, bucket b starts at ⌊b·4/2⌋ + 1 → [1, 3) and [3, 5).
    // Bucket [1, 3), A = (0,0), next bucket average = ((3+4)/2, (2+0)/2) = (3.5, 1).
    //   Twice the area = |(0 - 3.5)(v - 0) - (0 - t)(1 - 0)| = |t - 3.5v|: (1,1) → 2.5, (2,5) → 15.5 → (2,5).
    // Bucket [3, 5), A = (2,5), the third vertex is the last point (5,1).
    //   |(2 - 5)(v - 5) - (2 - t)(1 - 5)| = |-3(v - 5) + 4(2 - t)|: (3,2) → |9 - 4| = 5, (4,0) → |15 - 8| = 7 → (4,0).
    const points = series([0, 1, 5, 2, 0, 1]);
    expect(lttb(points, 4)).toEqual([
      { t: 0, v: 0 },
      { t: 2, v: 5 },
      { t: 4, v: 0 },
      { t: 5, v: 1 },
    ]);
  });

  it("returns the input itself when there is nothing to reduce", () => {
    const points = series([1, 2, 3, 4]);
    expect(lttb(points, 4)).toBe(points);
    expect(lttb(points, 10)).toBe(points);
    expect(lttb(points, 2)).toBe(points);
    expect(lttb(points, 0)).toBe(points);
    expect(lttb(points, Number.NaN)).toBe(points);
    expect(lttb([], 3)).toEqual([]);
  });

  it("keeps the endpoints, the exact length and the order of t", () => {
    const values = Array.from({ length: 10_000 }, (_, i) => Math.sin(i / 50) * 100 + ((i * 7919) % 13));
    const points = series(values, 1_700_000_000_000);
    for (const threshold of [3, 7, 100, 9_999]) {
      const out = lttb(points, threshold);
      expect(out).toHaveLength(threshold);
      expect(out[0]).toBe(points[0]);
      expect(out.at(-1)).toBe(points.at(-1));
      expect(out.every((p, i) => i === 0 || p.t > (out[i - 1] as Point).t)).toBe(true);
    }
  });

  it("floors a fractional threshold", () => {
    expect(lttb(series([0, 1, 5, 2, 0, 1]), 4.9)).toHaveLength(4);
  });

  it("keeps a single spike", () => {
    const values = Array.from({ length: 10_000 }, (_, i) => 1 + Math.sin(i / 10) * 0.01);
    values[4321] = 1000;
    const points = series(values);
    expect(lttb(points, 50)).toContain(points[4321]);
  });

  it("skips non-finite points", () => {
    const values = Array.from({ length: 1000 }, (_, i) => i % 10);
    const points = series(values);
    points[0] = { t: 0, v: Number.NaN };
    points[500] = { t: Number.POSITIVE_INFINITY, v: 1 };
    points[999] = { t: 999, v: Number.NEGATIVE_INFINITY };
    const out = lttb(points, 20);
    expect(out).toHaveLength(20);
    expect(out.every((p) => Number.isFinite(p.t) && Number.isFinite(p.v))).toBe(true);
    // The endpoints are the first and last finite points.
    expect(out[0]).toBe(points[1]);
    expect(out.at(-1)).toBe(points[998]);
  });

  it("returns the finite points when fewer than the threshold remain", () => {
    const points = series([1, Number.NaN, 2, Number.NaN, 3, Number.NaN]);
    expect(lttb(points, 4)).toEqual([
      { t: 0, v: 1 },
      { t: 2, v: 2 },
      { t: 4, v: 3 },
    ]);
  });

  it("reduces a million points to a thousand", () => {
    const points: Point[] = new Array(1_000_000);
    for (let i = 0; i < points.length; i++) points[i] = { t: i * 1000, v: Math.sin(i / 1000) + (i % 17) / 17 };
    const out = lttb(points, 1000);
    expect(out).toHaveLength(1000);
    expect(out[0]).toBe(points[0]);
    expect(out.at(-1)).toBe(points.at(-1));
  });
});
