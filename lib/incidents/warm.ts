// The first incident page after a server starts is the one someone opens during an outage, right
// after a restart. Each distinct query is compiled by Prisma's query compiler on its first use (and
// the code around it is still cold), which made that first page ~250 ms slower than the next ones
// (measured: the page's reads take ~320 ms on their first run in a process, ~17 ms from the third).
// So a starting server reads, once, what the page of the latest incident reads — read-only: no
// readiness checks, no feature probes, no Prometheus queries, nothing written.
import "server-only";
import { getDb } from "@/lib/db";
import { getLiveCursor } from "@/lib/live/queries";
import { DEFAULT_CHART_WIDTH } from "@/lib/metrics/ranges";
import { evidenceRange, getIncidentForEvidence, loadEvidence } from "./evidence";
import { loadIncidentPageData } from "./page-data";

/** Reads the latest incident's page once: which incident, and how long it took; null when there is none. */
export async function warmIncidentPage(): Promise<{ number: number; ms: number } | null> {
  const started = performance.now();
  const latest = await getDb().incident.findFirst({ orderBy: { detectedAt: "desc" }, select: { id: true, number: true, serviceId: true } });
  if (!latest) return null;
  const incident = await getIncidentForEvidence({ id: latest.id });
  const now = Date.now();
  await Promise.all([
    // As read for someone who sees every section.
    loadIncidentPageData(latest, { searchParams: {}, timelineOrder: null, withShareLinks: true, withActionItemForm: true }),
    getLiveCursor(latest.id),
    // The evidence from the built-in metrics store only: a Prometheus is not asked, nothing is probed.
    incident &&
      incident.service.metricsProvider !== "PROMETHEUS" &&
      loadEvidence(incident, evidenceRange(incident, null, now), DEFAULT_CHART_WIDTH, now, { probes: false }),
  ]);
  return { number: latest.number, ms: Math.round(performance.now() - started) };
}
