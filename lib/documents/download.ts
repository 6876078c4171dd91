// What every document download route does before it writes the file: the reader is signed in and
// may read incidents, the version asked for is a version number, and the document has it.
import "server-only";
import { can } from "@/lib/auth/roles";
import { getCurrentUser } from "@/lib/auth/session";
import { parseVersionParam } from "./links";
import { type DocumentVersionRead, getDocumentVersion } from "./queries";

/** The version to download, or the refusal to answer with (401, 403, 400, 404). */
export async function readDocumentForDownload(request: Request, documentId: string): Promise<DocumentVersionRead | Response> {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: "Sign in again." }, { status: 401 });
  if (!can(user.role, "incident:read")) return Response.json({ error: "You cannot read incidents." }, { status: 403 });
  const version = parseVersionParam(new URL(request.url).searchParams.get("version"));
  if (version === null) return Response.json({ error: "version must be a version number (1, 2, …)." }, { status: 400 });
  const read = await getDocumentVersion(documentId, version);
  if (!read) return Response.json({ error: version ? `This document has no version ${version}.` : "No such document." }, { status: 404 });
  return read;
}

export const downloadHeaders = (contentType: string, filename: string) => ({
  "content-type": contentType,
  "content-disposition": `attachment; filename="${filename}"`,
  "cache-control": "no-store",
});
