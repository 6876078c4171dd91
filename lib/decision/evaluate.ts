// The rollback decision framework as pure rules: given recent metrics, baselines, probe results and
// responder ticks, which criteria are met and how urgently must we act. No I/O, so the same evidence
// always yields the same recommendation, and a recorded snapshot can be re-evaluated later.
import { formatMetricValue, formatMinutes, formatMultiplier, formatNumber, formatPercent, METRIC_INFO } from "@/lib/metrics/format";
import type { MetricKind, Point } from "@/lib/metrics/types";
import { CRITERIA, type CriterionId, type CriterionResult, type DecisionEvaluation, type DecisionInput, type ManualTick } from "./criteria";
import { MAX_SAMPLE_GAP_MS, type SustainedResult, sustainedAbove } from "./sustained";
import { resolveThresholds, type Thresholds } from "./thresholds";
import { TIER_ORDER } from "./tiers";

type Verdict = { met: boolean; evaluable: boolean; detail: string };

/**
 * " for N min", or "" when the latest sample is not above. A met run is shown as at least the required
 * duration: the one-interval slack lets a run starting just after now − D meet it, and "for 4 min, threshold
 * 5 min" next to a met criterion would read as a contradiction.
 */
function runText(r: SustainedResult, minutes: number): string {
  if (r.runMinutes <= 0) return "";
  return ` for ${formatMinutes(r.met ? Math.max(r.runMinutes, minutes) : r.runMinutes)}`;
}

/** "error-rate" in "no error-rate data". */
const noDataWord = (kind: MetricKind) => METRIC_INFO[kind].word.replaceAll(" ", "-");

function lastSample(points: readonly Point[] | undefined, now: number): Point | undefined {
  let last: Point | undefined;
  for (const p of points ?? []) if (p.t <= now && Number.isFinite(p.v) && (!last || p.t >= last.t)) last = p;
  return last;
}

/** "no error-rate data" or, when the series stopped, how long ago; null when the data is usable. */
function missingData(kind: MetricKind, points: readonly Point[] | undefined, now: number): string | null {
  const last = lastSample(points, now);
  if (!last) return `no ${noDataWord(kind)} data`;
  if (now - last.t > MAX_SAMPLE_GAP_MS)
    return `no recent ${noDataWord(kind)} data (latest sample ${formatMinutes((now - last.t) / 60_000)} old)`;
  return null;
}

/**
 * Detail for a sustained rule: "<value> for N min, threshold <x> for D min", with the run omitted when the
 * latest sample is not above the threshold.
 */
function sustainedDetail(value: string, r: SustainedResult, threshold: string, minutes: number): string {
  const base = `${value}${runText(r, minutes)}, threshold ${threshold} for ${formatMinutes(minutes)}`;
  return r.decided ? base : `${base}; not enough data yet to cover ${formatMinutes(minutes)}`;
}

function evaluateCurrentErrorRate(input: DecisionInput, t: Thresholds): Verdict {
  const points = input.series.ERROR_RATE;
  const missing = missingData("ERROR_RATE", points, input.now);
  if (missing) return { met: false, evaluable: false, detail: missing };
  const r = sustainedAbove(points ?? [], t.unavailableErrorRate, input.now, 0);
  const latest = r.latest ?? 0;
  return {
    met: r.met,
    evaluable: true,
    detail: `error rate ${formatMetricValue("ERROR_RATE", latest)} now, threshold ${formatPercent(t.unavailableErrorRate)}`,
  };
}

function evaluateSustainedErrorRate(input: DecisionInput, threshold: number, minutes: number): Verdict {
  const points = input.series.ERROR_RATE;
  const missing = missingData("ERROR_RATE", points, input.now);
  if (missing) return { met: false, evaluable: false, detail: missing };
  const r = sustainedAbove(points ?? [], threshold, input.now, minutes);
  const value = `error rate ${formatMetricValue("ERROR_RATE", r.latest ?? 0)}`;
  return { met: r.met, evaluable: r.decided, detail: sustainedDetail(value, r, formatPercent(threshold), minutes) };
}

type LatencyPart = Verdict & { part: string; hasData: boolean };

/** One latency percentile against multiplier × its baseline; `part` is the value phrase without the threshold. */
function latencyAgainstBaseline(
  input: DecisionInput,
  kind: "LATENCY_P95" | "LATENCY_P99",
  multiplier: number,
  minutes: number,
  inclusive: boolean,
): LatencyPart {
  const points = input.series[kind];
  const missing = missingData(kind, points, input.now);
  if (missing) return { met: false, evaluable: false, detail: missing, part: missing, hasData: false };
  const baseline = input.baseline[kind];
  const word = METRIC_INFO[kind].word;
  if (baseline === null || baseline === undefined || !Number.isFinite(baseline)) {
    const detail = `no ${word} baseline`;
    return { met: false, evaluable: false, detail, part: detail, hasData: false };
  }
  if (baseline <= 0) {
    // A zero baseline makes any latency an infinite multiple: not a comparison we can stand behind.
    const detail = `${word} baseline is ${formatMetricValue(kind, baseline)}, cannot compare`;
    return { met: false, evaluable: false, detail, part: detail, hasData: false };
  }
  const r = sustainedAbove(points ?? [], baseline * multiplier, input.now, minutes, { inclusive });
  const latest = r.latest ?? 0;
  const ratio = `${formatNumber(latest / baseline, 1, 1)}×`;
  const part = `${word} ${formatMetricValue(kind, latest)} = ${ratio} baseline ${formatMetricValue(kind, baseline)}${runText(r, minutes)}`;
  const suffix = `, threshold ${formatMultiplier(multiplier)} for ${formatMinutes(minutes)}${r.decided ? "" : `; not enough data yet to cover ${formatMinutes(minutes)}`}`;
  return {
    met: r.met,
    evaluable: r.decided,
    detail: `${part}${suffix}`,
    part: `${part}${r.decided ? "" : " (not enough data yet)"}`,
    hasData: true,
  };
}

function evaluateP99Spike(input: DecisionInput, t: Thresholds): Verdict {
  const { met, evaluable, detail } = latencyAgainstBaseline(input, "LATENCY_P99", t.fastP99Multiplier, t.fastP99SustainMin, false);
  return { met, evaluable, detail };
}

/**
 * p95 OR p99 at or above the multiple of its baseline. A percentile with no data or baseline is left out
 * rather than blocking the verdict, since many services only export one of the two.
 */
function evaluatePerformanceDegraded(input: DecisionInput, t: Thresholds): Verdict {
  const parts = (["LATENCY_P95", "LATENCY_P99"] as const).map((k) =>
    latencyAgainstBaseline(input, k, t.plannedLatencyMultiplier, t.plannedLatencySustainMin, true),
  );
  const suffix = `, threshold ${formatMultiplier(t.plannedLatencyMultiplier)} for ${formatMinutes(t.plannedLatencySustainMin)}`;
  const metParts = parts.filter((p) => p.met);
  if (metParts.length > 0) return { met: true, evaluable: true, detail: metParts.map((p) => p.part).join("; ") + suffix };
  const withData = parts.filter((p) => p.hasData);
  if (withData.length === 0) return { met: false, evaluable: false, detail: parts.map((p) => p.detail).join("; ") };
  return {
    met: false,
    evaluable: withData.every((p) => p.evaluable),
    detail: parts.map((p) => p.part).join("; ") + suffix,
  };
}

function featureCounts(features: DecisionInput["features"]) {
  const failed = features.filter((f) => f.status === "FAILED").map((f) => f.name);
  const unknown = features.filter((f) => f.status === "UNKNOWN").map((f) => f.name);
  const failedText = `${failed.length} of ${features.length} critical feature${features.length === 1 ? "" : "s"} failed${failed.length > 0 ? `: ${failed.join(", ")}` : ""}`;
  const unknownText = unknown.length > 0 ? `; ${unknown.length} unknown: ${unknown.join(", ")}` : "";
  return { failed: failed.length, unknown: unknown.length, total: features.length, text: failedText + unknownText };
}

/**
 * Met when `needed` features FAILED. Unknown probes make the answer open only when they could tip it:
 * with enough known non-failures the verdict stands whatever they turn out to be.
 */
function evaluateFeaturesFailed(features: DecisionInput["features"], needed: number | "all"): Verdict {
  if (features.length === 0) return { met: false, evaluable: false, detail: "no critical features configured" };
  const c = featureCounts(features);
  const need = needed === "all" ? c.total : needed;
  if (c.failed >= need) return { met: true, evaluable: true, detail: c.text };
  const needText = needed === "all" ? `needs all ${c.total}` : `needs ${need}`;
  return { met: false, evaluable: c.failed + c.unknown < need, detail: `${c.text}; ${needText}` };
}

function evaluateManual(tick: ManualTick | undefined): Verdict {
  if (tick?.checked !== true) return { met: false, evaluable: true, detail: "not ticked" };
  const by = tick.by?.trim() ? ` by ${tick.by.trim()}` : "";
  const note = tick.note?.trim() ? `: '${tick.note.trim()}'` : "";
  return { met: true, evaluable: true, detail: `ticked${by}${note}` };
}

function evaluateCriterion(id: CriterionId, input: DecisionInput, t: Thresholds): Verdict {
  switch (id) {
    case "service-unavailable":
      return evaluateCurrentErrorRate(input, t);
    case "critical-functionality-broken":
      return evaluateFeaturesFailed(input.features, "all");
    case "error-rate-high":
      return evaluateSustainedErrorRate(input, t.fastErrorRate, t.fastErrorRateSustainMin);
    case "p99-latency-high":
      return evaluateP99Spike(input, t);
    case "critical-features-failing":
      return evaluateFeaturesFailed(input.features, t.severalFeaturesFailed);
    case "error-rate-elevated":
      return evaluateSustainedErrorRate(input, t.plannedErrorRate, t.plannedErrorRateSustainMin);
    case "performance-degraded":
      return evaluatePerformanceDegraded(input, t);
    default:
      return evaluateManual(input.manual[id]);
  }
}

/** Every criterion with its verdict, and the most urgent tier with a met criterion (MONITOR when none). */
export function evaluateDecision(input: DecisionInput): DecisionEvaluation {
  const t = resolveThresholds(input.thresholds ?? {});
  const criteria: CriterionResult[] = CRITERIA.map((c) => {
    const v = evaluateCriterion(c.id, input, t);
    // Belt and braces: an answer the data cannot support must never drive the recommendation.
    const met = v.met && v.evaluable;
    return { id: c.id, tier: c.tier, label: c.label(t), kind: c.kind, met, evaluable: v.evaluable, detail: v.detail };
  });
  const metCriteria = criteria.filter((c) => c.met);
  const recommendedTier = TIER_ORDER.find((tier) => metCriteria.some((c) => c.tier === tier)) ?? "MONITOR";
  return { recommendedTier, criteria, metCriteria };
}
