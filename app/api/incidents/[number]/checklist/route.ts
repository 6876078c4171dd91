// GET /api/incidents/:number/checklist — the verification checklist as it stands: what a browser
// fetches when it (re)connects to the live channel, so no change made meanwhile is missed.
import { getChecklistView } from "@/lib/checklist/queries";
import { readableIncidentOrResponse } from "@/lib/incidents/access";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ number: string }> }) {
  const access = await readableIncidentOrResponse((await params).number);
  if (!access.ok) return access.response;
  const checklist = await getChecklistView(access.incident.id);
  return Response.json({ checklist }, { headers: { "cache-control": "no-store" } });
}
