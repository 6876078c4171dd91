// Writing the RCA. Every write is a new version of the incident's one RCA document, made under a
// lock on the incident row (so generating twice at once makes one document, and two writers of
// different sections both land, one after the other):
// - generate / regenerate: the generated part from the records; what people wrote is kept as is;
// - save a section: made on the section revision its writer read, else refused with the current
//   text (two people editing one section: the second is told, nothing is lost);
// - mark completed / reviewed / approved: on the version the person read.
import "server-only";
import type { Actor } from "@/lib/audit/log";
import type { Tx } from "@/lib/db";
import { addDocumentVersion, createDocument } from "@/lib/documents/store";
import { ConflictError, InvalidInputError, NotFoundError, StaleError } from "@/lib/errors";
import { defineChange } from "@/lib/incidents/change";
import { isRunOpen } from "@/lib/rollback/run-status";
import { recordTimelineEvent } from "@/lib/timeline/record";
import { type MarkKind, newRcaContent, type RcaContent, type RcaGenerated, renderRcaMarkdown, SECTION_LABELS } from "./content";
import { buildRcaGenerated } from "./generate";
import { generateRcaSchema, markRcaSchema, SECTION_SCHEMAS, saveSectionSchema } from "./schemas";

async function lockIncident(tx: Tx, incidentId: string) {
  await tx.$queryRaw`SELECT id FROM "Incident" WHERE id = ${incidentId} FOR UPDATE`;
}

async function currentContent(tx: Tx, documentId: string) {
  const doc = await tx.document.findUnique({
    where: { id: documentId },
    select: { id: true, kind: true, incidentId: true, currentVersion: true },
  });
  if (doc?.kind !== "RCA") throw new NotFoundError("No such root-cause analysis.");
  const v = await tx.documentVersion.findUniqueOrThrow({
    where: { documentId_version: { documentId, version: doc.currentVersion } },
    select: { content: true },
  });
  return { doc, content: v.content as unknown as RcaContent };
}

async function writeVersion(tx: Tx, documentId: string, basedOn: number, content: RcaContent, actor: Actor, at: Date) {
  return addDocumentVersion(tx, { documentId, basedOn, content, markdown: renderRcaMarkdown(content), authorId: actor.id, at });
}

const rcaTitle = (g: RcaGenerated) => `Root-cause analysis: ${g.incident.title}`;

/** Generate the RCA (its first version), or regenerate the generated part of the existing one. */
export const generateRcaChange = defineChange({
  action: "rca.generate",
  schema: generateRcaSchema,
  permission: "rca:edit",
  target: (input) => ({ entityType: "Incident", entityId: input.incidentId, incidentId: input.incidentId }),
  async prepare({ input, now, db }) {
    const open = await db.rollbackRun.findFirst({
      where: { incidentId: input.incidentId },
      orderBy: { createdAt: "desc" },
      select: { status: true },
    });
    if (open && isRunOpen(open.status)) {
      throw new ConflictError("The rollback is still running: generate the root-cause analysis once it has ended.");
    }
    return buildRcaGenerated(input.incidentId, now.getTime());
  },
  async apply({ tx, user, input, prepared, now, audit }) {
    const actor = user;
    await lockIncident(tx, input.incidentId);
    const existing = await tx.document.findFirst({
      where: { incidentId: input.incidentId, kind: "RCA", runId: null },
      select: { id: true, currentVersion: true },
    });
    let result: { documentId: string; version: number };
    if (!existing) {
      const content = newRcaContent(prepared, actor.name);
      result = await createDocument(tx, {
        incidentId: input.incidentId,
        kind: "RCA",
        title: rcaTitle(prepared),
        content,
        markdown: renderRcaMarkdown(content),
        authorId: actor.id,
        at: now,
      });
    } else {
      const { content } = await currentContent(tx, existing.id);
      // Only the generated part changes: people's text, section revisions and marks stay as they are.
      result = await writeVersion(tx, existing.id, existing.currentVersion, { ...content, generated: prepared }, actor, now);
    }
    await recordTimelineEvent(tx, {
      incidentId: input.incidentId,
      kind: "DOCUMENT_UPDATED",
      actorId: actor.id,
      message: existing
        ? `${actor.name} regenerated the root-cause analysis from the records (version ${result.version})`
        : `${actor.name} generated the root-cause analysis`,
      payload: { documentId: result.documentId, kind: "RCA", version: result.version },
    });
    audit.entityType = "Document";
    audit.entityId = result.documentId;
    audit.details = { version: result.version, regenerated: Boolean(existing) };
    return result;
  },
});

/** One section of what people write, made on the revision its writer read. */
export const saveRcaSectionChange = defineChange({
  action: "rca.save_section",
  schema: saveSectionSchema,
  permission: "rca:edit",
  target: (input) => ({ entityType: "Document", entityId: input.documentId }),
  locate: async (input, db) =>
    (await db.document.findFirst({ where: { id: input.documentId, kind: "RCA" }, select: { incidentId: true } }))?.incidentId ?? null,
  async apply({ tx, user, input, now, target, audit }) {
    const actor = user;
    const parsed = SECTION_SCHEMAS[input.section].safeParse(input.value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidInputError(`${SECTION_LABELS[input.section]}: ${issue?.message ?? "not valid"}`, "value");
    }
    if (!target.incidentId) throw new NotFoundError("No such root-cause analysis.");
    await lockIncident(tx, target.incidentId);
    const { doc, content } = await currentContent(tx, input.documentId);
    const meta = content.sections[input.section];
    if (meta.rev !== input.rev) {
      throw new StaleError(
        `${meta.by ?? "Someone"} changed "${SECTION_LABELS[input.section]}" while you were editing it. Their text is shown; copy what you need from yours and save again.`,
        { section: input.section, rev: meta.rev, value: content.human[input.section], by: meta.by, at: meta.at },
      );
    }
    const next: RcaContent = {
      ...content,
      human: { ...content.human, [input.section]: parsed.data },
      sections: { ...content.sections, [input.section]: { rev: meta.rev + 1, by: actor.name, at: now.toISOString() } },
    };
    const result = await writeVersion(tx, doc.id, doc.currentVersion, next, actor, now);
    audit.details = { section: input.section, rev: meta.rev + 1, version: result.version };
    return { ...result, rev: meta.rev + 1 };
  },
});

function markChange(kind: MarkKind, permission: "rca:edit" | "rca:review" | "rca:approve") {
  const words = { completed: "completed", reviewed: "reviewed", approved: "approved" }[kind];
  return defineChange({
    action: `rca.mark_${kind}`,
    schema: markRcaSchema,
    permission,
    target: (input) => ({ entityType: "Document", entityId: input.documentId }),
    locate: async (input, db) =>
      (await db.document.findFirst({ where: { id: input.documentId, kind: "RCA" }, select: { incidentId: true } }))?.incidentId ?? null,
    async apply({ tx, user, input, now, target, audit }) {
      const actor = user;
      if (!target.incidentId) throw new NotFoundError("No such root-cause analysis.");
      await lockIncident(tx, target.incidentId);
      const { doc, content } = await currentContent(tx, input.documentId);
      if (doc.currentVersion !== input.version) {
        throw new StaleError(
          `The analysis changed since you read it (it is now at version ${doc.currentVersion}). Read it again before marking it ${words}.`,
          { version: doc.currentVersion },
        );
      }
      const next: RcaContent = {
        ...content,
        marks: { ...content.marks, [kind]: { by: actor.name, byId: actor.id, at: now.toISOString(), version: input.version } },
      };
      const result = await writeVersion(tx, doc.id, doc.currentVersion, next, actor, now);
      await recordTimelineEvent(tx, {
        incidentId: target.incidentId,
        kind: "DOCUMENT_UPDATED",
        actorId: actor.id,
        message: `${actor.name} marked the root-cause analysis ${words} (version ${input.version})`,
        payload: { documentId: doc.id, kind: "RCA", version: result.version, mark: kind },
      });
      audit.details = { mark: kind, onVersion: input.version, version: result.version };
      return result;
    },
  });
}

export const markRcaCompletedChange = markChange("completed", "rca:edit");
export const markRcaReviewedChange = markChange("reviewed", "rca:review");
export const markRcaApprovedChange = markChange("approved", "rca:approve");

export function generateRca(actor: Actor, input: { incidentId: string }) {
  return generateRcaChange.runOrThrow(actor, input);
}
