// The RCA's generated part, read from what the incident recorded: the incident's facts and
// durations, its timeline (less the RCA's own events), recorded and computed impact, the rollback,
// action items, the related documents and the charts of the incident window. Read outside the
// transaction that writes the version (the metrics may take a provider's timeout).
import "server-only";
import { listIncidentActionItemsForDocuments } from "@/lib/action-items/queries";
import { getDb } from "@/lib/db";
import { listCurrentVersions } from "@/lib/documents/queries";
import { incidentWindow, loadComputedImpact } from "@/lib/incidents/impact-data";
import { METRIC_INFO } from "@/lib/metrics/format";
import { loadChartSeries, loadMarkers, serviceForMetricsSelect } from "@/lib/metrics/incident-metrics";
import { providerFor } from "@/lib/metrics/provider";
import { median } from "@/lib/metrics/statistics";
import { MetricsUnavailableError } from "@/lib/metrics/types";
import { preDeployWindow, queryTolerant } from "@/lib/metrics/verdict-windows";
import { STRATEGY_LABELS } from "@/lib/rollback/plans";
import { groupActionItems } from "./action-items";
import { KEY_KINDS, type RcaChart, type RcaGenerated, type RcaTimelineRow } from "./content";

const CHART_METRICS = ["ERROR_RATE", "LATENCY_P99", "THROUGHPUT"] as const;
/** The width the charts are downsampled for (points ≈ width / 2, lib/metrics/ranges.ts). */
const CHART_WIDTH = 640;

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;
const between = (a: Date | null | undefined, b: Date | null | undefined) => (a && b ? b.getTime() - a.getTime() : null);

/** Timeline rows the RCA shows: everything the incident recorded but the RCA's own document events. */
export function isRcaOwnEvent(e: { kind: string; payload: unknown }): boolean {
  return e.kind === "DOCUMENT_UPDATED" && (e.payload as { kind?: string } | null)?.kind === "RCA";
}

export function costDefaults(env: NodeJS.ProcessEnv = process.env) {
  const rate = Number(env.RCA_HOURLY_RATE);
  return {
    hourlyRate: env.RCA_HOURLY_RATE && Number.isFinite(rate) && rate >= 0 ? rate : null,
    currency: /^[A-Z]{3}$/.test(env.RCA_CURRENCY ?? "") ? (env.RCA_CURRENCY as string) : "USD",
  };
}

async function loadCharts(
  service: Parameters<typeof loadChartSeries>[0] & { baselineWindowMinutes: number },
  incidentId: string,
  deployedAt: Date,
  window: { from: number; to: number },
): Promise<RcaChart[]> {
  const [{ series, error }, markers] = await Promise.all([
    loadChartSeries(service, window, CHART_WIDTH),
    loadMarkers(incidentId, deployedAt, window),
  ]);
  if (error) return [];
  const baselineWindow = preDeployWindow(service, deployedAt);
  let baselines: Partial<Record<string, number | null>> = {};
  try {
    const before = await queryTolerant(providerFor(service), {
      metrics: CHART_METRICS,
      from: new Date(baselineWindow.from),
      to: new Date(baselineWindow.to),
      stepSeconds: 15,
    });
    baselines = Object.fromEntries(before.map((s) => [s.metric, median(s.points.map((p) => p.v))]));
  } catch (e) {
    if (!(e instanceof MetricsUnavailableError)) throw e;
  }
  return CHART_METRICS.flatMap((metric) => {
    const points = series[metric] ?? [];
    if (points.length === 0) return [];
    return [
      {
        metric,
        label: METRIC_INFO[metric].label,
        points: points.map((p) => [p.t, p.v] as [number, number]),
        baseline: baselines[metric] ?? null,
        from: window.from,
        to: window.to,
        markers: markers.map((m) => ({ t: m.t, label: m.label })),
      },
    ];
  });
}

export async function buildRcaGenerated(incidentId: string, now: number): Promise<RcaGenerated> {
  const db = getDb();
  const incident = await db.incident.findUniqueOrThrow({
    where: { id: incidentId },
    include: { service: { select: { name: true, ...serviceForMetricsSelect } }, impactUpdatedBy: { select: { name: true } } },
  });
  const [events, run, firstDecision, items, summaries, reports, computed, window] = await Promise.all([
    db.timelineEvent.findMany({
      where: { incidentId },
      orderBy: [{ at: "asc" }, { id: "asc" }],
      select: { at: true, kind: true, message: true, source: true, payload: true, actor: { select: { name: true } } },
    }),
    db.rollbackRun.findFirst({
      where: { incidentId },
      orderBy: { createdAt: "desc" },
      include: { decision: { select: { strategy: true, decidedBy: { select: { name: true } } } } },
    }),
    db.decision.findFirst({ where: { incidentId }, orderBy: { decidedAt: "asc" }, select: { decidedAt: true } }),
    listIncidentActionItemsForDocuments(incidentId),
    listCurrentVersions(incidentId, "ROLLBACK_SUMMARY"),
    listCurrentVersions(incidentId, "VERIFICATION_REPORT"),
    loadComputedImpact(incidentId, now),
    incidentWindow(incident, now),
  ]);
  const timeline: RcaTimelineRow[] = events
    .filter((e) => !isRcaOwnEvent(e))
    .map((e) => ({
      at: e.at.toISOString(),
      kind: e.kind,
      event: e.message,
      actor:
        e.actor?.name ??
        (e.source === "SYSTEM" || e.source === "EXECUTOR" ? "Backout" : e.source === "ALERTMANAGER" ? "Alertmanager" : "Backout (metrics)"),
      key: KEY_KINDS.has(e.kind),
    }));
  const rollbackEnd = run?.status === "SUCCEEDED" ? run.endedAt : null;
  const charts = await loadCharts(incident.service, incidentId, incident.deployedAt, window);
  return {
    incident: {
      number: incident.number,
      title: incident.title,
      service: incident.service.name,
      severity: incident.severity,
      status: incident.status,
      badVersion: incident.badVersion,
      previousVersion: incident.previousVersion,
      deployedAt: incident.deployedAt.toISOString(),
      detectedAt: incident.detectedAt.toISOString(),
      declaredAt: incident.declaredAt.toISOString(),
      resolvedAt: iso(incident.resolvedAt),
    },
    durations: {
      detectMs: between(incident.deployedAt, incident.detectedAt),
      decideMs: between(incident.detectedAt, firstDecision?.decidedAt),
      rollbackMs: between(run?.startedAt, run?.endedAt),
      mitigateMs: between(incident.deployedAt, rollbackEnd ?? incident.resolvedAt),
      resolveMs: between(incident.deployedAt, incident.resolvedAt),
    },
    rollback: run
      ? {
          strategy: STRATEGY_LABELS[run.decision.strategy].toLowerCase(),
          status: run.status,
          startedAt: iso(run.startedAt),
          endedAt: iso(run.endedAt),
          decidedBy: run.decision.decidedBy?.name ?? null,
        }
      : null,
    timeline,
    impact: {
      recorded: {
        usersAffected: incident.usersAffected,
        supportTickets: incident.supportTickets,
        complaints: incident.complaints,
        failedTransactions: incident.failedTransactions,
      },
      recordedBy: incident.impactUpdatedBy?.name ?? null,
      recordedAt: iso(incident.impactUpdatedAt),
      computed,
    },
    actionItems: groupActionItems(items, incident.declaredAt),
    related: [
      ...summaries.map((d) => ({ kind: "ROLLBACK_SUMMARY" as const, documentId: d.id, title: d.title, version: d.version.version })),
      ...reports.map((d) => ({ kind: "VERIFICATION_REPORT" as const, documentId: d.id, title: d.title, version: d.version.version })),
    ],
    charts,
    costDefaults: costDefaults(),
  };
}
