// The computed impact of an incident from its service's stored samples (through the metrics
// provider, so the built-in store and Prometheus answer alike), over the incident window: from the
// deploy to the resolution, else to the end of the last rollback that succeeded, else to now.
import "server-only";
import { getDb } from "@/lib/db";
import { InvalidInputError } from "@/lib/errors";
import { type ServiceForMetrics, serviceForMetricsSelect } from "@/lib/metrics/incident-metrics";
import { resolveMateriality } from "@/lib/metrics/materiality";
import { nativeStepSeconds, providerFor } from "@/lib/metrics/provider";
import { MetricsUnavailableError, type Point } from "@/lib/metrics/types";
import { preDeployWindow, queryTolerant } from "@/lib/metrics/verdict-windows";
import { type ComputedImpact, computeImpact, unavailableImpact } from "./impact";

export type ImpactWindow = { from: number; to: number; basis: string };

/** The incident window: what the computed impact, the charts and the RCA's durations are measured on. */
export async function incidentWindow(
  incident: { id: string; deployedAt: Date; resolvedAt: Date | null },
  now: number,
): Promise<ImpactWindow> {
  const from = incident.deployedAt.getTime();
  if (incident.resolvedAt) return { from, to: incident.resolvedAt.getTime(), basis: "from the deploy to the resolution" };
  const run = await getDb().rollbackRun.findFirst({
    where: { incidentId: incident.id, status: "SUCCEEDED", endedAt: { not: null } },
    orderBy: { endedAt: "desc" },
    select: { endedAt: true },
  });
  if (run?.endedAt) return { from, to: run.endedAt.getTime(), basis: "from the deploy to the end of the rollback" };
  return { from, to: Math.max(from, now), basis: "from the deploy to now (the incident is open)" };
}

export type ImpactSeries = { errorRate: Point[]; throughput: Point[]; baselineErrorRate: Point[] };

/** The samples behind the computed impact, at the source's native resolution. */
export async function loadImpactSeries(service: ServiceForMetrics, window: ImpactWindow, baselineWindow: { from: number; to: number }) {
  const provider = providerFor(service);
  const stepSeconds = nativeStepSeconds(service);
  const [during, before] = await Promise.all([
    queryTolerant(provider, { metrics: ["ERROR_RATE", "THROUGHPUT"], from: new Date(window.from), to: new Date(window.to), stepSeconds }),
    queryTolerant(provider, { metrics: ["ERROR_RATE"], from: new Date(baselineWindow.from), to: new Date(baselineWindow.to), stepSeconds }),
  ]);
  const find = (series: typeof during, m: string) => series.find((s) => s.metric === m)?.points ?? [];
  return {
    errorRate: find(during, "ERROR_RATE"),
    throughput: find(during, "THROUGHPUT"),
    baselineErrorRate: find(before, "ERROR_RATE"),
  } satisfies ImpactSeries;
}

/** The incident's computed impact; metrics that cannot be read come back as a note, never as zeros. */
export async function loadComputedImpact(incidentId: string, now: number): Promise<ComputedImpact> {
  const incident = await getDb().incident.findUniqueOrThrow({
    where: { id: incidentId },
    select: { id: true, deployedAt: true, resolvedAt: true, service: { select: serviceForMetricsSelect } },
  });
  const window = await incidentWindow(incident, now);
  const baselineWindow = preDeployWindow(incident.service, incident.deployedAt);
  try {
    const series = await loadImpactSeries(incident.service, window, baselineWindow);
    return computeImpact({
      window,
      baselineWindow,
      ...series,
      stepMs: nativeStepSeconds(incident.service) * 1000,
      materiality: resolveMateriality(incident.service.verdictMateriality).ERROR_RATE,
    });
  } catch (e) {
    if (!(e instanceof MetricsUnavailableError || e instanceof InvalidInputError)) throw e;
    return unavailableImpact(window, baselineWindow, `metrics unavailable: ${e.message}`);
  }
}
