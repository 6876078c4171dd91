// Everything the incident page shows about metrics: per metric the baseline (a window before the
// deploy), the current window, the Kayenta-style verdict, and the chart series downsampled to
// the chart's width, with the markers of the deploy and of traffic-changing rollback steps.
import "server-only";
import type { Service } from "@/generated/prisma/client";
import { getDb } from "@/lib/db";
import { InvalidInputError } from "@/lib/errors";
import { lttb } from "./lttb";
import { nativeStepSeconds, providerFor } from "./provider";
import { chartStepSeconds, pointBudget } from "./ranges";
import { baselineBand, DEFAULT_TOLERANCE, judgeMetric, type Verdict } from "./statistics";
import { METRIC_INFO, METRIC_KINDS, type MetricKind, MetricsUnavailableError, type Point } from "./types";

export type MetricSummary = {
  metric: MetricKind;
  label: string;
  unit: string;
  higherIsWorse: boolean;
  baseline: number | null;
  current: number | null;
  change: number | null;
  verdict: Verdict;
  band: { median: number; low: number; high: number } | null;
  points: Point[];
};

export type Marker = { t: number; label: string; kind: "deploy" | "traffic" };

export type IncidentMetrics = {
  source: string;
  generatedAt: number;
  from: number;
  to: number;
  baselineWindow: { from: number; to: number };
  currentWindow: { from: number; to: number };
  markers: Marker[];
  metrics: MetricSummary[];
  error: string | null;
};

type ServiceForMetrics = Pick<
  Service,
  "id" | "metricsProvider" | "prometheusUrl" | "prometheusSelector" | "prometheusQueries" | "baselineWindowMinutes" | "currentWindowMinutes"
>;

const values = (points: Point[]) => points.map((p) => p.v);

export async function loadIncidentMetrics(input: {
  incidentId: string;
  service: ServiceForMetrics;
  deployedAt: Date;
  rangeMs: number;
  width: number;
  now?: number;
}): Promise<IncidentMetrics> {
  const { service, deployedAt } = input;
  const now = input.now ?? Date.now();
  const native = nativeStepSeconds(service);
  const baselineWindow = { from: deployedAt.getTime() - service.baselineWindowMinutes * 60_000, to: deployedAt.getTime() };
  const currentWindow = { from: now - service.currentWindowMinutes * 60_000, to: now };
  const from = now - input.rangeMs;
  const budget = pointBudget(input.width);
  const markers = await loadMarkers(input.incidentId, deployedAt, from, now);
  const base = { generatedAt: now, from, to: now, baselineWindow, currentWindow, markers };
  let source =
    service.metricsProvider === "PROMETHEUS"
      ? `Prometheus at ${service.prometheusUrl || "(not configured)"}`
      : "the built-in metrics store";

  try {
    const provider = providerFor(service);
    source = provider.label;
    const [chart, baseline, current] = await Promise.all([
      provider.queryRange({
        metrics: METRIC_KINDS,
        from: new Date(from),
        to: new Date(now),
        stepSeconds: chartStepSeconds(input.rangeMs, budget, native),
      }),
      provider.queryRange({
        metrics: METRIC_KINDS,
        from: new Date(baselineWindow.from),
        to: new Date(baselineWindow.to),
        stepSeconds: native,
      }),
      provider.queryRange({
        metrics: METRIC_KINDS,
        from: new Date(currentWindow.from),
        to: new Date(currentWindow.to),
        stepSeconds: native,
      }),
    ]);
    const find = (series: typeof chart, m: MetricKind) => series.find((s) => s.metric === m)?.points ?? [];
    const metrics = METRIC_KINDS.map((metric): MetricSummary => {
      const info = METRIC_INFO[metric];
      const b = values(find(baseline, metric));
      const judgement = judgeMetric(b, values(find(current, metric)), { higherIsWorse: info.higherIsWorse });
      return {
        metric,
        label: info.label,
        unit: info.unit,
        higherIsWorse: info.higherIsWorse,
        baseline: judgement.baselineMedian,
        current: judgement.currentMedian,
        change: judgement.change,
        verdict: judgement.verdict,
        band: baselineBand(b, DEFAULT_TOLERANCE),
        points: lttb(find(chart, metric), budget),
      };
    });
    return { ...base, source, metrics, error: null };
  } catch (e) {
    if (!(e instanceof MetricsUnavailableError || e instanceof InvalidInputError)) throw e;
    return { ...base, source, metrics: [], error: e.message };
  }
}

async function loadMarkers(incidentId: string, deployedAt: Date, from: number, to: number): Promise<Marker[]> {
  const markers: Marker[] = [];
  if (deployedAt.getTime() >= from) markers.push({ t: deployedAt.getTime(), label: "deploy", kind: "deploy" });
  const steps = await getDb().rollbackStep.findMany({
    where: { changesTraffic: true, state: "SUCCEEDED", endedAt: { gte: new Date(from), lte: new Date(to) }, run: { incidentId } },
    select: { name: true, endedAt: true },
  });
  for (const s of steps) if (s.endedAt) markers.push({ t: s.endedAt.getTime(), label: s.name, kind: "traffic" });
  return markers;
}
