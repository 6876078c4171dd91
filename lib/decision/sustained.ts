// Whether a metric has stayed above a threshold for a duration: the test every "sustained" criterion
// uses, honest about gaps, stale series and data shorter than the window.
import type { Point } from "@/lib/metrics/types";

/** A pause in the samples longer than this breaks a "sustained" run: we cannot vouch for the metric during it. */
export const MAX_SAMPLE_GAP_MS = 2 * 60_000;

export type SustainedResult = {
  /** Above the threshold at every sample of the last `minutes`, and the samples cover that window. */
  met: boolean;
  /** How long the current run above the threshold has lasted, up to now; 0 when the latest sample is not above. */
  runMinutes: number;
  /** The samples reach back to now − minutes (within one sample interval) with no gap longer than MAX_SAMPLE_GAP_MS. */
  covered: boolean;
  /** The latest sample at or before now, even if stale; null when there is none. */
  latest: number | null;
  /**
   * The data settles the question: met, or a sample at or below the threshold ends the run within the window.
   * False when the run reaches back to a gap or to the start of the data before the window is covered, or
   * when the data is stale: then we cannot say it was not sustained.
   */
  decided: boolean;
};

export type SustainedOptions = {
  /** Count a sample equal to the threshold as above it (for "≥" rules). */
  inclusive?: boolean;
  maxGapMs?: number;
};

/**
 * Whether the metric has stayed above `threshold` for the last `minutes`. The latest sample must be recent
 * (within the max gap of `now`) — a series that stopped reporting proves nothing about the present. The start
 * of the window may be missed by one sample interval, since samples rarely fall exactly on now − minutes.
 */
export function sustainedAbove(
  points: readonly Point[],
  threshold: number,
  now: number,
  minutes: number,
  options: SustainedOptions = {},
): SustainedResult {
  const maxGap = options.maxGapMs ?? MAX_SAMPLE_GAP_MS;
  const isAbove = options.inclusive ? (v: number) => v >= threshold : (v: number) => v > threshold;
  // Non-finite values are treated as missing samples, and future samples (clock skew) are ignored.
  const pts = points.filter((p) => p.t <= now && Number.isFinite(p.v) && Number.isFinite(p.t)).sort((a, b) => a.t - b.t);
  const last = pts.at(-1);
  if (!last) return { met: false, runMinutes: 0, covered: false, latest: null, decided: false };
  if (now - last.t > maxGap) return { met: false, runMinutes: 0, covered: false, latest: last.v, decided: false };

  // The contiguous block of samples ending at the latest one, and the run above the threshold within it.
  let blockStart = pts.length - 1;
  while (blockStart > 0 && pts[blockStart].t - pts[blockStart - 1].t <= maxGap) blockStart--;
  let runStart = -1;
  if (isAbove(last.v)) {
    runStart = pts.length - 1;
    while (runStart > blockStart && isAbove(pts[runStart - 1].v)) runStart--;
  }

  const windowStart = now - minutes * 60_000 + sampleInterval(pts, blockStart);
  const covered = pts[blockStart].t <= windowStart;
  const met = runStart >= 0 && pts[runStart].t <= windowStart;
  const runMinutes = runStart >= 0 ? (now - pts[runStart].t) / 60_000 : 0;
  const brokenByValue = runStart !== blockStart;
  return { met, runMinutes, covered, latest: last.v, decided: met || covered || brokenByValue };
}

/** The typical spacing of the samples (median), used as slack at the start of the window. */
function sampleInterval(pts: readonly Point[], from: number): number {
  const gaps: number[] = [];
  for (let i = Math.max(from + 1, pts.length - 50); i < pts.length; i++) gaps.push(pts[i].t - pts[i - 1].t);
  if (gaps.length === 0) return 0;
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)];
}
