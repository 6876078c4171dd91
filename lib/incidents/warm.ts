// The first incident page after a server starts is the one someone opens during an outage, right
// after a restart. Each distinct query is compiled by Prisma's query compiler on its first use (and
// the code around it is still cold), which made that first page ~250 ms slower than the next ones
// (measured: the page's reads take ~320 ms on their first run in a process, ~17 ms from the third).
// So a starting server reads, once, what the page of the latest incident reads — read-only: no
// readiness checks, no feature probes, no Prometheus queries, nothing written.
import "server-only";
import { listServiceLessons } from "@/lib/action-items/lessons";
import { getActionItemFormOptions, listActionItemsForIncident } from "@/lib/action-items/queries";
import { getDb } from "@/lib/db";
import { getLiveCursor } from "@/lib/live/queries";
import { loadChartSeries, loadLastTrafficSwitch, loadMarkers, loadMetricWindows } from "@/lib/metrics/incident-metrics";
import { DEFAULT_CHART_WIDTH, defaultRange, rangeMs } from "@/lib/metrics/ranges";
import { getIncidentRca } from "@/lib/rca/queries";
import { getStoredReadiness } from "@/lib/readiness/store";
import { getIncidentForEvidence } from "./evidence";
import { loadIncidentPageData } from "./page-data";

/** Reads the latest incident's page data once; its duration in ms, or null when there is no incident. */
export async function warmIncidentPage(): Promise<number | null> {
  const started = performance.now();
  const latest = await getDb().incident.findFirst({ orderBy: { detectedAt: "desc" }, select: { id: true, number: true, serviceId: true } });
  if (!latest) return null;
  const evidence = await getIncidentForEvidence({ id: latest.id });
  const now = Date.now();
  await Promise.all([
    loadIncidentPageData(latest, { searchParams: {}, timelineOrder: null, withShareLinks: true }),
    getLiveCursor(latest.id),
    getIncidentRca(latest.id),
    listActionItemsForIncident(latest.id),
    getActionItemFormOptions(latest.id),
    listServiceLessons(latest.id),
    getStoredReadiness([latest.serviceId]),
    evidence && warmEvidenceReads(evidence, now),
  ]);
  return Math.round(performance.now() - started);
}

/** The evidence's own reads, from the built-in metrics store only (a Prometheus is not asked). */
async function warmEvidenceReads(incident: NonNullable<Awaited<ReturnType<typeof getIncidentForEvidence>>>, now: number) {
  const range = defaultRange(incident.deployedAt, incident.service.baselineWindowMinutes, now);
  const chartWindow = { from: now - rangeMs(range), to: now };
  const builtin = incident.service.metricsProvider !== "PROMETHEUS";
  await Promise.all([
    loadLastTrafficSwitch(incident.id),
    loadMarkers(incident.id, incident.deployedAt, chartWindow),
    builtin && loadMetricWindows(incident.service, incident.deployedAt, now),
    builtin && loadChartSeries(incident.service, chartWindow, DEFAULT_CHART_WIDTH),
  ]);
}
