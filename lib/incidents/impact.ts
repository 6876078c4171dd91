// Impact, recorded and computed. Recorded: the figures responders enter, where "not recorded"
// (null) is never 0. Computed: from the service's stored samples over the incident window — the
// peak error rate, the time the error rate stayed materially above its pre-deploy baseline, the
// estimated failed requests ∫ throughput × (error rate − baseline)⁺ dt, and the availability the
// requests saw — each with the window it was computed on. Pure: impact-data.ts reads the samples.
import { formatDuration, formatMetricValue, formatNumber } from "@/lib/metrics/format";
import { type Materiality, materialThreshold } from "@/lib/metrics/materiality";
import { median } from "@/lib/metrics/statistics";
import type { Point } from "@/lib/metrics/types";
import { formatUtc } from "@/lib/time/format";

export const IMPACT_FIELDS = ["usersAffected", "supportTickets", "complaints", "failedTransactions"] as const;
export type ImpactField = (typeof IMPACT_FIELDS)[number];
export type RecordedImpact = Record<ImpactField, number | null>;

export const IMPACT_LABELS: Record<ImpactField, string> = {
  usersAffected: "Users affected",
  supportTickets: "Support tickets",
  complaints: "Complaints",
  failedTransactions: "Failed transactions",
};

export const NOT_RECORDED = "not recorded";

/** A recorded count as every page and document shows it: "1,800", "0", or "not recorded". */
export function formatImpactCount(value: number | null | undefined): string {
  return typeof value === "number" && Number.isFinite(value) ? formatNumber(value, 0) : NOT_RECORDED;
}

export type IsoWindow = { from: string; to: string };

export type ComputedImpact = {
  /** The incident window the figures are computed on, and what bounds it. */
  window: IsoWindow & { basis: string };
  /** The pre-deploy window the baseline error rate is the median of. */
  baselineWindow: IsoWindow;
  baselineErrorRate: number | null;
  /** "Above baseline" means above this error rate (the baseline plus the service's material change). */
  aboveThreshold: number | null;
  peakErrorRate: { value: number; at: string } | null;
  timeAboveBaselineMs: number | null;
  estimatedFailedRequests: number | null;
  totalRequests: number | null;
  /** Requests served without error over all requests in the window (0..1). */
  availability: number | null;
  samples: { errorRate: number; throughput: number; baseline: number };
  /** Why a figure is missing (no samples, metrics unavailable), or null. */
  note: string | null;
};

/** Two consecutive samples further apart than this many steps are a gap in the data: not integrated across. */
export const MAX_GAP_STEPS = 4;

const sorted = (points: readonly Point[], from: number, to: number) =>
  points.filter((p) => Number.isFinite(p.v) && p.t >= from && p.t <= to).sort((a, b) => a.t - b.t);

/**
 * The computed impact over `window` from the error-rate and throughput series (paired by timestamp,
 * as both providers return them on one step grid). The integral is the trapezoid rule between
 * consecutive paired samples not more than MAX_GAP_STEPS steps apart.
 */
export function computeImpact(input: {
  window: { from: number; to: number; basis: string };
  baselineWindow: { from: number; to: number };
  errorRate: readonly Point[];
  throughput: readonly Point[];
  baselineErrorRate: readonly Point[];
  stepMs: number;
  materiality: Materiality;
}): ComputedImpact {
  const { window } = input;
  const iso = (t: number) => new Date(t).toISOString();
  const err = sorted(input.errorRate, window.from, window.to);
  const thr = sorted(input.throughput, window.from, window.to);
  const baselineValues = sorted(input.baselineErrorRate, input.baselineWindow.from, input.baselineWindow.to).map((p) => p.v);
  const baseline = median(baselineValues);
  const threshold = baseline === null ? null : baseline + materialThreshold(input.materiality, baseline);
  const maxGap = input.stepMs * MAX_GAP_STEPS;

  let peak: { value: number; at: string } | null = null;
  for (const p of err) if (!peak || p.v > peak.value) peak = { value: p.v, at: iso(p.t) };

  let above: number | null = null;
  if (threshold !== null && err.length > 0) {
    above = 0;
    for (let i = 0; i + 1 < err.length; i++) {
      const dt = err[i + 1].t - err[i].t;
      if (dt <= maxGap && err[i].v > threshold) above += dt;
    }
  }

  const thrAt = new Map(thr.map((p) => [p.t, p.v]));
  const pairs = err.filter((p) => thrAt.has(p.t)).map((p) => ({ t: p.t, err: p.v, thr: thrAt.get(p.t) as number }));
  let failed: number | null = null;
  let total: number | null = null;
  let erroring: number | null = null;
  if (pairs.length >= 2) {
    failed = 0;
    total = 0;
    erroring = 0;
    for (let i = 0; i + 1 < pairs.length; i++) {
      const a = pairs[i];
      const b = pairs[i + 1];
      const dt = (b.t - a.t) / 1000;
      if (b.t - a.t > maxGap) continue;
      const excess = (p: typeof a) => p.thr * Math.max(0, p.err - (baseline ?? 0));
      if (baseline !== null) failed += ((excess(a) + excess(b)) / 2) * dt;
      total += ((a.thr + b.thr) / 2) * dt;
      erroring += ((a.thr * a.err + b.thr * b.err) / 2) * dt;
    }
    if (baseline === null) failed = null;
  }

  const notes: string[] = [];
  if (err.length === 0) notes.push("no error-rate samples in the incident window");
  else if (pairs.length < 2) notes.push("no throughput samples beside the error rate, so no request counts");
  if (baseline === null) notes.push("no error-rate samples in the pre-deploy baseline window");

  return {
    window: { from: iso(window.from), to: iso(window.to), basis: window.basis },
    baselineWindow: { from: iso(input.baselineWindow.from), to: iso(input.baselineWindow.to) },
    baselineErrorRate: baseline,
    aboveThreshold: threshold,
    peakErrorRate: peak,
    timeAboveBaselineMs: above,
    estimatedFailedRequests: failed,
    totalRequests: total,
    availability: total && erroring !== null ? 1 - erroring / total : null,
    samples: { errorRate: err.length, throughput: thr.length, baseline: baselineValues.length },
    note: notes.length ? notes.join("; ") : null,
  };
}

/** The computed impact without data: the window, and why there are no figures. */
export function unavailableImpact(
  window: { from: number; to: number; basis: string },
  baselineWindow: { from: number; to: number },
  note: string,
): ComputedImpact {
  const iso = (t: number) => new Date(t).toISOString();
  return {
    window: { from: iso(window.from), to: iso(window.to), basis: window.basis },
    baselineWindow: { from: iso(baselineWindow.from), to: iso(baselineWindow.to) },
    baselineErrorRate: null,
    aboveThreshold: null,
    peakErrorRate: null,
    timeAboveBaselineMs: null,
    estimatedFailedRequests: null,
    totalRequests: null,
    availability: null,
    samples: { errorRate: 0, throughput: 0, baseline: 0 },
    note,
  };
}

const utc = (iso: string) => formatUtc(iso, "minute");
export const formatIsoWindow = (w: IsoWindow) => `${utc(w.from)} – ${utc(w.to)}`;

/** The computed figures as label/value rows, worded the same on the page, in the Markdown and in the PDF. */
export function computedImpactRows(c: ComputedImpact): [label: string, value: string][] {
  const missing = "no data";
  return [
    ["Incident window", `${formatIsoWindow(c.window)} (${c.window.basis})`],
    [
      "Baseline error rate",
      c.baselineErrorRate === null
        ? missing
        : `${formatMetricValue("ERROR_RATE", c.baselineErrorRate)} (median, ${formatIsoWindow(c.baselineWindow)})`,
    ],
    [
      "Peak error rate",
      c.peakErrorRate ? `${formatMetricValue("ERROR_RATE", c.peakErrorRate.value)} at ${utc(c.peakErrorRate.at)}` : missing,
    ],
    [
      "Time above baseline",
      c.timeAboveBaselineMs === null
        ? missing
        : `${formatDuration(c.timeAboveBaselineMs)} (error rate above ${formatMetricValue("ERROR_RATE", c.aboveThreshold)})`,
    ],
    [
      "Estimated failed requests",
      c.estimatedFailedRequests === null
        ? missing
        : `${formatNumber(Math.round(c.estimatedFailedRequests), 0)} (beyond the baseline error rate)`,
    ],
    [
      "Availability during the incident",
      c.availability === null
        ? missing
        : `${formatNumber(c.availability * 100, 3)}% of ${formatNumber(Math.round(c.totalRequests ?? 0), 0)} requests`,
    ],
  ];
}
