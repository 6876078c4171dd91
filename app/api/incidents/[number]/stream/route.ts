// GET /api/incidents/:number/stream — the incident's live events as server-sent events (timeline,
// step states and output, checklist, presence). Resumes after `Last-Event-ID` (sent by EventSource
// when it reconnects) or `?after=<event id>`; the viewer counts as present while it is open.
import { readableIncidentOrResponse } from "@/lib/incidents/access";
import { openIncidentStream } from "@/lib/live/stream";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ number: string }> }) {
  const access = await readableIncidentOrResponse((await params).number);
  if (!access.ok) return access.response;
  const { user, incident } = access;

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
