// Sample series for the decision tests: a fixed "now" and samples every few seconds up to it.
import type { Point } from "@/lib/metrics/types";

export const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
export const MIN = 60_000;

/**
 * Samples every `stepS` seconds over the last `span` minutes up to NOW, valued by how many minutes ago they
 * are; a null value leaves a gap.
 */
export function series(valueAt: (minutesAgo: number) => number | null, { span = 120, stepS = 15, now = NOW } = {}): Point[] {
  const points: Point[] = [];
  for (let ago = span * 60; ago >= 0; ago -= stepS) {
    const v = valueAt(ago / 60);
    if (v !== null) points.push({ t: now - ago * 1000, v });
  }
  return points;
}

export const flat = (v: number) => series(() => v);
/** `high` for the last `minutes` (inclusive), `low` before that. */
export const recent = (high: number, minutes: number, low = 0) => series((ago) => (ago <= minutes ? high : low));
