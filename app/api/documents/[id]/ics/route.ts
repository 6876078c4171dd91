// GET /api/documents/:id/ics[?version=N] — the post-mortem agenda's meeting as an iCalendar
// invitation (its current version, or version N), for whoever may read incidents.
import { can } from "@/lib/auth/roles";
import { getCurrentUser } from "@/lib/auth/session";
import { parseVersionParam } from "@/lib/documents/links";
import { getDocumentVersion } from "@/lib/documents/queries";
import { type AgendaContent, renderAgendaIcs } from "@/lib/postmortem/agenda";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: "Sign in again." }, { status: 401 });
  if (!can(user.role, "incident:read")) return Response.json({ error: "You cannot read incidents." }, { status: 403 });
  const version = parseVersionParam(new URL(request.url).searchParams.get("version"));
  if (version === null) return Response.json({ error: "version must be a version number (1, 2, …)." }, { status: 400 });
  const { id } = await params;
  const read = await getDocumentVersion(id, version);
  if (read?.document.kind !== "POSTMORTEM_AGENDA") {
    return Response.json({ error: read ? "Only a post-mortem agenda has a calendar invitation." : "No such document." }, { status: 404 });
  }
  const ics = renderAgendaIcs(read.version.content as AgendaContent, `postmortem-${read.document.id}@backout`, read.version.version);
  return new Response(ics, {
    headers: {
      "content-type": "text/calendar; charset=utf-8",
      "content-disposition": `attachment; filename="INC-${read.document.incident.number}-postmortem-v${read.version.version}.ics"`,
      "cache-control": "no-store",
    },
  });
}
