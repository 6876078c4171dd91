// Checklist changes, through the change path (lib/incidents/change.ts): starting verification,
// item updates under optimistic versioning, sign-offs, unlock, the verification report and the
// per-service templates. Each writes the change with its history row, timeline event (where it
// matters) and live event in one transaction; the runner writes the audit row, and audits every
// refusal — a stale item, a second sign-off by the same person — once.
import "server-only";
import { Prisma } from "@/generated/prisma/client";
import type { Actor } from "@/lib/audit/log";
import type { Tx } from "@/lib/db";
import { compareFields } from "@/lib/documents/compare";
import { findIncidentDocument } from "@/lib/documents/queries";
import { addDocumentVersion, createDocument } from "@/lib/documents/store";
import { ConflictError, NotFoundError, StaleError } from "@/lib/errors";
import { defineChange, type RunOptions, roleRefusal } from "@/lib/incidents/change";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { recordTimelineEvent } from "@/lib/timeline/record";
import { recordItemChange } from "./history";
import { publishChecklistEvent } from "./live";
import { getChecklistView, getFinishedRun } from "./queries";
import { buildReport, type ReportContent, type ReportIncident, renderReportMarkdown } from "./report";
import { applyItemChange, openItemCount, SIGN_OFF_PHRASES, SIGN_OFF_ROLES, STATUS_LABELS, signOffPermission } from "./rules";
import {
  renderReportSchema,
  type SaveTemplateInput,
  type SignOffInput,
  saveTemplateSchema,
  signOffSchema,
  startVerificationSchema,
  type UpdateItemInput,
  unlockSchema,
  updateItemSchema,
} from "./schemas";
import { buildChecklistItems, DEFAULT_TEMPLATE, templateItemsSchema } from "./template-schema";
import { TEMPLATE_NAME } from "./template-store";
import { type ItemView, itemSelect, toItemView } from "./view";

export type MutationOptions = RunOptions;

/** The checklist is signed off: nothing changes until a release manager unlocks it. */
export class ChecklistLockedError extends ConflictError {
  constructor() {
    super("The checklist is signed off and locked. A release manager can unlock it, with a reason.");
  }
}

/** Locks the checklist row and reads what every change checks: signed off, and the incident resolved. */
async function lockChecklist(tx: Tx, checklistId: string, mode: "share" | "update") {
  const rows =
    mode === "share"
      ? await tx.$queryRaw<{ lockedAt: Date | null; incidentId: string }[]>`
          SELECT "lockedAt", "incidentId" FROM "Checklist" WHERE id = ${checklistId} FOR SHARE`
      : await tx.$queryRaw<{ lockedAt: Date | null; incidentId: string }[]>`
          SELECT "lockedAt", "incidentId" FROM "Checklist" WHERE id = ${checklistId} FOR UPDATE`;
  if (rows.length === 0) throw new NotFoundError("That checklist no longer exists.");
  const incident = await tx.incident.findUniqueOrThrow({ where: { id: rows[0].incidentId }, select: { status: true } });
  return { ...rows[0], resolved: incident.status === "RESOLVED" };
}

/** Whether the rollback included a database restore (attempted counts: its data may have changed). */
async function restoreRan(tx: Tx, incidentId: string): Promise<boolean> {
  const n = await tx.rollbackStep.count({
    where: {
      run: { incidentId },
      executor: "POSTGRES",
      config: { path: ["operation"], equals: "restore" },
      state: { in: ["RUNNING", "SUCCEEDED", "FAILED", "INTERRUPTED"] },
    },
  });
  return n > 0;
}

/** Creates the incident's checklist from its service's template; a second start returns the same one. */
export const startVerificationChange = defineChange({
  action: "checklist.start",
  schema: startVerificationSchema,
  permission: "checklist:edit",
  target: (input) => ({ entityType: "Incident", entityId: input.incidentId, incidentId: input.incidentId }),
  async apply({ tx, user, input: { incidentId }, now, audit }) {
    const actor = user;
    // Concurrent starts queue here; the second one finds the first one's checklist.
    const [locked] = await tx.$queryRaw<{ status: string }[]>`SELECT status::text FROM "Incident" WHERE id = ${incidentId} FOR UPDATE`;
    if (!locked) throw new NotFoundError("No such incident.");
    const existing = await tx.checklist.findUnique({ where: { incidentId }, select: { id: true } });
    if (existing) {
      // The same click twice (or two people at once): the answer is the checklist, nothing changed.
      audit.skip = true;
      return { created: false, checklistId: existing.id, incidentId };
    }
    if (locked.status === "RESOLVED") throw new ConflictError("This incident is resolved: there is nothing left to verify.");
    const run = await getFinishedRun(incidentId, tx);
    if (!run?.endedAt)
      throw new ConflictError("Verification starts once the rollback has finished: no rollback run of this incident has completed yet.");

    const incident = await tx.incident.findUniqueOrThrow({
      where: { id: incidentId },
      select: {
        serviceId: true,
        service: { select: { criticalFeatures: { orderBy: { position: "asc" }, select: { id: true, name: true, description: true } } } },
      },
    });
    const template = await tx.checklistTemplate.findFirst({
      where: { serviceId: incident.serviceId },
      orderBy: { createdAt: "asc" },
      select: { id: true, items: true, version: true },
    });
    // A stored template was validated when saved; parse again so a hand-edited row cannot break a start.
    const parsed = template ? templateItemsSchema.safeParse(template.items) : null;
    const items = parsed?.success ? parsed.data : DEFAULT_TEMPLATE;
    const usedTemplate = parsed?.success ? template : null;
    const ranRestore = await restoreRan(tx, incidentId);
    const seeds = buildChecklistItems(items, {
      features: incident.service.criticalFeatures,
      restoreRan: ranRestore,
      rollbackEndedAt: run.endedAt,
    });

    const checklist = await tx.checklist.create({
      data: {
        incidentId,
        templateId: usedTemplate?.id ?? null,
        templateVersion: usedTemplate?.version ?? null,
        startedAt: now,
        startedById: actor.id,
        rollbackEndedAt: run.endedAt,
        restoreRan: ranRestore,
        items: { create: seeds.map((s) => ({ ...s, updatedAt: now })) },
      },
      select: { id: true },
    });
    const source = usedTemplate ? `the service's template v${usedTemplate.version}` : "the default template";
    await recordTimelineEvent(tx, {
      incidentId,
      kind: "VERIFICATION_STARTED",
      actorId: actor.id,
      at: now,
      message: `${actor.name} started verification: ${seeds.length} checks from ${source}${ranRestore ? ", with data integrity (a database restore ran)" : ""}`,
      payload: { checklistId: checklist.id, items: seeds.length, templateVersion: usedTemplate?.version ?? null, restoreRan: ranRestore },
    });
    Object.assign(audit, {
      entityType: "Checklist",
      entityId: checklist.id,
      details: {
        items: seeds.length,
        templateId: usedTemplate?.id ?? null,
        templateVersion: usedTemplate?.version ?? null,
        restoreRan: ranRestore,
      },
    });
    await publishChecklistEvent(tx, incidentId, { type: "checklist", reason: "started" }, actor.id);
    // Metric items already back tick at once rather than at the evaluator's next pass. A job in this
    // transaction: starting does not wait on the metrics (the ticks arrive live), and the evaluation
    // is there exactly when the start committed, whichever instance runs it.
    await enqueueJob(tx, "checklist.first_evaluation", { incidentId }, { jobKey: firstEvaluationKey(incidentId) });
    return { created: true, checklistId: checklist.id, incidentId };
  },
});

/** Job key of a checklist's first metric evaluation: one waiting per incident. */
export const firstEvaluationKey = (incidentId: string) => `checklist.first_evaluation:${incidentId}`;

export function startVerification(actor: Actor, raw: { incidentId: string }, opts: MutationOptions = {}) {
  return startVerificationChange.runOrThrow(actor, raw, opts);
}

export type UpdateItemResult =
  | { ok: true; item: ItemView }
  /** Someone changed the item since this update's version: nothing was written; `current` is what it is now. */
  | { ok: false; code: "stale"; message: string; current: ItemView };

/** A stale item update is an answer, not an error: the form shows the current state with why. */
export function staleItemAnswer(refusal: { code: string; message: string; current?: unknown }): UpdateItemResult | undefined {
  return refusal.code === "stale"
    ? { ok: false, code: "stale", message: refusal.message, current: refusal.current as ItemView }
    : undefined;
}

function staleMessage(current: ItemView): string {
  const who = current.updatedBy?.name ?? "the automatic metric check";
  return `${who} changed "${current.label}" since you loaded it (now ${STATUS_LABELS[current.status].toLowerCase()}, version ${current.version}). Your change was not saved: the current state is shown — apply it again if it still holds.`;
}

function describeChange(before: ItemView, after: ItemView): string[] {
  const changes: string[] = [];
  if (before.status !== after.status) changes.push(`${STATUS_LABELS[before.status]} → ${STATUS_LABELS[after.status]}`);
  if (before.value !== after.value) changes.push(after.value === null ? "value cleared" : `value "${after.value}"`);
  if (before.testResult !== after.testResult) changes.push(after.testResult === null ? "test result cleared" : "test result recorded");
  if (before.note !== after.note) changes.push(after.note === null ? "note cleared" : "note");
  return changes;
}

/**
 * One person's change to one item, made against `version`. Accepted: the item, one history row,
 * an audit row and a live event, all or nothing. Made against an older version: refused (a
 * StaleError carrying the item as it is now), nothing written, the refusal audited.
 */
export const updateItemChange = defineChange({
  action: "checklist.item_update",
  schema: updateItemSchema,
  permission: "checklist:edit",
  target: (input) => ({ entityType: "ChecklistItem", entityId: input.itemId }),
  async apply({ tx, user, input, now, audit }): Promise<ItemView> {
    const actor = user;
    const meta = await tx.checklistItem.findUnique({ where: { id: input.itemId }, select: { checklistId: true } });
    if (!meta) throw new NotFoundError("That checklist item no longer exists.");
    const checklist = await lockChecklist(tx, meta.checklistId, "share");
    const { incidentId } = checklist;
    audit.incidentId = incidentId;
    if (checklist.lockedAt) throw new ChecklistLockedError();
    if (checklist.resolved) throw new ConflictError("This incident is resolved: its checklist no longer changes.");

    const before = toItemView(await tx.checklistItem.findUniqueOrThrow({ where: { id: input.itemId }, select: itemSelect }));
    if (before.version !== input.version) throw new StaleError(staleMessage(before), before);
    const next = applyItemChange(
      { ...before, notBefore: before.notBefore ? new Date(before.notBefore) : null },
      { status: input.status, value: input.value, note: input.note, testResult: input.testResult },
      now,
      before.isOverride,
    );
    const metricStatusChange = before.kind === "METRIC" && next.statusChanged;
    const { count } = await tx.checklistItem.updateMany({
      where: { id: input.itemId, version: input.version },
      data: {
        status: next.status,
        value: next.value,
        note: next.note,
        testResult: next.testResult,
        isOverride: next.isOverride,
        // A person setting a metric item's status replaces the automatic result.
        ...(metricStatusChange ? { autoSatisfied: false, satisfiedValue: null, satisfiedBaseline: null, satisfiedAt: null } : {}),
        updatedById: actor.id,
        updatedAt: now,
        version: { increment: 1 },
      },
    });
    if (count === 0) {
      // Another update of the same version committed while we waited for the row: it won.
      const current = toItemView(await tx.checklistItem.findUniqueOrThrow({ where: { id: input.itemId }, select: itemSelect }));
      throw new StaleError(staleMessage(current), current);
    }
    const after = await recordItemChange(tx, input.itemId, { changedById: actor.id, at: now, automatic: false });
    const changes = describeChange(before, after);
    if (next.statusChanged && (after.status === "FAILED" || after.isOverride)) {
      await recordTimelineEvent(tx, {
        incidentId,
        kind: "CHECKLIST_ITEM_UPDATED",
        actorId: actor.id,
        at: now,
        message: `${actor.name} ${after.isOverride ? "overrode the metric check of" : "marked"} "${after.label}": ${STATUS_LABELS[after.status].toLowerCase()}${after.note ? ` — ${after.note}` : ""}`,
        payload: { itemId: after.id, key: after.key, status: after.status, override: after.isOverride, version: after.version },
      });
    }
    audit.details = { key: after.key, version: after.version, changes, override: after.isOverride };
    await publishChecklistEvent(tx, incidentId, { type: "item", item: after }, actor.id);
    return after;
  },
});

/** As the form sees it: accepted with the item, or stale with the current one; other refusals throw. */
export async function updateChecklistItem(actor: Actor, raw: UpdateItemInput, opts: MutationOptions = {}): Promise<UpdateItemResult> {
  try {
    return { ok: true, item: await updateItemChange.runOrThrow(actor, raw, opts) };
  } catch (e) {
    const answer = e instanceof StaleError ? staleItemAnswer(e) : undefined;
    if (answer) return answer;
    throw e;
  }
}

async function reportIncident(tx: Tx, incidentId: string): Promise<ReportIncident> {
  const i = await tx.incident.findUniqueOrThrow({
    where: { id: incidentId },
    select: {
      number: true,
      title: true,
      badVersion: true,
      previousVersion: true,
      status: true,
      resolvedAt: true,
      service: { select: { name: true } },
    },
  });
  return {
    number: i.number,
    title: i.title,
    serviceName: i.service.name,
    badVersion: i.badVersion,
    previousVersion: i.previousVersion,
    status: i.status,
    resolvedAt: i.resolvedAt?.toISOString() ?? null,
  };
}

/**
 * Renders the verification report from the checklist as it stands and stores it as the incident's
 * VERIFICATION_REPORT document: a new version when it says something new, otherwise nothing.
 */
export async function saveVerificationReport(tx: Tx, incidentId: string, actorId: string | null, now: Date) {
  // One report per incident: serialise renders on the checklist row (Document's runId is null here,
  // and a unique index does not stop two NULLs).
  const view = await getChecklistView(incidentId, tx);
  if (!view) throw new NotFoundError("Verification has not started for this incident.");
  await tx.$queryRaw`SELECT id FROM "Checklist" WHERE id = ${view.id} FOR UPDATE`;
  const content = buildReport(view, await reportIncident(tx, incidentId), now);
  const existing = await findIncidentDocument(incidentId, "VERIFICATION_REPORT", tx);
  const latest = existing
    ? await tx.documentVersion.findUnique({
        where: { documentId_version: { documentId: existing.id, version: existing.currentVersion } },
        select: { content: true },
      })
    : null;
  // A new version only when the report says something new: anything but the time it was rendered.
  const previous = latest?.content as ReportContent | undefined;
  if (existing && previous && compareFields({ ...previous, generatedAt: null }, { ...content, generatedAt: null }).length === 0) {
    return { documentId: existing.id, version: existing.currentVersion, created: false };
  }
  const version = { content, markdown: renderReportMarkdown(content), authorId: actorId, at: now };
  const { documentId, version: number } = existing
    ? await addDocumentVersion(tx, { documentId: existing.id, basedOn: existing.currentVersion, ...version })
    : await createDocument(tx, {
        incidentId,
        kind: "VERIFICATION_REPORT",
        title: `Verification report — INC-${content.incident.number}`,
        ...version,
      });
  await recordTimelineEvent(tx, {
    incidentId,
    kind: "DOCUMENT_UPDATED",
    actorId,
    source: actorId ? "USER" : "SYSTEM",
    at: now,
    message: `Verification report v${number} rendered from the checklist`,
    payload: { documentId, kind: "VERIFICATION_REPORT", version: number },
  });
  return { documentId, version: number, created: true };
}

/** On demand: renders the report now (a new version only if the checklist changed since). */
export const renderReportChange = defineChange({
  action: "checklist.render_report",
  schema: renderReportSchema,
  permission: "checklist:edit",
  target: (input) => ({ entityType: "Incident", entityId: input.incidentId, incidentId: input.incidentId }),
  async apply({ tx, user, input: { incidentId }, now, audit }) {
    const actor = user;
    const saved = await saveVerificationReport(tx, incidentId, actor.id, now);
    Object.assign(audit, {
      entityType: "Document",
      entityId: saved.documentId,
      details: { version: saved.version, newVersion: saved.created },
    });
    if (saved.created) await publishChecklistEvent(tx, incidentId, { type: "checklist", reason: "report" }, actor.id);
    return saved;
  },
});

export function renderVerificationReport(actor: Actor, raw: { incidentId: string }, opts: MutationOptions = {}) {
  return renderReportChange.runOrThrow(actor, raw, opts);
}

const STABILITY_WORDS = { STABLE: "stable", PARTIAL: "partially stable", UNSTABLE: "not stable" } as const;

/**
 * One of the three sign-offs, given once, by someone allowed to give it, and by a person who has not
 * given another one on this checklist. The third locks the checklist and renders the report.
 */
export const signOffChange = defineChange({
  action: "checklist.sign_off",
  schema: signOffSchema,
  // Everyone who may give any of the three sign-offs; which one they may give is checked below.
  permission: "checklist:edit",
  target: (input) => ({ entityType: "Checklist", entityId: input.checklistId }),
  async prepare({ actor, input }) {
    const denied = roleRefusal(actor, signOffPermission(input.role));
    if (denied) throw denied;
  },
  async apply({ tx, user, input, now, audit }) {
    const actor = user;
    const state = await lockChecklist(tx, input.checklistId, "update");
    const { incidentId } = state;
    audit.incidentId = incidentId;
    if (state.lockedAt) throw new ChecklistLockedError();
    if (state.resolved) throw new ConflictError("This incident is resolved: its checklist no longer takes sign-offs.");
    const current = await tx.signOff.findMany({
      where: { checklistId: input.checklistId, withdrawnAt: null },
      select: { role: true, userId: true, user: { select: { name: true } } },
    });
    const sameRole = current.find((s) => s.role === input.role);
    if (sameRole) throw new ConflictError(`${sameRole.user.name} already signed off as ${SIGN_OFF_PHRASES[input.role]}.`);
    const mine = current.find((s) => s.userId === actor.id);
    if (mine) {
      throw new ConflictError(
        `You already signed off as ${SIGN_OFF_PHRASES[mine.role]}: each of the three sign-offs comes from a different person.`,
      );
    }
    const items = await tx.checklistItem.findMany({ where: { checklistId: input.checklistId }, select: { status: true } });
    const open = openItemCount(items);
    try {
      await tx.signOff.create({
        data: {
          checklistId: input.checklistId,
          role: input.role,
          userId: actor.id,
          rollbackSuccessful: input.rollbackSuccessful,
          systemStable: input.systemStable,
          outstandingIssues: input.outstandingIssues,
          comments: input.comments,
          signedAt: now,
        },
      });
    } catch (e) {
      // The partial unique indexes are the last line: two sign-offs racing for one role or one person.
      if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")
        throw new ConflictError("Someone signed off at the same moment; reload to see who.");
      throw e;
    }
    await recordTimelineEvent(tx, {
      incidentId,
      kind: "SIGNED_OFF",
      actorId: actor.id,
      at: now,
      message: `${actor.name} signed off as ${SIGN_OFF_PHRASES[input.role]}: rollback ${input.rollbackSuccessful ? "successful" : "not successful"}, system ${STABILITY_WORDS[input.systemStable]}${open ? ` (${open} checks still open)` : ""}`,
      payload: { role: input.role, rollbackSuccessful: input.rollbackSuccessful, systemStable: input.systemStable, openItems: open },
    });
    audit.details = { role: input.role, rollbackSuccessful: input.rollbackSuccessful, systemStable: input.systemStable, openItems: open };
    const locked = current.length + 1 === SIGN_OFF_ROLES.length;
    if (locked) {
      await tx.checklist.update({
        where: { id: input.checklistId },
        data: { lockedAt: now, lockedById: actor.id, version: { increment: 1 } },
      });
      await recordTimelineEvent(tx, {
        incidentId,
        kind: "CHECKLIST_LOCKED",
        source: "SYSTEM",
        at: now,
        message: "All three sign-offs given: the verification checklist is locked",
        payload: { checklistId: input.checklistId },
      });
      await saveVerificationReport(tx, incidentId, actor.id, now);
    }
    await publishChecklistEvent(tx, incidentId, { type: "checklist", reason: locked ? "locked" : "signed-off" }, actor.id);
    return { locked };
  },
});

export function signOff(actor: Actor, raw: SignOffInput, opts: MutationOptions = {}) {
  return signOffChange.runOrThrow(actor, raw, opts);
}

/** A release manager reopens a signed-off checklist, with a reason; its sign-offs are withdrawn. */
export const unlockChecklistChange = defineChange({
  action: "checklist.unlock",
  schema: unlockSchema,
  permission: "checklist:unlock",
  target: (input) => ({ entityType: "Checklist", entityId: input.checklistId }),
  async apply({ tx, user, input, now, audit }) {
    const actor = user;
    const state = await lockChecklist(tx, input.checklistId, "update");
    const { incidentId } = state;
    audit.incidentId = incidentId;
    if (!state.lockedAt) throw new ConflictError("The checklist is not locked.");
    if (state.resolved) throw new ConflictError("This incident is resolved: its checklist stays as it was signed off.");
    const withdrawn = await tx.signOff.updateMany({
      where: { checklistId: input.checklistId, withdrawnAt: null },
      data: { withdrawnAt: now, withdrawnReason: `checklist unlocked: ${input.reason}` },
    });
    await tx.checklist.update({ where: { id: input.checklistId }, data: { lockedAt: null, lockedById: null, version: { increment: 1 } } });
    await recordTimelineEvent(tx, {
      incidentId,
      kind: "CHECKLIST_UNLOCKED",
      actorId: actor.id,
      at: now,
      message: `${actor.name} unlocked the verification checklist: ${input.reason}. The ${withdrawn.count} sign-offs are withdrawn and must be given again.`,
      payload: { checklistId: input.checklistId, reason: input.reason, withdrawn: withdrawn.count },
    });
    audit.details = { reason: input.reason, withdrawnSignOffs: withdrawn.count };
    await publishChecklistEvent(tx, incidentId, { type: "checklist", reason: "unlocked" }, actor.id);
    return { withdrawn: withdrawn.count };
  },
});

export function unlockChecklist(actor: Actor, raw: { checklistId: string; reason: string }, opts: MutationOptions = {}) {
  return unlockChecklistChange.runOrThrow(actor, raw, opts);
}

/**
 * An admin saves a service's verification template (validated by the schema, as the form's JSON),
 * as a new immutable version; saved against an older version, it is refused with the current one.
 */
export const saveTemplateChange = defineChange({
  action: "checklist.template_save",
  schema: saveTemplateSchema,
  permission: "service:configure",
  target: (input) => ({ entityType: "Service", entityId: input.serviceId }),
  async apply({ tx, user, input, audit }) {
    const actor = user;
    const items = input.itemsJson;
    const json = items as unknown as Prisma.InputJsonValue;
    const [service] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Service" WHERE id = ${input.serviceId} FOR UPDATE`;
    if (!service) throw new NotFoundError("That service does not exist.");
    const existing = await tx.checklistTemplate.findFirst({ where: { serviceId: service.id }, orderBy: { createdAt: "asc" } });
    const stale = () =>
      new StaleError("Someone else saved this service's template since you opened it. Reload to see theirs, then re-apply your changes.", {
        version: existing?.version ?? 0,
      });
    let templateId: string;
    let version: number;
    if (!existing) {
      if (input.version !== 0) throw stale();
      const created = await tx.checklistTemplate.create({
        data: { serviceId: service.id, name: TEMPLATE_NAME, items: json, updatedById: actor.id, version: 1 },
      });
      templateId = created.id;
      version = 1;
    } else {
      const { count } = await tx.checklistTemplate.updateMany({
        where: { id: existing.id, version: input.version },
        data: { items: json, updatedById: actor.id, version: { increment: 1 } },
      });
      if (count === 0) throw stale();
      templateId = existing.id;
      version = input.version + 1;
    }
    await tx.checklistTemplateVersion.create({ data: { templateId, version, items: json, createdById: actor.id } });
    audit.details = { templateId, version, items: items.length };
    return { templateId, version };
  },
});

export function saveChecklistTemplate(actor: Actor, raw: SaveTemplateInput, opts: MutationOptions = {}) {
  return saveTemplateChange.runOrThrow(actor, raw, opts);
}
