// What the incident page and the frozen evidence know about metrics: per metric the baseline
// (a window before the deploy), the current window and the Kayenta-style verdict; the recent
// series the decision rules read; and the chart series downsampled to the chart's width, with
// markers at the deploy and at traffic-changing rollback steps.
import "server-only";
import type { Service } from "@/generated/prisma/client";
import { getDb } from "@/lib/db";
import { DECISION_LOOKBACK_MINUTES } from "@/lib/decision/thresholds";
import { InvalidInputError } from "@/lib/errors";
import { switchAnchor } from "@/lib/rollback/switch-anchor";
import { METRIC_INFO } from "./format";
import { lttb } from "./lttb";
import { resolveMateriality } from "./materiality";
import { nativeStepSeconds, providerFor } from "./provider";
import { chartResolution, pointBudget } from "./ranges";
import type { Verdict } from "./statistics";
import { METRIC_KINDS, type MetricKind, MetricsUnavailableError, type Point, type Series } from "./types";
import { type BaselineName, judgeVerdict } from "./verdict";
import { loadVerdictInputs, preDeployWindow, queryTolerant, type Window } from "./verdict-windows";

export type MetricAssessment = {
  metric: MetricKind;
  label: string;
  unit: string;
  baseline: number | null;
  current: number | null;
  change: number | null;
  verdict: Verdict;
  band: { median: number; low: number; high: number } | null;
  /** Values behind `current` after outliers were dropped (the checklist wants a few before it trusts it). */
  currentCount: number;
  /** The verdict in words, naming the baselines it rests on (lib/metrics/verdict.ts). */
  reason: string;
  /** Baselines that had data and were compared; the pre-deploy one first. */
  baselinesUsed: BaselineName[];
};

export type MetricSummary = MetricAssessment & { points: Point[] };

export type Marker = { t: number; label: string; kind: "deploy" | "traffic" };

export type ServiceForMetrics = Pick<
  Service,
  | "id"
  | "metricsProvider"
  | "prometheusUrl"
  | "prometheusSelector"
  | "prometheusQueries"
  | "baselineWindowMinutes"
  | "currentWindowMinutes"
  | "verdictMateriality"
>;

/** The Prisma select that loads a ServiceForMetrics: spread it into a query's service select. */
export const serviceForMetricsSelect = {
  id: true,
  metricsProvider: true,
  prometheusUrl: true,
  prometheusSelector: true,
  prometheusQueries: true,
  baselineWindowMinutes: true,
  currentWindowMinutes: true,
  verdictMateriality: true,
} as const satisfies Record<keyof ServiceForMetrics, true>;

export type MetricWindows = {
  source: string;
  error: string | null;
  baselineWindow: Window;
  currentWindow: Window;
  /** When the current window starts at a traffic switch or restore instead of `currentWindowMinutes` ago. */
  switchedAt: number | null;
  assessments: MetricAssessment[];
  /** The last DECISION_LOOKBACK_MINUTES at native resolution, for the decision rules. */
  recent: Partial<Record<MetricKind, Point[]>>;
};

const DECISION_METRICS: MetricKind[] = ["ERROR_RATE", "LATENCY_P95", "LATENCY_P99"];
const find = (series: Series[], m: MetricKind) => series.find((s) => s.metric === m)?.points ?? [];

function describeSource(service: ServiceForMetrics): string {
  return service.metricsProvider === "PROMETHEUS"
    ? `Prometheus at ${service.prometheusUrl || "(not configured)"}`
    : "the built-in metrics store";
}

/** Unavailable sources come back as `error`, never as empty data that would read as "no change". */
async function guarded<T>(
  service: ServiceForMetrics,
  run: () => Promise<T>,
): Promise<{ value: T | null; error: string | null; source: string }> {
  try {
    const value = await run();
    return { value, error: null, source: providerFor(service).label };
  } catch (e) {
    if (e instanceof MetricsUnavailableError || e instanceof InvalidInputError)
      return { value: null, error: e.message, source: describeSource(service) };
    throw e;
  }
}

export async function loadMetricWindows(
  service: ServiceForMetrics,
  deployedAt: Date,
  now: number,
  /**
   * currentFrom: start the current window later than usual (the checklist judges only what came after the
   * rollback); switchedAt: the traffic switch or restore that does so, for the evidence to say.
   */
  opts: { currentFrom?: number; switchedAt?: number | null } = {},
): Promise<MetricWindows> {
  const native = nativeStepSeconds(service);
  const baselineWindow = preDeployWindow(service, deployedAt);
  const from = Math.max(now - service.currentWindowMinutes * 60_000, opts.currentFrom ?? opts.switchedAt ?? -Infinity);
  const currentWindow = { from, to: now };
  const switchedAt = opts.switchedAt != null && opts.switchedAt >= from ? opts.switchedAt : null;
  const empty = { source: "", baselineWindow, currentWindow, switchedAt, assessments: [], recent: {} };
  const result = await guarded(service, async () => {
    const provider = providerFor(service);
    const lookback = new Date(now - DECISION_LOOKBACK_MINUTES * 60_000);
    return Promise.all([
      loadVerdictInputs(provider, { metrics: METRIC_KINDS, baselineWindow, currentWindow, stepSeconds: native }),
      queryTolerant(provider, { metrics: DECISION_METRICS, from: lookback, to: new Date(now), stepSeconds: Math.max(native, 15) }),
    ]);
  });
  if (!result.value) return { ...empty, source: result.source, error: result.error };
  const [{ current, baselines }, recent] = result.value;
  const materiality = resolveMateriality(service.verdictMateriality);
  if (service.metricsProvider === "PROMETHEUS" && current.every((s) => s.points.length === 0)) {
    const error = `${result.source} has no data for this service in the last ${service.currentWindowMinutes} min: check the label selector and the queries`;
    return { ...empty, source: result.source, error };
  }
  const assessments = METRIC_KINDS.map((metric): MetricAssessment => {
    const info = METRIC_INFO[metric];
    const v = judgeVerdict(
      metric,
      baselines[metric],
      find(current, metric).map((p) => p.v),
      { materiality: materiality[metric] },
    );
    return {
      metric,
      label: info.label,
      unit: info.unit,
      baseline: v.baselineMedian,
      current: v.currentMedian,
      change: v.change,
      verdict: v.verdict,
      band: v.band,
      currentCount: v.currentCount,
      reason: v.reason,
      baselinesUsed: v.comparisons.map((c) => c.baseline),
    };
  });
  return {
    source: result.source,
    error: null,
    baselineWindow,
    currentWindow,
    switchedAt,
    assessments,
    recent: Object.fromEntries(DECISION_METRICS.map((m) => [m, find(recent, m)])),
  };
}

export async function loadChartSeries(
  service: ServiceForMetrics,
  range: Window,
  width: number,
): Promise<{ series: Partial<Record<MetricKind, Point[]>>; error: string | null }> {
  const budget = pointBudget(width);
  const { stepSeconds, rollup } = chartResolution(range.to - range.from, budget, nativeStepSeconds(service));
  const result = await guarded(service, () =>
    queryTolerant(providerFor(service), {
      metrics: METRIC_KINDS,
      from: new Date(range.from),
      to: new Date(range.to),
      stepSeconds,
      ...(rollup ? { rollup } : {}),
    }),
  );
  if (!result.value) return { series: {}, error: result.error };
  return { series: Object.fromEntries(METRIC_KINDS.map((m) => [m, lttb(find(result.value!, m), budget)])), error: null };
}

export async function loadMarkers(incidentId: string, deployedAt: Date, range: Window): Promise<Marker[]> {
  const markers: Marker[] = [];
  if (deployedAt.getTime() >= range.from) markers.push({ t: deployedAt.getTime(), label: "deploy", kind: "deploy" });
  const steps = await getDb().rollbackStep.findMany({
    where: {
      changesTraffic: true,
      state: "SUCCEEDED",
      endedAt: { gte: new Date(range.from), lte: new Date(range.to) },
      run: { incidentId },
    },
    select: { name: true, endedAt: true },
  });
  for (const s of steps) if (s.endedAt) markers.push({ t: s.endedAt.getTime(), label: s.name, kind: "traffic" });
  return markers;
}

/**
 * When the incident's rollback last switched traffic back (else restored): the current window starts there,
 * so samples from before the switch no longer count against the service. The rule: lib/rollback/switch-anchor.ts.
 */
export async function loadLastTrafficSwitch(incidentId: string): Promise<number | null> {
  const steps = await getDb().rollbackStep.findMany({
    where: { state: "SUCCEEDED", endedAt: { not: null }, OR: [{ changesTraffic: true }, { destructive: true }], run: { incidentId } },
    select: { state: true, endedAt: true, changesTraffic: true, destructive: true },
  });
  return switchAnchor(steps)?.endedAt.getTime() ?? null;
}
