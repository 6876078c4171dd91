// GET /api/documents/:id/ics[?version=N] — the post-mortem agenda's meeting as an iCalendar
// invitation (its current version, or version N): the same rules as the other downloads.
import { downloadHeaders, readDocumentForDownload } from "@/lib/documents/download";
import { type AgendaContent, renderAgendaIcs } from "@/lib/postmortem/agenda";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const read = await readDocumentForDownload(request, (await params).id);
  if (read instanceof Response) return read;
  if (read.document.kind !== "POSTMORTEM_AGENDA") {
    return Response.json({ error: "Only a post-mortem agenda has a calendar invitation." }, { status: 404 });
  }
  const { document: doc, version: v } = read;
  const ics = renderAgendaIcs(v.content as AgendaContent, `postmortem-${doc.id}@backout`, v.version);
  return new Response(ics, {
    headers: downloadHeaders("text/calendar; charset=utf-8", `INC-${doc.incident.number}-postmortem-v${v.version}.ics`),
  });
}
