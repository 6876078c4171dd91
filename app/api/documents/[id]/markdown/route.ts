// GET /api/documents/:id/markdown[?version=N] — a document's Markdown (its current version, or
// version N) as a file, for whoever may read incidents.
import { downloadHeaders, readDocumentForDownload } from "@/lib/documents/download";
import { documentFilename } from "@/lib/documents/queries";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const read = await readDocumentForDownload(request, (await params).id);
  if (read instanceof Response) return read;
  return new Response(read.version.markdown, {
    headers: downloadHeaders("text/markdown; charset=utf-8", documentFilename(read.document, read.version.version)),
  });
}
