// What the incident page polls every few seconds: evidence and the decision framework's view.
// (Changes to the incident itself reach the page through the live channel, lib/live/.)
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { getDb } from "@/lib/db";
import type { DecisionEvaluation, ManualTick } from "@/lib/decision/criteria";
import { evaluateDecision } from "@/lib/decision/evaluate";
import { resolveThresholds } from "@/lib/decision/thresholds";
import { getLiveCursor } from "@/lib/live/queries";
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
  /** probes: false — the critical features are not probed (their list is empty): the start-up warm-up's reads. */
  options: { probes?: boolean } = {},
): Promise<EvidencePayload> {
  const chartWindow = { from: now - range.ms, to: now };
  const [windows, chart, probes, markers] = await Promise.all([
    loadLastTrafficSwitch(incident.id).then((switchedAt) => loadMetricWindows(incident.service, incident.deployedAt, now, { switchedAt })),
    loadChartSeries(incident.service, chartWindow, width),
    options.probes === false
      ? []
      : probeFeatures(incident.service.criticalFeatures, {
          reuseWithinMs: EVIDENCE_PROBE_REUSE_MS,
          staleWithinMs: EVIDENCE_PROBE_STALE_MS,
        }),
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
 * Evidence computed this recently is shared by everyone who asks for the same incident, range and
 * width, as long as nothing has happened on the incident since (its live cursor: a decision, a step,
 * a tick) and its service's settings are the same: under the page's 5 s poll, so a poll never shows
 * evidence older than the poll before it. Every viewer of an open incident polls; one computes.
 * And the person who opens the incident a moment after someone else's poll gets the page at once.
 */
export const EVIDENCE_SHARE_MS = 4000;

type SharedEvidence = { version: string; at: number; payload: Promise<EvidencePayload> };
// One map per process, not per bundle: the page and the evidence route share it (see probes.ts).
const globalForEvidence = globalThis as unknown as { backoutSharedEvidence?: Map<string, SharedEvidence> };
globalForEvidence.backoutSharedEvidence ??= new Map();
const sharedEvidence = globalForEvidence.backoutSharedEvidence;

/** The range asked by name, or the incident's default range (by its deploy and baseline window). */
export function evidenceRange(incident: IncidentForEvidence, rangeParam: string | null, now: number): { id: RangeId; ms: number } {
  const id = isRangeId(rangeParam) ? rangeParam : defaultRange(incident.deployedAt, incident.service.baselineWindowMinutes, now);
  return { id, ms: rangeMs(id) };
}

/**
 * The evidence for a range asked by name (or the incident's default range): what the evidence route
 * answers and what the incident page streams with its first response, so both are the same payload.
 */
export async function loadEvidenceForRange(
  incident: IncidentForEvidence,
  rangeParam: string | null,
  width = DEFAULT_CHART_WIDTH,
  now = Date.now(),
): Promise<EvidencePayload> {
  const range = evidenceRange(incident, rangeParam, now);
  const key = `${incident.id} ${range.id} ${width}`;
  // The incident row as read (its deploy, ticks, service settings and probes) and its latest event.
  const version = `${await getLiveCursor(incident.id)} ${JSON.stringify(incident)}`;
  for (const [k, entry] of sharedEvidence) if (now - entry.at > EVIDENCE_SHARE_MS) sharedEvidence.delete(k);
  const found = sharedEvidence.get(key);
  if (found && found.version === version && now - found.at <= EVIDENCE_SHARE_MS && found.at <= now) return found.payload;
  const payload = loadEvidence(incident, range, width, now);
  const entry = { version, at: now, payload };
  sharedEvidence.set(key, entry);
  // A failure is not shared: the next asker computes again.
  payload.catch(() => {
    if (sharedEvidence.get(key) === entry) sharedEvidence.delete(key);
  });
  return payload;
}

/**
 * The incident page's first evidence, started without waiting so the page streams it (React
 * Suspense) rather than holding its other sections. Null when it fails: the client's poll then
 * fetches it as before, and the page still renders.
 */
export async function loadInitialEvidence(incidentId: string): Promise<EvidencePayload | null> {
  try {
    const incident = await getIncidentForEvidence({ id: incidentId });
    return incident ? await loadEvidenceForRange(incident, null) : null;
  } catch (e) {
    console.error("evidence for the page failed; the client will poll", e);
    return null;
  }
}
