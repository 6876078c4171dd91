// Writing documents: a document with its first version, and later versions. A version is never
// changed once written (the database refuses UPDATE on DocumentVersion); every change is a new
// version, written only against the version the writer read (optimistic concurrency on the
// document's version counter). Called inside the caller's transaction, beside its timeline event
// and audit row; a refused write throws, so the caller's transaction rolls back and the caller
// audits the refusal outside it.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { DocumentKind } from "@/generated/prisma/enums";
import type { Db, Tx } from "@/lib/db";
import { NotFoundError, StaleError } from "@/lib/errors";

export type VersionInput = {
  /** The structured content (what the pages render from); plain JSON. */
  content: unknown;
  /** Its Markdown rendering (lib/documents/markdown.ts). */
  markdown: string;
  authorId: string | null;
  at: Date;
};

/** A version written against one that is no longer the document's current one. */
export class StaleDocumentVersionError extends StaleError {
  constructor(
    readonly documentId: string,
    readonly basedOn: number,
    readonly currentVersion: number,
  ) {
    super(
      `This document changed while you were working on it: it is now at version ${currentVersion}, and your change was made on version ${basedOn}. Read the current version and make your change again.`,
      { documentId, currentVersion },
    );
  }
}

const json = (content: unknown) => content as Prisma.InputJsonValue;

export async function createDocument(
  tx: Tx | Db,
  input: { incidentId: string; kind: DocumentKind; runId?: string | null; title: string } & VersionInput,
): Promise<{ documentId: string; version: number }> {
  const doc = await tx.document.create({
    data: {
      incidentId: input.incidentId,
      kind: input.kind,
      runId: input.runId ?? null,
      title: input.title,
      currentVersion: 1,
      createdAt: input.at,
      versions: {
        create: { version: 1, content: json(input.content), markdown: input.markdown, createdById: input.authorId, createdAt: input.at },
      },
    },
    select: { id: true },
  });
  return { documentId: doc.id, version: 1 };
}

/**
 * Adds version `basedOn + 1`. The counter moves only if it still reads `basedOn`, so of two writers
 * who read the same version exactly one succeeds; the other gets StaleDocumentVersionError with
 * the version that is current now.
 */
export async function addDocumentVersion(
  tx: Tx | Db,
  input: { documentId: string; basedOn: number } & VersionInput,
): Promise<{ documentId: string; version: number }> {
  const version = input.basedOn + 1;
  const { count } = await tx.document.updateMany({
    where: { id: input.documentId, currentVersion: input.basedOn },
    data: { currentVersion: version },
  });
  if (count === 0) {
    const current = await tx.document.findUnique({ where: { id: input.documentId }, select: { currentVersion: true } });
    if (!current) throw new NotFoundError("No such document.");
    throw new StaleDocumentVersionError(input.documentId, input.basedOn, current.currentVersion);
  }
  await tx.documentVersion.create({
    data: {
      documentId: input.documentId,
      version,
      content: json(input.content),
      markdown: input.markdown,
      createdById: input.authorId,
      createdAt: input.at,
    },
  });
  return { documentId: input.documentId, version };
}
