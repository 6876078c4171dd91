// What the incident page polls every few seconds: evidence and the decision framework's view.
// (Changes to the incident itself reach the page through the live channel, lib/live/.)
import "server-only";
import { headers } from "next/headers";
import type { Prisma } from "@/generated/prisma/client";
import { getDb } from "@/lib/db";
import type { DecisionEvaluation, ManualTick } from "@/lib/decision/criteria";
import { evaluateDecision } from "@/lib/decision/evaluate";
import { resolveThresholds } from "@/lib/decision/thresholds";
import {
  loadChartSeries,
  loadLastTrafficSwitch,
  loadMarkers,
  loadMetricWindows,
  type Marker,
  type MetricSummary,
  type MetricWindows,
  serviceForMetricsSelect,
} from "@/lib/metrics/incident-metrics";
import { type ProbeResult, probeFeatures } from "@/lib/metrics/probes";
import { DEFAULT_CHART_WIDTH, defaultRange, isRangeId, type RangeId, rangeMs } from "@/lib/metrics/ranges";
import type { Window } from "@/lib/metrics/verdict-windows";

export type EvidencePayload = {
  range: RangeId;
  generatedAt: number;
  from: number;
  to: number;
  source: string;
  error: string | null;
  baselineWindow: Window;
  currentWindow: Window;
  /** The current window starts at this traffic switch or restore (epoch ms), or null. */
  switchedAt: number | null;
  markers: Marker[];
  metrics: MetricSummary[];
  probes: ProbeResult[];
  evaluation: DecisionEvaluation | null;
};

const incidentForEvidence = {
  id: true,
  number: true,
  deployedAt: true,
  detectedAt: true,
  manualCriteria: true,
  service: {
    select: {
      ...serviceForMetricsSelect,
      availabilityTarget: true,
      decisionThresholds: true,
      criticalFeatures: {
        orderBy: { position: "asc" },
        select: { id: true, name: true, probeUrl: true, probeMethod: true, expectedStatus: true, timeoutMs: true, degradedLatencyMs: true },
      },
    },
  },
} satisfies Prisma.IncidentSelect;

export type IncidentForEvidence = Prisma.IncidentGetPayload<{ select: typeof incidentForEvidence }>;

export function getIncidentForEvidence(where: { number: number } | { id: string }) {
  return getDb().incident.findUnique({ where, select: incidentForEvidence });
}

export function evaluate(
  incident: IncidentForEvidence,
  windows: MetricWindows,
  probes: ProbeResult[],
  now: number,
): DecisionEvaluation | null {
  if (windows.error) return null;
  return evaluateDecision({
    now,
    series: windows.recent,
    baseline: Object.fromEntries(windows.assessments.map((a) => [a.metric, a.baseline])),
    features: probes.map((p) => ({ name: p.name, status: p.status })),
    manual: (incident.manualCriteria ?? {}) as Record<string, ManualTick>,
    thresholds: resolveThresholds(incident.service.decisionThresholds),
  });
}

/**
 * Evidence reuses a feature probe started this recently (by the page, another viewer's poll): under
 * the 5 s poll, so every poll still shows probes younger than the poll before it.
 */
export const EVIDENCE_PROBE_REUSE_MS = 4000;

/**
 * ... and answers at once with a finished probe up to this old while a new one runs for the next
 * poll (probes.ts, stale-while-revalidate): opening the incident never waits for a failing service's
 * probe to time out. Older than this (nobody looked for a while), the evidence waits for a new probe.
 */
export const EVIDENCE_PROBE_STALE_MS = 30_000;

export async function loadEvidence(
  incident: IncidentForEvidence,
  range: { id: RangeId; ms: number },
  width: number,
  now = Date.now(),
): Promise<EvidencePayload> {
  const chartWindow = { from: now - range.ms, to: now };
  const [windows, chart, probes, markers] = await Promise.all([
    loadLastTrafficSwitch(incident.id).then((switchedAt) => loadMetricWindows(incident.service, incident.deployedAt, now, { switchedAt })),
    loadChartSeries(incident.service, chartWindow, width),
    probeFeatures(incident.service.criticalFeatures, { reuseWithinMs: EVIDENCE_PROBE_REUSE_MS, staleWithinMs: EVIDENCE_PROBE_STALE_MS }),
    loadMarkers(incident.id, incident.deployedAt, chartWindow),
  ]);
  return {
    range: range.id,
    generatedAt: now,
    ...chartWindow,
    source: windows.source,
    error: windows.error ?? chart.error,
    baselineWindow: windows.baselineWindow,
    currentWindow: windows.currentWindow,
    switchedAt: windows.switchedAt,
    markers,
    metrics: windows.assessments.map((a) => ({ ...a, points: chart.series[a.metric] ?? [] })),
    probes,
    evaluation: evaluate(incident, windows, probes, now),
  };
}

/**
 * The evidence for a range asked by name (or the incident's default range): what the evidence route
 * answers and what the incident page streams with its first response, so both are the same payload.
 */
export function loadEvidenceForRange(
  incident: IncidentForEvidence,
  rangeParam: string | null,
  width = DEFAULT_CHART_WIDTH,
  now = Date.now(),
): Promise<EvidencePayload> {
  const id = isRangeId(rangeParam) ? rangeParam : defaultRange(incident.deployedAt, incident.service.baselineWindowMinutes, now);
  return loadEvidence(incident, { id, ms: rangeMs(id) }, width, now);
}

/**
 * The incident page's first evidence, started without waiting so the page streams it (React
 * Suspense) rather than holding its other sections. Null when it fails: the client's poll then
 * fetches it as before, and the page still renders.
 */
export async function loadInitialEvidence(incidentId: string): Promise<EvidencePayload | null> {
  try {
    // A server action's own re-render of the page (revalidatePath, in the action's request) is for a
    // page already on screen, whose EvidenceProvider keeps the copy it mounted with and polls: there
    // the evidence would be computed only to be dropped, competing with the action for the CPU.
    if ((await headers()).has("next-action")) return null;
    const incident = await getIncidentForEvidence({ id: incidentId });
    return incident ? await loadEvidenceForRange(incident, null) : null;
  } catch (e) {
    console.error("evidence for the page failed; the client will poll", e);
    return null;
  }
}
