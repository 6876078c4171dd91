// GET /api/incidents/:number/evidence?range=1h&width=720 — what the incident page polls: metrics
// against baseline (charts and verdicts), critical-feature probes, and the decision framework.
// The page's first copy is streamed with the page itself (loadInitialEvidence), the same payload.
import { getCurrentUser } from "@/lib/auth/session";
import { getIncidentForEvidence, loadEvidenceForRange } from "@/lib/incidents/evidence";
import { DEFAULT_CHART_WIDTH } from "@/lib/metrics/ranges";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ number: string }> }) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: "Sign in again." }, { status: 401 });
  const { number } = await params;
  const incident = /^\d{1,9}$/.test(number) ? await getIncidentForEvidence({ number: Number(number) }) : null;
  if (!incident) return Response.json({ error: "No such incident." }, { status: 404 });

  const url = new URL(request.url);
  const payload = await loadEvidenceForRange(
    incident,
    url.searchParams.get("range"),
    Number(url.searchParams.get("width") ?? DEFAULT_CHART_WIDTH),
  );
  return Response.json(payload, { headers: { "cache-control": "no-store" } });
}
