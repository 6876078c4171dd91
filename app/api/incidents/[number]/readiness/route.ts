// GET /api/incidents/:number/readiness — what the "Ready to roll back?" panel polls (every
// READINESS_POLL_MS): the service's rollback-readiness checks. While the incident is before its
// rollback the checks are refreshed when older than READINESS_MAX_AGE_MS (one refresh cluster-wide
// however many pages poll, see lib/readiness/store.ts); afterwards the last result is served as it stands.
import { readableIncidentOrResponse } from "@/lib/incidents/access";
import { getIncidentReadiness } from "@/lib/readiness/queries";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ number: string }> }) {
  const access = await readableIncidentOrResponse((await params).number);
  if (!access.ok) return access.response;
  const readiness = await getIncidentReadiness(access.incident.id);
  if (!readiness) return Response.json({ error: "No such incident." }, { status: 404 });
  return Response.json(readiness, { headers: { "cache-control": "no-store" } });
}
