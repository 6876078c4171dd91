// The rollback decision framework as pure rules: given recent metrics, baselines, probe results and
// responder ticks, which criteria are met and how urgently must we act. No I/O, so the same evidence
// always yields the same recommendation, and a recorded snapshot can be re-evaluated later.
import { z } from "zod";
import type { DecisionTier } from "@/generated/prisma/enums";
import type { MetricKind, Point } from "@/lib/metrics/types";

export type { DecisionTier };

// ───────────────────────────── tiers ─────────────────────────────

/** Most urgent first: the recommendation is the first tier here with a met criterion. */
export const TIER_ORDER = ["IMMEDIATE", "FAST", "PLANNED", "MONITOR"] as const satisfies readonly DecisionTier[];

/** Minutes from detection within which the rollback must start; MONITOR has no deadline. */
export const TIER_DEADLINE_MINUTES: Record<DecisionTier, number | null> = {
  IMMEDIATE: 5,
  FAST: 30,
  PLANNED: 120,
  MONITOR: null,
};

export function tierDeadline(detectedAt: Date, tier: DecisionTier): Date | null {
  const minutes = TIER_DEADLINE_MINUTES[tier];
  return minutes === null ? null : new Date(detectedAt.getTime() + minutes * 60_000);
}

// ───────────────────────────── thresholds ─────────────────────────────

export const DEFAULT_THRESHOLDS = {
  /** IMMEDIATE: current error rate above this fraction means the service is effectively down. */
  unavailableErrorRate: 0.5,
  fastErrorRate: 0.1,
  fastErrorRateSustainMin: 5,
  fastP99Multiplier: 3,
  fastP99SustainMin: 5,
  /** FAST: at least this many critical features FAILED. */
  severalFeaturesFailed: 2,
  plannedErrorRate: 0.05,
  plannedErrorRateSustainMin: 60,
  plannedLatencyMultiplier: 2,
  plannedLatencySustainMin: 10,
};

export type Thresholds = typeof DEFAULT_THRESHOLDS;
type ThresholdKey = keyof Thresholds;

/**
 * The rules only look this far back, so a longer "sustained" duration could never be met: callers should
 * fetch at least this much history.
 */
export const DECISION_LOOKBACK_MINUTES = 120;

/** A pause in the samples longer than this breaks a "sustained" run: we cannot vouch for the metric during it. */
export const MAX_SAMPLE_GAP_MS = 2 * 60_000;

const fraction = (what: string) =>
  z
    .number({ error: `${what} must be a number (a fraction: 0.1 = 10%)` })
    .gt(0, `${what} must be above 0%`)
    .lt(1, `${what} must be below 100% (a fraction: 0.1 = 10%)`);

const sustainMinutes = (what: string) =>
  z
    .number({ error: `${what} must be a number of minutes` })
    .int(`${what} must be a whole number of minutes`)
    .min(1, `${what} must be at least 1 minute`)
    .max(
      DECISION_LOOKBACK_MINUTES,
      `${what} must be at most ${DECISION_LOOKBACK_MINUTES} minutes: the decision looks at the last ${DECISION_LOOKBACK_MINUTES / 60} h of metrics`,
    );

const multiplier = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .gt(1, `${what} must be greater than 1 (it multiplies the baseline)`)
    .max(100, `${what} must be at most 100`);

const fieldSchemas = {
  unavailableErrorRate: fraction("The IMMEDIATE (service unavailable) error rate"),
  fastErrorRate: fraction("The FAST error rate"),
  fastErrorRateSustainMin: sustainMinutes("The FAST error-rate duration"),
  fastP99Multiplier: multiplier("The FAST p99 multiplier"),
  fastP99SustainMin: sustainMinutes("The FAST p99 duration"),
  severalFeaturesFailed: z
    .number({ error: "The number of failed critical features must be a number" })
    .int("The number of failed critical features must be a whole number")
    .min(1, "The number of failed critical features must be at least 1")
    .max(100, "The number of failed critical features must be at most 100"),
  plannedErrorRate: fraction("The PLANNED error rate"),
  plannedErrorRateSustainMin: sustainMinutes("The PLANNED error-rate duration"),
  plannedLatencyMultiplier: multiplier("The PLANNED latency multiplier"),
  plannedLatencySustainMin: sustainMinutes("The PLANNED latency duration"),
} satisfies Record<ThresholdKey, z.ZodType<number>>;

const THRESHOLD_KEYS = Object.keys(DEFAULT_THRESHOLDS) as ThresholdKey[];

/**
 * A per-service override (Service.decisionThresholds): any subset of the keys. Unknown keys are refused so a
 * typo does not silently leave the default in force. The tiers must stay ordered once merged with the
 * defaults, otherwise a less urgent tier would fire on a smaller problem than a more urgent one.
 */
export const decisionThresholdsSchema = z
  .strictObject(
    {
      unavailableErrorRate: fieldSchemas.unavailableErrorRate.optional(),
      fastErrorRate: fieldSchemas.fastErrorRate.optional(),
      fastErrorRateSustainMin: fieldSchemas.fastErrorRateSustainMin.optional(),
      fastP99Multiplier: fieldSchemas.fastP99Multiplier.optional(),
      fastP99SustainMin: fieldSchemas.fastP99SustainMin.optional(),
      severalFeaturesFailed: fieldSchemas.severalFeaturesFailed.optional(),
      plannedErrorRate: fieldSchemas.plannedErrorRate.optional(),
      plannedErrorRateSustainMin: fieldSchemas.plannedErrorRateSustainMin.optional(),
      plannedLatencyMultiplier: fieldSchemas.plannedLatencyMultiplier.optional(),
      plannedLatencySustainMin: fieldSchemas.plannedLatencySustainMin.optional(),
    },
    {
      error: (issue) => (issue.code === "unrecognized_keys" ? `Unknown threshold: ${issue.keys.join(", ")}` : undefined),
    },
  )
  .superRefine((value, ctx) => {
    // Invalid keys were already reported; compare only what would actually be used.
    const t = resolveThresholds(value);
    const pct = formatThresholdPercent;
    if (t.fastErrorRate > t.unavailableErrorRate) {
      ctx.addIssue({
        code: "custom",
        path: ["fastErrorRate"],
        message: `The FAST error rate (${pct(t.fastErrorRate)}) cannot be above the IMMEDIATE one (${pct(t.unavailableErrorRate)})`,
      });
    }
    if (t.plannedErrorRate > t.fastErrorRate) {
      ctx.addIssue({
        code: "custom",
        path: ["plannedErrorRate"],
        message: `The PLANNED error rate (${pct(t.plannedErrorRate)}) cannot be above the FAST one (${pct(t.fastErrorRate)})`,
      });
    }
    if (t.plannedLatencyMultiplier > t.fastP99Multiplier) {
      ctx.addIssue({
        code: "custom",
        path: ["plannedLatencyMultiplier"],
        message: `The PLANNED latency multiplier (${formatMultiplier(t.plannedLatencyMultiplier)}) cannot be above the FAST p99 one (${formatMultiplier(t.fastP99Multiplier)})`,
      });
    }
  });

/**
 * Thresholds to use for a service, from whatever is stored. Each key is judged on its own: a bad or missing
 * key falls back to its default rather than discarding the whole override, because the decision must always
 * be computable during an incident. The cross-tier ordering is only enforced when saving.
 */
export function resolveThresholds(partial: unknown): Thresholds {
  const resolved: Thresholds = { ...DEFAULT_THRESHOLDS };
  if (typeof partial !== "object" || partial === null || Array.isArray(partial)) return resolved;
  const record = partial as Record<string, unknown>;
  for (const key of THRESHOLD_KEYS) {
    const parsed = fieldSchemas[key].safeParse(record[key]);
    if (parsed.success) resolved[key] = parsed.data;
  }
  return resolved;
}

// ───────────────────────────── formatting ─────────────────────────────

// A fixed locale so the server-rendered text and the browser agree.
const LOCALE = "en-US";

function formatNumber(value: number, maxDecimals: number, minDecimals = 0): string {
  return value.toLocaleString(LOCALE, { minimumFractionDigits: minDecimals, maximumFractionDigits: maxDecimals });
}

/** A value in its metric's unit as people read it: "14.8%", "1,840 ms", "1,234.5 req/s", "99.95%". */
export function formatMetricValue(kind: MetricKind, value: number): string {
  if (!Number.isFinite(value)) return "—";
  switch (kind) {
    case "ERROR_RATE":
      return `${formatNumber(value * 100, 1, 1)}%`;
    case "LATENCY_P50":
    case "LATENCY_P95":
    case "LATENCY_P99":
      return `${formatNumber(Math.round(value), 0)} ms`;
    case "THROUGHPUT":
      return `${formatNumber(value, 1)} req/s`;
    case "AVAILABILITY":
      return `${formatNumber(value, 3, 1)}%`;
  }
}

/** Thresholds are round numbers people typed: "10%", not "10.0%". */
function formatThresholdPercent(fraction: number): string {
  return `${formatNumber(fraction * 100, 2)}%`;
}

function formatMultiplier(m: number): string {
  return `${formatNumber(m, 2)}×`;
}

function formatMinutes(minutes: number): string {
  // Floored: a 4 min 30 s run that falls short of a 5-min rule must not read "5 min".
  return minutes < 1 ? "under 1 min" : `${Math.floor(minutes)} min`;
}

/**
 * " for N min", or "" when the latest sample is not above. A met run is shown as at least the required
 * duration: the one-interval slack lets a run starting just after now − D meet it, and "for 4 min, threshold
 * 5 min" next to a met criterion would read as a contradiction.
 */
function runText(r: SustainedResult, minutes: number): string {
  if (r.runMinutes <= 0) return "";
  return ` for ${formatMinutes(r.met ? Math.max(r.runMinutes, minutes) : r.runMinutes)}`;
}

// ───────────────────────────── sustained runs ─────────────────────────────

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

// ───────────────────────────── criteria ─────────────────────────────

export type FeatureStatus = "WORKING" | "DEGRADED" | "FAILED" | "UNKNOWN";

export type ManualTick = { checked: boolean; note?: string; by?: string };

export type DecisionInput = {
  /** Epoch milliseconds. */
  now: number;
  /** Recent samples, ascending t, covering at least DECISION_LOOKBACK_MINUTES at ≤ 1 min resolution. */
  series: Partial<Record<MetricKind, Point[]>>;
  /** Baseline medians. */
  baseline: Partial<Record<MetricKind, number | null>>;
  features: { name: string; status: FeatureStatus }[];
  /** Keyed by manual criterion id (Incident.manualCriteria). */
  manual: Partial<Record<string, ManualTick>>;
  thresholds?: Partial<Thresholds>;
};

export type CriterionResult = {
  id: string;
  tier: DecisionTier;
  label: string;
  kind: "auto" | "manual";
  met: boolean;
  /** False when the data cannot answer (missing, stale, too short); such a criterion never counts as met. */
  evaluable: boolean;
  detail: string;
};

export type DecisionEvaluation = {
  recommendedTier: DecisionTier;
  criteria: CriterionResult[];
  metCriteria: CriterionResult[];
};

type Verdict = { met: boolean; evaluable: boolean; detail: string };

type CriterionDefinition = {
  id: string;
  tier: DecisionTier;
  kind: "auto" | "manual";
  /** Takes the thresholds so the label states the numbers this service actually uses. */
  label: (t: Thresholds) => string;
};

/**
 * Every criterion of the framework, most urgent tier first. The ids are stored (Incident.manualCriteria,
 * evidence snapshots): never rename one.
 */
export const CRITERIA = [
  {
    id: "service-unavailable",
    tier: "IMMEDIATE",
    kind: "auto",
    label: (t) => `Service unavailable (error rate above ${formatThresholdPercent(t.unavailableErrorRate)} now)`,
  },
  { id: "data-corruption", tier: "IMMEDIATE", kind: "manual", label: () => "Data corruption detected" },
  { id: "security-breach", tier: "IMMEDIATE", kind: "manual", label: () => "Security breach identified" },
  {
    id: "critical-functionality-broken",
    tier: "IMMEDIATE",
    kind: "auto",
    label: () => "Critical functionality broken (every critical feature failing)",
  },
  { id: "database-integrity-compromised", tier: "IMMEDIATE", kind: "manual", label: () => "Database integrity compromised" },
  {
    id: "error-rate-high",
    tier: "FAST",
    kind: "auto",
    label: (t) => `Error rate above ${formatThresholdPercent(t.fastErrorRate)} for ${t.fastErrorRateSustainMin} min`,
  },
  {
    id: "p99-latency-high",
    tier: "FAST",
    kind: "auto",
    label: (t) => `p99 latency above ${formatMultiplier(t.fastP99Multiplier)} baseline for ${t.fastP99SustainMin} min`,
  },
  {
    id: "critical-features-failing",
    tier: "FAST",
    kind: "auto",
    label: (t) => `${t.severalFeaturesFailed} or more critical features failing`,
  },
  { id: "database-performance-degraded", tier: "FAST", kind: "manual", label: () => "Database performance severely degraded" },
  {
    id: "error-rate-elevated",
    tier: "PLANNED",
    kind: "auto",
    label: (t) => `Error rate above ${formatThresholdPercent(t.plannedErrorRate)} for ${t.plannedErrorRateSustainMin} min or more`,
  },
  {
    id: "performance-degraded",
    tier: "PLANNED",
    kind: "auto",
    label: (t) =>
      `p95 or p99 latency ${formatMultiplier(t.plannedLatencyMultiplier)} baseline or worse for ${t.plannedLatencySustainMin} min`,
  },
  { id: "business-metrics-down", tier: "PLANNED", kind: "manual", label: () => "Business metrics significantly down" },
  { id: "medium-issues-accumulating", tier: "PLANNED", kind: "manual", label: () => "Medium-severity issues accumulating" },
] as const satisfies readonly CriterionDefinition[];

export type CriterionId = (typeof CRITERIA)[number]["id"];
export type ManualCriterionId = Extract<(typeof CRITERIA)[number], { kind: "manual" }>["id"];

/** The criteria responders tick by hand: what the metrics cannot tell. */
export const MANUAL_CRITERION_IDS = CRITERIA.filter((c) => c.kind === "manual").map((c) => c.id) as ManualCriterionId[];

const METRIC_WORD: Record<MetricKind, string> = {
  ERROR_RATE: "error rate",
  LATENCY_P50: "p50",
  LATENCY_P95: "p95",
  LATENCY_P99: "p99",
  THROUGHPUT: "throughput",
  AVAILABILITY: "availability",
};

const NO_DATA_WORD: Record<MetricKind, string> = {
  ERROR_RATE: "error-rate",
  LATENCY_P50: "p50",
  LATENCY_P95: "p95",
  LATENCY_P99: "p99",
  THROUGHPUT: "throughput",
  AVAILABILITY: "availability",
};

function lastSample(points: readonly Point[] | undefined, now: number): Point | undefined {
  let last: Point | undefined;
  for (const p of points ?? []) if (p.t <= now && Number.isFinite(p.v) && (!last || p.t >= last.t)) last = p;
  return last;
}

/** "no error-rate data" or, when the series stopped, how long ago; null when the data is usable. */
function missingData(kind: MetricKind, points: readonly Point[] | undefined, now: number): string | null {
  const last = lastSample(points, now);
  if (!last) return `no ${NO_DATA_WORD[kind]} data`;
  if (now - last.t > MAX_SAMPLE_GAP_MS)
    return `no recent ${NO_DATA_WORD[kind]} data (latest sample ${formatMinutes((now - last.t) / 60_000)} old)`;
  return null;
}

/**
 * Detail for a sustained rule: "<value> for N min, threshold <x> for D min", with the run omitted when the
 * latest sample is not above the threshold.
 */
function sustainedDetail(value: string, r: SustainedResult, threshold: string, minutes: number): string {
  const base = `${value}${runText(r, minutes)}, threshold ${threshold} for ${minutes} min`;
  return r.decided ? base : `${base}; not enough data yet to cover ${minutes} min`;
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
    detail: `error rate ${formatMetricValue("ERROR_RATE", latest)} now, threshold ${formatThresholdPercent(t.unavailableErrorRate)}`,
  };
}

function evaluateSustainedErrorRate(input: DecisionInput, threshold: number, minutes: number): Verdict {
  const points = input.series.ERROR_RATE;
  const missing = missingData("ERROR_RATE", points, input.now);
  if (missing) return { met: false, evaluable: false, detail: missing };
  const r = sustainedAbove(points ?? [], threshold, input.now, minutes);
  const value = `error rate ${formatMetricValue("ERROR_RATE", r.latest ?? 0)}`;
  return { met: r.met, evaluable: r.decided, detail: sustainedDetail(value, r, formatThresholdPercent(threshold), minutes) };
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
  const word = METRIC_WORD[kind];
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
  const suffix = `, threshold ${formatMultiplier(multiplier)} for ${minutes} min${r.decided ? "" : `; not enough data yet to cover ${minutes} min`}`;
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
  const suffix = `, threshold ${formatMultiplier(t.plannedLatencyMultiplier)} for ${t.plannedLatencySustainMin} min`;
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
