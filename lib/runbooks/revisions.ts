// Runbook revisions, the learning loop's way into procedures: a responder proposes, from one of an
// incident's action items, a draft next version of a runbook with the lesson it carries; an admin
// reviews the diff and publishes it as the runbook's next version (the version links back to the
// draft, so the history names the incident) or declines it with a reason. Each is a change of the
// change path, filed under the incident (timeline entry + audit row in the same transaction).
import "server-only";
import type { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import type { Actor } from "@/lib/audit/log";
import type { Db, Tx } from "@/lib/db";
import { ConflictError, InvalidInputError, NotFoundError, StaleError } from "@/lib/errors";
import { defineChange } from "@/lib/incidents/change";
import { parsePlan } from "@/lib/rollback/plans";
import { recordTimelineEvent } from "@/lib/timeline/record";
import { describeChange, diffSteps } from "./diff";
import { checkedSteps } from "./mutations";
import { declineRevisionSchema, proposeRevisionSchema, publishRevisionSchema } from "./revision-schemas";

/** The runbook at its current version, or the refusal a draft against it gets. */
async function currentRunbook(db: Db | Tx, runbookId: string) {
  const runbook = await db.runbook.findUnique({
    where: { id: runbookId },
    select: {
      id: true,
      name: true,
      serviceId: true,
      strategy: true,
      archivedAt: true,
      currentVersion: true,
      versions: { orderBy: { version: "desc" }, take: 1, select: { steps: true } },
    },
  });
  if (!runbook) throw new NotFoundError("That runbook does not exist.", { field: "runbookId" });
  if (runbook.archivedAt) throw new ConflictError("This runbook is archived: unarchive it before revising it.");
  return { ...runbook, steps: parsePlan(runbook.versions[0]?.steps ?? []) };
}

function staleDraft(current: number, base: number) {
  return new StaleError(
    `The runbook is at version ${current} now, and this draft was written against version ${base}. Nothing was changed: decline it and propose the change again on version ${current}.`,
    { currentVersion: current },
  );
}

async function revisionIncident(input: { revisionId: string }, db: Db) {
  return (await db.runbookRevision.findUnique({ where: { id: input.revisionId }, select: { incidentId: true } }))?.incidentId ?? null;
}

export const proposeRevisionChange = defineChange({
  action: "runbook.propose_revision",
  schema: proposeRevisionSchema,
  permission: "incident:update",
  target: (input) => ({ entityType: "Runbook", entityId: input.runbookId }),
  locate: async (input, db) =>
    (await db.actionItem.findUnique({ where: { id: input.actionItemId }, select: { incidentId: true } }))?.incidentId ?? null,
  async prepare({ db, input }) {
    const item = await db.actionItem.findUnique({
      where: { id: input.actionItemId },
      select: { id: true, title: true, linkRunbookId: true, incident: { select: { id: true, number: true, serviceId: true } } },
    });
    if (!item) throw new NotFoundError("That action item does not exist.", { field: "actionItemId" });
    const runbook = await currentRunbook(db, input.runbookId);
    if (runbook.serviceId !== item.incident.serviceId && item.linkRunbookId !== runbook.id) {
      throw new InvalidInputError("Revise a runbook of the incident's service, or the runbook the action item links to.", "runbookId");
    }
    if (runbook.currentVersion !== input.baseVersion) throw staleDraft(runbook.currentVersion, input.baseVersion);
    const { steps } = checkedSteps(runbook.strategy, input.steps);
    const changes = diffSteps(runbook.steps, steps).map(describeChange);
    if (changes.length === 0) throw new InvalidInputError(`The draft is the same as version ${input.baseVersion}: change a step.`, "steps");
    return { item, runbook, steps, changes };
  },
  async apply({ tx, user, input, prepared: { item, runbook, steps, changes }, now, audit }) {
    const actor = user;
    const revision = await tx.runbookRevision.create({
      data: {
        runbookId: runbook.id,
        baseVersion: input.baseVersion,
        steps: steps as unknown as Prisma.InputJsonValue,
        note: input.note,
        lesson: input.lesson,
        incidentId: item.incident.id,
        actionItemId: item.id,
        proposedById: actor.id,
        proposedAt: now,
      },
    });
    await recordTimelineEvent(tx, {
      incidentId: item.incident.id,
      kind: "RUNBOOK_REVISION_PROPOSED",
      actorId: actor.id,
      at: now,
      message: `Revision of runbook “${runbook.name}” proposed from action item “${item.title}”: ${input.lesson}`,
      payload: { revisionId: revision.id, runbookId: runbook.id, actionItemId: item.id, baseVersion: input.baseVersion },
    });
    Object.assign(audit, {
      entityType: "RunbookRevision",
      entityId: revision.id,
      incidentId: item.incident.id,
      details: { runbookId: runbook.id, baseVersion: input.baseVersion, actionItemId: item.id, changes: changes.slice(0, 30) },
    });
    return revision;
  },
});

/** The draft, locked for the decision, or the refusal: only a draft is decided, once. */
async function lockDraft(tx: Tx, revisionId: string) {
  await tx.$queryRaw`SELECT id FROM "RunbookRevision" WHERE id = ${revisionId} FOR UPDATE`;
  const revision = await tx.runbookRevision.findUnique({
    where: { id: revisionId },
    include: { incident: { select: { number: true } }, publishedVersion: { select: { version: true } } },
  });
  if (!revision) throw new NotFoundError("That runbook revision does not exist.");
  if (revision.status === "PUBLISHED") {
    throw new ConflictError(`This draft was already published, as version ${revision.publishedVersion?.version}.`);
  }
  if (revision.status === "DECLINED") throw new ConflictError(`This draft was declined: ${revision.declineReason}`);
  return revision;
}

/** Deciding a draft: an admin's, filed under the draft's incident. */
const DECIDE = {
  permission: "service:configure",
  target: (input: { revisionId: string }) => ({ entityType: "RunbookRevision", entityId: input.revisionId }),
  locate: revisionIncident,
} as const;

export const publishRevisionChange = defineChange({
  action: "runbook.publish_revision",
  schema: publishRevisionSchema,
  ...DECIDE,
  async apply({ tx, user, input, now, audit }) {
    const actor = user;
    const revision = await lockDraft(tx, input.revisionId);
    const runbook = await currentRunbook(tx, revision.runbookId);
    if (runbook.currentVersion !== revision.baseVersion) throw staleDraft(runbook.currentVersion, revision.baseVersion);
    // The rules may have grown stricter since the draft was written: it is checked again as it is published.
    const { steps } = checkedSteps(runbook.strategy, revision.steps as unknown[]);
    const version = revision.baseVersion + 1;
    const { count } = await tx.runbook.updateMany({
      where: { id: runbook.id, currentVersion: revision.baseVersion, archivedAt: null },
      data: { currentVersion: version },
    });
    if (count === 0) throw staleDraft(runbook.currentVersion + 1, revision.baseVersion);
    const note = `From INC-${revision.incident.number}: ${revision.lesson}${revision.note ? ` — ${revision.note}` : ""}`;
    const published = await tx.runbookVersion.create({
      data: {
        runbookId: runbook.id,
        version,
        steps: steps as unknown as Prisma.InputJsonValue,
        note: note.length > 500 ? `${note.slice(0, 499)}…` : note,
        createdById: actor.id,
        createdAt: now,
      },
    });
    await tx.runbookRevision.update({
      where: { id: revision.id },
      data: { status: "PUBLISHED", publishedVersionId: published.id, decidedById: actor.id, decidedAt: now, version: { increment: 1 } },
    });
    await recordTimelineEvent(tx, {
      incidentId: revision.incidentId,
      kind: "RUNBOOK_REVISION_PUBLISHED",
      actorId: actor.id,
      at: now,
      message: `Runbook “${runbook.name}” version ${version} published from this incident's lesson`,
      payload: { revisionId: revision.id, runbookId: runbook.id, version },
    });
    audit.details = { runbookId: runbook.id, version, versionId: published.id, from: revision.baseVersion };
    return { runbookId: runbook.id, version, versionId: published.id };
  },
});

export const declineRevisionChange = defineChange({
  action: "runbook.decline_revision",
  schema: declineRevisionSchema,
  ...DECIDE,
  async apply({ tx, user, input, now, audit }) {
    const actor = user;
    const revision = await lockDraft(tx, input.revisionId);
    const runbook = await tx.runbook.findUniqueOrThrow({ where: { id: revision.runbookId }, select: { name: true } });
    await tx.runbookRevision.update({
      where: { id: revision.id },
      data: { status: "DECLINED", declineReason: input.reason, decidedById: actor.id, decidedAt: now, version: { increment: 1 } },
    });
    await recordTimelineEvent(tx, {
      incidentId: revision.incidentId,
      kind: "RUNBOOK_REVISION_DECLINED",
      actorId: actor.id,
      at: now,
      message: `Revision of runbook “${runbook.name}” declined: ${input.reason}`,
      payload: { revisionId: revision.id, runbookId: revision.runbookId },
    });
    audit.details = { runbookId: revision.runbookId, reason: input.reason };
  },
});

export const proposeRevision = (actor: Actor, input: z.input<typeof proposeRevisionSchema>) =>
  proposeRevisionChange.runOrThrow(actor, input);
export const publishRevision = (actor: Actor, input: z.input<typeof publishRevisionSchema>) =>
  publishRevisionChange.runOrThrow(actor, input);
export const declineRevision = (actor: Actor, input: z.input<typeof declineRevisionSchema>) =>
  declineRevisionChange.runOrThrow(actor, input);
