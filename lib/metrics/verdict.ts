// The verdict next to each metric: is the current window worse than its baselines, and why, in words.
// It builds on the rank test of statistics.ts (Mann-Whitney, Hodges-Lehmann, Tukey fences) and fixes
// the mistakes measured in bench/verdicts.bench.ts (issue 18):
// - ties: with a baseline of zeros (a healthy error rate) the Hodges-Lehmann interval lands on 0 and a
//   strict "interval excludes 0" test can never fire; significance here is the tie-corrected p-value,
//   and when the Hodges-Lehmann shift is 0 because of ties the size of the change is the difference in means;
// - materiality: a relative part AND an absolute part per metric kind instead of one 10 % gate, so that
//   a 6 % latency shift counts, and so does 0 → 3 % errors, but 0.01 % → 0.02 % errors does not;
// - spread: latency and throughput also get a dispersion test (a rank test on the distances from each
//   window's median), with its own reason ("spread grew 3×");
// - autocorrelation: samples of a rate over a sliding window are not independent, so the test's z is
//   divided by the variance inflation of an AR(1) process fitted to the baseline;
// - daily rhythm: the current window is also compared with the same clock window a day (and a week)
//   earlier, and a regression is only called when it holds against every baseline that has data.
// Pure: no I/O, deterministic for a given input.
import { formatChange, formatMetricValue, formatMultiplier, formatNumber, METRIC_INFO } from "./format";
import { DEFAULT_MATERIALITY, type Materiality, materialThreshold } from "./materiality";
import {
  DEFAULT_CONFIDENCE,
  DEFAULT_MIN_SAMPLES,
  erfc,
  mannWhitney,
  median,
  quantileSorted,
  removeOutliersIqr,
  type Verdict,
} from "./statistics";
import type { MetricKind } from "./types";

export type { Verdict };

export const BASELINE_NAMES = ["pre-deploy", "day-earlier", "week-earlier"] as const;
export type BaselineName = (typeof BASELINE_NAMES)[number];

/** How each baseline reads inside a sentence: "… compared with before the deploy". */
export const BASELINE_LABEL: Record<BaselineName, string> = {
  "pre-deploy": "before the deploy",
  "day-earlier": "the same time a day earlier",
  "week-earlier": "the same time a week earlier",
};

/** Seasonal baselines: how far back, in ms. */
export const BASELINE_OFFSET_MS: Record<Exclude<BaselineName, "pre-deploy">, number> = {
  "day-earlier": 24 * 60 * 60_000,
  "week-earlier": 7 * 24 * 60 * 60_000,
};

/** Metrics whose spread is judged too: an unstable latency or throughput is a regression even at the same median. */
export const SPREAD_METRICS: readonly MetricKind[] = ["LATENCY_P50", "LATENCY_P95", "LATENCY_P99", "THROUGHPUT"];
/** The spread (interquartile range) must grow at least this many times to count. */
export const SPREAD_FACTOR = 2;
/**
 * The largest lag-1 autocorrelation the correction believes. Beyond it the inflation (1+ρ)/(1-ρ) would
 * leave a 12-sample window no power at all, and a strong ρ in a 1-hour baseline is mostly a trend, which
 * the seasonal baselines handle.
 */
export const MAX_AUTOCORRELATION = 0.6;

export type VerdictOptions = {
  materiality?: Materiality;
  /**
   * Of each comparison. Default: DEFAULT_CONFIDENCE (0.98, as Kayenta) when only the pre-deploy baseline has
   * data, SEASONAL_CONFIDENCE when a seasonal one has too (see there).
   */
  confidence?: number;
  /** Fewer cleaned values than this on either side: that baseline has no data. Default 3. */
  minSamples?: number;
};

/**
 * The confidence of each comparison when two or more baselines must agree. A regression is called only when
 * every one of them finds it, and their noise is independent (other days), so together they are stricter than
 * each alone: measured on the corpus of bench/verdicts.bench.ts, 0.95 each keeps the quiet windows quiet
 * (specificity 0.98) and catches partial shifts that 0.98 each misses (recall 0.94 against 0.83).
 */
export const SEASONAL_CONFIDENCE = 0.95;

/** Why one comparison came out as it did. */
export type VerdictCause = "level" | "spread" | "none" | "no-data";

/** The current window against one baseline. */
export type Comparison = {
  baseline: BaselineName;
  verdict: Verdict;
  cause: VerdictCause;
  /** One sentence: "p99 up from 120 ms to 180 ms (+50.0%) compared with before the deploy". */
  reason: string;
  baselineMedian: number | null;
  baselineCount: number;
  /** The size of the change in the metric's unit (Hodges-Lehmann shift, or difference in means when ties make that 0). */
  effect: number | null;
  /** Two-sided p-value of the level test after the autocorrelation correction. */
  pValue: number | null;
  /** Current interquartile range / baseline's, for SPREAD_METRICS. */
  spreadRatio: number | null;
};

export type MetricVerdict = {
  metric: MetricKind;
  verdict: Verdict;
  /** The verdict in words, naming the baselines it rests on. */
  reason: string;
  /** One per baseline that had data, pre-deploy first. */
  comparisons: Comparison[];
  /** Baselines given but without enough data, with why. */
  skipped: { baseline: BaselineName; reason: string }[];
  /** Medians of the cleaned pre-deploy baseline and current window; change is their relative difference. */
  baselineMedian: number | null;
  currentMedian: number | null;
  change: number | null;
  currentCount: number;
  /** How the pre-deploy baseline was moved to the current time of day, when history allowed it. */
  timeOfDay: { factor: number; from: BaselineName } | null;
  /** The "no material change" band around the pre-deploy median, for the chart. */
  band: { median: number; low: number; high: number } | null;
};

/** Lag-1 autocorrelation of a series in time order; 0 when it is constant or too short to tell. */
export function lag1Autocorrelation(values: readonly number[]): number {
  const n = values.length;
  if (n < 3) return 0;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - mean;
    den += d * d;
    if (i > 0) num += d * ((values[i - 1] as number) - mean);
  }
  return den === 0 ? 0 : num / den;
}

function iqr(values: readonly number[]): number {
  const sorted = Float64Array.from(values).sort();
  return quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25);
}

const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / values.length;

function validate(opts: VerdictOptions): Required<VerdictOptions> {
  const confidence = opts.confidence ?? DEFAULT_CONFIDENCE;
  const minSamples = opts.minSamples ?? DEFAULT_MIN_SAMPLES;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`The confidence must be between 0 and 1, got ${confidence}.`);
  if (!(Number.isInteger(minSamples) && minSamples >= 1))
    throw new RangeError(`minSamples must be a whole number, 1 or more, got ${minSamples}.`);
  const materiality = opts.materiality ?? { relative: 0, absolute: 0 };
  for (const [part, v] of Object.entries(materiality))
    if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`The ${part} materiality must be a finite number, 0 or more, got ${v}.`);
  return { confidence, minSamples, materiality };
}

/**
 * The current window against one baseline. Both samples are cleaned with Tukey's fences first (a lone spike
 * is not a regression). Level: the rank test's p-value, corrected for autocorrelation, below 1 - confidence,
 * and a material effect. Spread (SPREAD_METRICS only): the interquartile range grew SPREAD_FACTOR times or
 * more, the growth itself is material, and a rank test on the distances from each window's median agrees.
 * A worse spread wins over a better level: a faster median does not make an erratic service healthy.
 */
export function compareWindow(
  metric: MetricKind,
  baselineName: BaselineName,
  baseline: readonly number[],
  current: readonly number[],
  opts: VerdictOptions = {},
): Comparison {
  const { confidence, minSamples, materiality } = validate({ materiality: DEFAULT_MATERIALITY[metric], ...opts });
  const info = METRIC_INFO[metric];
  const fmt = (v: number) => formatMetricValue(metric, v);
  const where = BASELINE_LABEL[baselineName];
  const b = removeOutliersIqr(baseline);
  const c = removeOutliersIqr(current);
  const baselineMedian = median(b);
  const currentMedian = median(c);
  const none = { baseline: baselineName, baselineMedian, baselineCount: b.length, effect: null, pValue: null, spreadRatio: null };
  if (baselineMedian === null || currentMedian === null || b.length < minSamples || c.length < minSamples) {
    const reason =
      b.length < minSamples
        ? `not enough samples ${where} (${b.length} of ${minSamples})`
        : `not enough samples in the current window (${c.length} of ${minSamples})`;
    return { ...none, verdict: "no-data", cause: "no-data", reason };
  }

  const alpha = 1 - confidence;
  // The estimate of ρ has a standard error of about 1/√n: only what stands above twice that is believed.
  const rho = Math.min(MAX_AUTOCORRELATION, Math.max(0, lag1Autocorrelation(b) - 2 / Math.sqrt(b.length)));
  const deflate = Math.sqrt((1 + rho) / (1 - rho));
  const pOf = (z: number) => Math.min(1, erfc(Math.abs(z / deflate) / Math.SQRT2));

  const mw = mannWhitney(c, b, confidence);
  const pValue = pOf(mw.z);
  // The median of the pairwise differences under-reads a change that moved only part of the window (a
  // change 5 minutes into a 12-minute window, an error rate that is 0 most of the time: there it is 0 with
  // most of the mass moved); the difference of the cleaned means reads those. The larger of the two counts
  // when they agree in direction.
  const meanShift = mean(c) - mean(b);
  const effect =
    Math.sign(meanShift) === Math.sign(mw.hodgesLehmann) || mw.hodgesLehmann === 0
      ? Math.abs(meanShift) > Math.abs(mw.hodgesLehmann)
        ? meanShift
        : mw.hodgesLehmann
      : mw.hodgesLehmann;
  const threshold = materialThreshold(materiality, baselineMedian);
  const up = effect > 0;
  const levelSignificant = pValue < alpha && Math.sign(mw.z) === Math.sign(effect);
  const levelMaterial = Math.abs(effect) >= threshold && effect !== 0;
  const levelVerdict: Verdict =
    levelSignificant && levelMaterial ? (up === info.higherIsWorse ? "worse" : "better") : "no-significant-change";

  let spreadRatio: number | null = null;
  let spreadWorse = false;
  if (SPREAD_METRICS.includes(metric)) {
    const spreadB = iqr(b);
    const spreadC = iqr(c);
    spreadRatio = spreadB > 0 ? spreadC / spreadB : spreadC > 0 ? Number.POSITIVE_INFINITY : 1;
    if (spreadRatio >= SPREAD_FACTOR && spreadC - spreadB >= threshold) {
      const devB = b.map((v) => Math.abs(v - baselineMedian));
      const devC = c.map((v) => Math.abs(v - currentMedian));
      const spreadTest = mannWhitney(devC, devB, confidence);
      spreadWorse = spreadTest.z > 0 && pOf(spreadTest.z) < alpha;
    }
  }

  const moved = `${info.word} ${fmt(baselineMedian)} → ${fmt(currentMedian)}`;
  const result = { ...none, effect, pValue, spreadRatio };
  if (spreadWorse) {
    const ratio = spreadRatio === Number.POSITIVE_INFINITY ? "from none" : formatMultiplier(Math.round(spreadRatio! * 10) / 10);
    return {
      ...result,
      verdict: "worse",
      cause: "spread",
      reason: `${info.word} spread grew ${ratio} compared with ${where} (median ${fmt(baselineMedian)} → ${fmt(currentMedian)})`,
    };
  }
  if (levelVerdict !== "no-significant-change") {
    // From a baseline of 0 a relative change means nothing: the two values say it.
    const size = baselineMedian === 0 ? "" : ` (${formatChange(effect / Math.abs(baselineMedian))})`;
    return { ...result, verdict: levelVerdict, cause: "level", reason: `${moved}${size} compared with ${where}` };
  }
  const why = !levelSignificant
    ? `not a significant change (p = ${formatP(pValue)})`
    : `a change of ${fmt(Math.abs(effect))}, under the ${fmt(threshold)} that counts`;
  return { ...result, verdict: "no-significant-change", cause: "none", reason: `${moved} compared with ${where}: ${why}` };
}

function formatP(p: number): string {
  return p < 0.001 ? "< 0.001" : formatNumber(p, 3);
}

export type BaselineInput = {
  name: BaselineName;
  values: readonly number[];
  /**
   * Seasonal baselines only: the same earlier day at the clock time of the pre-deploy window. Their ratio to
   * `values` is how much the time of day alone moved the metric since the deploy, as it did that day.
   */
  atPreDeploy?: readonly number[];
};

/** Metrics that follow the time of day multiplicatively (traffic and the latency it causes); error rates do not. */
export const DAILY_RHYTHM_METRICS: readonly MetricKind[] = SPREAD_METRICS;

/**
 * How much the time of day moves a metric between the pre-deploy window and the current one, read from the
 * most recent seasonal baseline that has both windows: median now-o'clock / median then-o'clock. Null when
 * there is no such history (or the metric has no multiplicative rhythm).
 */
export function timeOfDayFactor(
  metric: MetricKind,
  baselines: readonly BaselineInput[],
  minSamples = DEFAULT_MIN_SAMPLES,
): { factor: number; from: BaselineName } | null {
  if (!DAILY_RHYTHM_METRICS.includes(metric)) return null;
  for (const b of baselines) {
    if (b.name === "pre-deploy" || !b.atPreDeploy) continue;
    const now = removeOutliersIqr(b.values);
    const then = removeOutliersIqr(b.atPreDeploy);
    if (now.length < minSamples || then.length < minSamples) continue;
    const [mNow, mThen] = [median(now), median(then)];
    if (mNow !== null && mThen !== null && mThen > 0 && mNow > 0) return { factor: mNow / mThen, from: b.name };
  }
  return null;
}

/**
 * The verdict of a metric over every baseline that has data. The pre-deploy baseline is required (without it:
 * "no-data"); the seasonal ones are used when they have samples. When a seasonal baseline also holds the
 * pre-deploy clock window, the pre-deploy baseline is first moved to the current time of day (a rise from
 * the morning trough is not a regression, and it must not hide one either). Worse (or better) only when every
 * usable baseline says so: a rise that the same hour yesterday also had is the daily rhythm, not the release.
 */
export function judgeVerdict(
  metric: MetricKind,
  baselines: readonly BaselineInput[],
  current: readonly number[],
  opts: VerdictOptions = {},
): MetricVerdict {
  const materiality = opts.materiality ?? DEFAULT_MATERIALITY[metric];
  const seasonal = timeOfDayFactor(metric, baselines, opts.minSamples);
  const minSamples = opts.minSamples ?? DEFAULT_MIN_SAMPLES;
  const withData = baselines.filter((b) => removeOutliersIqr(b.values).length >= minSamples).length;
  const confidence = opts.confidence ?? (withData >= 2 ? SEASONAL_CONFIDENCE : DEFAULT_CONFIDENCE);
  const compareAll = (window: readonly number[]) =>
    baselines.map((b) => {
      const adjust = b.name === "pre-deploy" && seasonal !== null && Math.abs(seasonal.factor - 1) >= 0.01;
      const values = adjust ? b.values.map((v) => v * seasonal.factor) : b.values;
      const c = compareWindow(metric, b.name, values, window, { ...opts, materiality, confidence });
      if (!adjust || c.verdict === "no-data") return c;
      const note = ` (adjusted ${formatChange(seasonal.factor - 1)} for the time of day, as ${BASELINE_LABEL[seasonal.from]})`;
      return { ...c, reason: c.reason.replace(BASELINE_LABEL["pre-deploy"], `${BASELINE_LABEL["pre-deploy"]}${note}`) };
    });
  let all = compareAll(current);
  let recentNote = "";
  // A change that landed inside the window moved only its latest samples, which the whole window dilutes:
  // its second half is judged too, by the same rule, and a regression there is one.
  const half = Math.floor(current.length / 2);
  if (combine(all).verdict !== "worse" && half >= 2 * minSamples) {
    const recent = compareAll(current.slice(current.length - half));
    if (combine(recent).verdict === "worse") {
      all = recent;
      recentNote = `in the last ${half} samples: `;
    }
  }
  const primary = all.find((c) => c.baseline === "pre-deploy");
  const comparisons = all.filter((c) => c.verdict !== "no-data");
  const skipped = all.filter((c) => c.verdict === "no-data").map((c) => ({ baseline: c.baseline, reason: c.reason }));
  const cleanedCurrent = removeOutliersIqr(current);
  const currentMedian = median(cleanedCurrent);
  const rawPreDeploy = baselines.find((b) => b.name === "pre-deploy");
  const baselineMedian = primary && rawPreDeploy ? median(removeOutliersIqr(rawPreDeploy.values)) : null;
  const change =
    baselineMedian === null || baselineMedian === 0 || currentMedian === null
      ? null
      : (currentMedian - baselineMedian) / Math.abs(baselineMedian);
  const band =
    baselineMedian === null
      ? null
      : (() => {
          const half = materialThreshold(materiality, baselineMedian);
          return { median: baselineMedian, low: baselineMedian - half, high: baselineMedian + half };
        })();
  const base = {
    metric,
    comparisons,
    skipped,
    baselineMedian,
    currentMedian,
    change,
    currentCount: cleanedCurrent.length,
    timeOfDay: seasonal,
    band,
  };

  const { verdict, reason } = combine(all);
  return { ...base, verdict, reason: `${recentNote}${reason}` };
}

/** Every comparison with data must agree for worse or better; the pre-deploy one leads the reason. */
function combine(all: readonly Comparison[]): { verdict: Verdict; reason: string } {
  const primary = all.find((c) => c.baseline === "pre-deploy");
  if (!primary || primary.verdict === "no-data")
    return { verdict: "no-data", reason: primary?.reason ?? `no samples ${BASELINE_LABEL["pre-deploy"]}` };
  const others = all.filter((c) => c !== primary && c.verdict !== "no-data");
  const against = (list: Comparison[]) => list.map((c) => BASELINE_LABEL[c.baseline]).join(" and ");
  if (primary.verdict === "no-significant-change") return { verdict: primary.verdict, reason: primary.reason };
  const disagreeing = others.filter((c) => c.verdict !== primary.verdict);
  if (disagreeing.length === 0) {
    const also = others.length > 0 ? `; also compared with ${against(others)}` : "";
    return { verdict: primary.verdict, reason: `${primary.reason}${also}` };
  }
  return {
    verdict: "no-significant-change",
    reason: `${primary.reason}, but not ${primary.verdict} than ${against(disagreeing)}: the time of day, not the release`,
  };
}
