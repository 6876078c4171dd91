// When a metric item of the checklist is satisfied: the median of the samples since the rollback
// ended, against an absolute ceiling and/or the pre-release baseline within a tolerance (in the
// metric's bad direction). Too few samples or no baseline is "not yet", never a pass. Pure.
import type { MetricKind } from "@/generated/prisma/enums";
import { formatMetricValue, formatPercent, METRIC_INFO } from "@/lib/metrics/format";

/** Samples needed after the rollback before a metric item may tick itself. */
export const MIN_SAMPLES = 3;
/** Time the service gets after the rollback ends before its metrics are judged. */
export const SETTLE_MS = 60_000;

export type MetricRule = { metric: MetricKind; tolerance: number | null; absoluteMax: number | null };
export type MetricReading = { baseline: number | null; current: number | null; currentCount: number };
export type MetricJudgement = {
  ok: boolean;
  value: number | null;
  baseline: number | null;
  /** The tightest bound applied (for display): the value must be at most (or, for throughput/availability, at least) this. */
  limit: number | null;
  reason: string;
};

export function judgeMetricItem(rule: MetricRule, reading: MetricReading): MetricJudgement {
  const { metric } = rule;
  const fmt = (v: number) => formatMetricValue(metric, v);
  const worseUp = METRIC_INFO[metric].higherIsWorse;
  const base = { value: reading.current, baseline: reading.baseline };
  if (reading.current === null || reading.currentCount < MIN_SAMPLES)
    return { ...base, ok: false, limit: null, reason: `not enough samples since the rollback (${reading.currentCount} of ${MIN_SAMPLES})` };
  const v = reading.current;
  const bounds: { limit: number; label: string }[] = [];
  if (rule.absoluteMax !== null) bounds.push({ limit: rule.absoluteMax, label: "the absolute limit" });
  if (rule.tolerance !== null) {
    if (reading.baseline === null) return { ...base, ok: false, limit: null, reason: "no baseline to compare with" };
    const limit = worseUp ? reading.baseline * (1 + rule.tolerance) : reading.baseline * (1 - rule.tolerance);
    bounds.push({ limit, label: `baseline ${fmt(reading.baseline)} ${worseUp ? "+" : "−"} ${formatPercent(rule.tolerance)}` });
  }
  if (bounds.length === 0) return { ...base, ok: false, limit: null, reason: "the item has no limit" };
  const failed = bounds.find((b) => (worseUp ? v > b.limit : v < b.limit));
  const tightest = bounds.reduce((a, b) => (worseUp ? (b.limit < a.limit ? b : a) : b.limit > a.limit ? b : a));
  if (failed)
    return { ...base, ok: false, limit: failed.limit, reason: `${fmt(v)} ${worseUp ? ">" : "<"} ${fmt(failed.limit)} (${failed.label})` };
  return {
    ...base,
    ok: true,
    limit: tightest.limit,
    reason: `${fmt(v)} ${worseUp ? "≤" : "≥"} ${fmt(tightest.limit)} (${tightest.label})`,
  };
}
