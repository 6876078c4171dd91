// GET /api/documents/:id/markdown — a document's current version as a Markdown file, for whoever may read incidents.
import { can } from "@/lib/auth/roles";
import { getCurrentUser } from "@/lib/auth/session";
import { getDocumentMarkdown } from "@/lib/rollback/queries";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: "Sign in again." }, { status: 401 });
  if (!can(user.role, "incident:read")) return Response.json({ error: "You cannot read incidents." }, { status: 403 });
  const { id } = await params;
  const doc = await getDocumentMarkdown(id);
  if (!doc) return Response.json({ error: "No such document." }, { status: 404 });
  return new Response(doc.markdown, {
    headers: {
      "content-type": "text/markdown; charset=utf-8",
      "content-disposition": `attachment; filename="${doc.filename}"`,
      "cache-control": "no-store",
    },
  });
}
