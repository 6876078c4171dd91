// The incident's one document of a kind (the agenda, the re-deployment plan): written as its first
// version or its next one, with the timeline entry that says so, inside the caller's transaction.
import "server-only";
import type { DocumentKind } from "@/generated/prisma/enums";
import type { Tx } from "@/lib/db";
import { addDocumentVersion, createDocument, StaleDocumentVersionError, type VersionInput } from "@/lib/documents/store";
import { ConflictError } from "@/lib/errors";
import { recordTimelineEvent } from "@/lib/timeline/record";

export async function writeIncidentDocument(
  tx: Tx,
  input: {
    incidentId: string;
    kind: DocumentKind;
    title: string;
    /** The version the writer read (0: none yet), or "current" for a document regenerated from the record. */
    basedOn: number | "current";
    version: VersionInput;
    /** The timeline entry's words, given the version written. */
    message: (version: number) => string;
  },
): Promise<{ documentId: string; version: number }> {
  // One such document per incident: writers queue on the incident row (runId is NULL, so no unique index helps).
  await tx.$queryRaw`SELECT id FROM "Incident" WHERE id = ${input.incidentId} FOR UPDATE`;
  const existing = await tx.document.findFirst({
    where: { incidentId: input.incidentId, kind: input.kind, runId: null },
    select: { id: true, currentVersion: true },
  });
  const basedOn = input.basedOn === "current" ? (existing?.currentVersion ?? 0) : input.basedOn;
  if (!existing && basedOn !== 0) throw new ConflictError("There is no such document yet: write its first version.");
  if (existing && basedOn === 0) throw new StaleDocumentVersionError(existing.id, 0, existing.currentVersion);
  const saved = existing
    ? await addDocumentVersion(tx, { documentId: existing.id, basedOn, ...input.version })
    : await createDocument(tx, { incidentId: input.incidentId, kind: input.kind, title: input.title, ...input.version });
  await recordTimelineEvent(tx, {
    incidentId: input.incidentId,
    kind: "DOCUMENT_UPDATED",
    actorId: input.version.authorId,
    at: input.version.at,
    message: input.message(saved.version),
    payload: { documentId: saved.documentId, kind: input.kind, version: saved.version },
  });
  return saved;
}
