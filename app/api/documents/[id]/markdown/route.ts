// GET /api/documents/:id/markdown[?version=N] — a document's Markdown (its current version, or
// version N) as a file, for whoever may read incidents. The one download route for every document.
import { can } from "@/lib/auth/roles";
import { getCurrentUser } from "@/lib/auth/session";
import { parseVersionParam } from "@/lib/documents/links";
import { documentFilename, getDocumentVersion } from "@/lib/documents/queries";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: "Sign in again." }, { status: 401 });
  if (!can(user.role, "incident:read")) return Response.json({ error: "You cannot read incidents." }, { status: 403 });
  const { id } = await params;
  const version = parseVersionParam(new URL(request.url).searchParams.get("version"));
  if (version === null) return Response.json({ error: "version must be a version number (1, 2, …)." }, { status: 400 });
  const read = await getDocumentVersion(id, version);
  if (!read) return Response.json({ error: version ? `This document has no version ${version}.` : "No such document." }, { status: 404 });
  return new Response(read.version.markdown, {
    headers: {
      "content-type": "text/markdown; charset=utf-8",
      "content-disposition": `attachment; filename="${documentFilename(read.document, read.version.version)}"`,
      "cache-control": "no-store",
    },
  });
}
