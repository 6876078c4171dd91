// GET /api/incidents/:number/stream — the incident's live events as server-sent events (timeline,
// step states and output, checklist, presence). Resumes after `Last-Event-ID` (sent by EventSource
// when it reconnects) or `?after=<event id>`; the viewer counts as present while it is open.
import { can } from "@/lib/auth/roles";
import { getCurrentUser } from "@/lib/auth/session";
import { getIncidentByNumber } from "@/lib/incidents/queries";
import { openIncidentStream } from "@/lib/live/stream";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ number: string }> }) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: "Sign in again." }, { status: 401 });
  if (!can(user.role, "incident:read")) return Response.json({ error: "You cannot read incidents." }, { status: 403 });
  const { number } = await params;
  const incident = /^\d{1,9}$/.test(number) ? await getIncidentByNumber(Number(number)) : null;
  if (!incident) return Response.json({ error: "No such incident." }, { status: 404 });

  return new Response(openIncidentStream(request, incident.id, user), {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      // no-transform: Next's gzip (and proxies) must not buffer the stream.
      "cache-control": "no-cache, no-store, no-transform",
      "x-accel-buffering": "no",
      connection: "keep-alive",
    },
  });
}
