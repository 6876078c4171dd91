// GET /api/incidents/:number/checklist — the verification checklist as it stands: what a browser
// fetches when it (re)connects to the live channel, so no change made meanwhile is missed.
import { getCurrentUser } from "@/lib/auth/session";
import { getChecklistView } from "@/lib/checklist/queries";
import { getIncidentByNumber } from "@/lib/incidents/queries";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ number: string }> }) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: "Sign in again." }, { status: 401 });
  const { number } = await params;
  const incident = /^\d{1,9}$/.test(number) ? await getIncidentByNumber(Number(number)) : null;
  if (!incident) return Response.json({ error: "No such incident." }, { status: 404 });
  const checklist = await getChecklistView(incident.id);
  return Response.json({ checklist }, { headers: { "cache-control": "no-store" } });
}
