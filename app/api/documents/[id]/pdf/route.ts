// GET /api/documents/:id/pdf[?version=N] — a document (its current version, or version N) as a
// PDF file, for whoever may read incidents: the same rules as the Markdown download.
import { downloadHeaders, readDocumentForDownload } from "@/lib/documents/download";
import { documentPdf } from "@/lib/documents/pdf-export";
import { documentFilename } from "@/lib/documents/queries";
// The kinds with PDF builders of their own register them on import.
import "@/lib/rca/pdf";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const read = await readDocumentForDownload(request, (await params).id);
  if (read instanceof Response) return read;
  const pdf = await documentPdf(read);
  return new Response(new Uint8Array(pdf), {
    headers: downloadHeaders("application/pdf", documentFilename(read.document, read.version.version, "pdf")),
  });
}
