// Chart ranges and the resolution a chart asks for. Pure.
export const RANGES = [
  { id: "15m", label: "15 min", ms: 15 * 60_000 },
  { id: "1h", label: "1 h", ms: 60 * 60_000 },
  { id: "6h", label: "6 h", ms: 6 * 60 * 60_000 },
  { id: "24h", label: "24 h", ms: 24 * 60 * 60_000 },
  { id: "7d", label: "7 days", ms: 7 * 24 * 60 * 60_000 },
] as const;

export type RangeId = (typeof RANGES)[number]["id"];

export const MAX_POINTS_PER_SERIES = 1000;

/** The chart width the first evidence is drawn for, before the page has measured its charts. */
export const DEFAULT_CHART_WIDTH = 720;

export function isRangeId(value: unknown): value is RangeId {
  return RANGES.some((r) => r.id === value);
}

export function rangeMs(id: RangeId): number {
  return RANGES.find((r) => r.id === id)!.ms;
}

/** The smallest range that shows the baseline window before the deploy and everything since. */
export function defaultRange(deployedAt: Date, baselineMinutes: number, now: number): RangeId {
  const needed = now - (deployedAt.getTime() - baselineMinutes * 60_000);
  return (RANGES.find((r) => r.ms >= needed) ?? RANGES[RANGES.length - 1]).id;
}

/** Points a series may have: the chart's pixel width, never more than 1,000. */
export function pointBudget(width: number): number {
  if (!Number.isFinite(width) || width < 10) return 300;
  return Math.min(MAX_POINTS_PER_SERIES, Math.floor(width));
}

/**
 * The SQL/PromQL step for a range: coarse enough that the source returns about twice the
 * point budget (LTTB then picks the shape-preserving half), never finer than the source's own.
 */
export function chartStepSeconds(range: number, budget: number, nativeStep: number): number {
  return Math.max(nativeStep, Math.ceil(range / 1000 / (budget * 2)));
}

export type Rollup = "minute" | "fiveMinutes" | "hour";

/** Coarsest first. */
const ROLLUPS: readonly { rollup: Rollup; seconds: number }[] = [
  { rollup: "hour", seconds: 3600 },
  { rollup: "fiveMinutes", seconds: 300 },
  { rollup: "minute", seconds: 60 },
];
const MINUTE = ROLLUPS[ROLLUPS.length - 1] as (typeof ROLLUPS)[number];

/**
 * How a chart of `range` ms is read: from the coarsest rollup whose buckets fit in chartStepSeconds, with the
 * step made a whole number of its buckets (the nearest, at least one), so that every chart bucket is a sum of
 * whole rollup buckets and its mean is exactly the mean of its raw samples. A step shorter than a minute still
 * reads whole minutes when that leaves at least one point per pixel (the budget) for LTTB: the 24 h chart of
 * 1,000 px reads 1,440 minutes a series instead of 1,964 buckets of 44 s averaged from 5,760 raw samples (the
 * same 60 s step goes to Prometheus, bench/README.md). Shorter ranges read raw samples at chartStepSeconds.
 * Verdicts never come here: they read raw samples (lib/metrics/verdict-windows.ts).
 */
export function chartResolution(range: number, budget: number, nativeStep: number): { stepSeconds: number; rollup: Rollup | null } {
  const step = chartStepSeconds(range, budget, nativeStep);
  const level = ROLLUPS.find((r) => r.seconds <= step) ?? (range / 1000 / MINUTE.seconds >= budget ? MINUTE : null);
  if (!level) return { stepSeconds: step, rollup: null };
  return { stepSeconds: Math.max(1, Math.round(step / level.seconds)) * level.seconds, rollup: level.rollup };
}
