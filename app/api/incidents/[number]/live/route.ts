// GET /api/incidents/:number/live?range=1h&width=720 — what the incident page polls: metrics
// against baseline (charts and verdicts) and the critical-feature probes.
import { getCurrentUser } from "@/lib/auth/session";
import { getIncidentForMetrics } from "@/lib/incidents/queries";
import { loadIncidentMetrics } from "@/lib/metrics/incident-metrics";
import { probeFeatures } from "@/lib/metrics/probes";
import { defaultRange, isRangeId, rangeMs } from "@/lib/metrics/ranges";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ number: string }> }) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: "Sign in again." }, { status: 401 });
  const { number } = await params;
  const incident = /^\d{1,9}$/.test(number) ? await getIncidentForMetrics(Number(number)) : null;
  if (!incident) return Response.json({ error: "No such incident." }, { status: 404 });

  const url = new URL(request.url);
  const now = Date.now();
  const rangeParam = url.searchParams.get("range");
  const range = isRangeId(rangeParam) ? rangeParam : defaultRange(incident.deployedAt, incident.service.baselineWindowMinutes, now);
  const width = Number(url.searchParams.get("width") ?? 720);
  const [metrics, probes] = await Promise.all([
    loadIncidentMetrics({
      incidentId: incident.id,
      service: incident.service,
      deployedAt: incident.deployedAt,
      rangeMs: rangeMs(range),
      width,
      now,
    }),
    probeFeatures(incident.service.criticalFeatures),
  ]);
  return Response.json({ range, ...metrics, probes }, { headers: { "cache-control": "no-store" } });
}
