// Largest-Triangle-Three-Buckets downsampling (Sveinn Steinarsson, "Downsampling Time Series for Visual
// Representation", 2013). Charts cannot usefully draw more points than they have pixels, and averaging or
// striding would flatten the spikes a responder is looking for; LTTB keeps, per bucket, the point that
// forms the largest triangle with the previously kept point and the next bucket's average, so peaks and
// troughs survive.
import type { Point } from "./types";

const isFinitePoint = (p: Point) => Number.isFinite(p.t) && Number.isFinite(p.v);

/**
 * Reduces `points` (sorted by t) to `threshold` points, always keeping the first and the last.
 * Returns `points` itself when there is nothing to reduce (threshold >= points.length) or no meaningful
 * reduction (threshold < 3: a line needs both ends plus one choice). Points with a non-finite t or v are
 * dropped before bucketing, since one NaN would poison a bucket average and every area compared with it;
 * if that leaves threshold points or fewer they are returned as they are. O(n).
 */
export function lttb(points: readonly Point[], threshold: number): Point[] {
  const target = Math.floor(threshold);
  if (!(target >= 3) || target >= points.length) return points as Point[];

  const data = points.every(isFinitePoint) ? points : points.filter(isFinitePoint);
  const n = data.length;
  if (n <= target) return data.slice();

  const sampled: Point[] = new Array(target);
  sampled[0] = data[0] as Point;
  // Bucket b (0-based, of target-2 middle buckets) covers [start(b), start(b+1)); integer arithmetic keeps the
  // last boundary exactly at n-1, where floating "every = (n-2)/(target-2)" could fall one short.
  const buckets = target - 2;
  const start = (b: number) => Math.floor((b * (n - 2)) / buckets) + 1;

  let a = 0;
  for (let b = 0; b < buckets; b++) {
    const from = start(b);
    const to = start(b + 1);
    // The next bucket's average is the third vertex; after the last middle bucket it is the final point.
    const nextFrom = to;
    const nextTo = b + 1 < buckets ? start(b + 2) : n;
    let avgT = 0;
    let avgV = 0;
    for (let j = nextFrom; j < nextTo; j++) {
      const p = data[j] as Point;
      avgT += p.t;
      avgV += p.v;
    }
    const count = nextTo - nextFrom;
    avgT /= count;
    avgV /= count;

    const pa = data[a] as Point;
    let maxArea = -1;
    let chosen = from;
    for (let j = from; j < to; j++) {
      const p = data[j] as Point;
      // Twice the triangle's area; the factor ½ changes no comparison.
      const area = Math.abs((pa.t - avgT) * (p.v - pa.v) - (pa.t - p.t) * (avgV - pa.v));
      if (area > maxArea) {
        maxArea = area;
        chosen = j;
      }
    }
    sampled[b + 1] = data[chosen] as Point;
    a = chosen;
  }
  sampled[target - 1] = data[n - 1] as Point;
  return sampled;
}
