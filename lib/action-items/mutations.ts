// Action-item changes, through the change path (lib/incidents/change.ts): each one is on the
// incident's timeline with who and when, in the same transaction; edits and status changes are made
// against a version, and a stale one is refused with the item as it is now.
import "server-only";
import type { z } from "zod";
import type { ActionItem, Prisma } from "@/generated/prisma/client";
import type { Actor } from "@/lib/audit/log";
import type { Tx } from "@/lib/db";
import { ConflictError, InvalidInputError, NotFoundError, StaleError } from "@/lib/errors";
import { defineChange } from "@/lib/incidents/change";
import { recordTimelineEvent } from "@/lib/timeline/record";
import { dateToDueDay, dueDayToDate, editableFields, PRIORITY_LABELS, STATUS_LABELS, todayDueDay } from "./rules";
import {
  type ActionItemLink,
  type CreateActionItemInput,
  createActionItemSchema,
  type SetActionItemStatusInput,
  setActionItemStatusSchema,
  updateActionItemSchema,
} from "./schemas";

const ACTION_ITEM_TARGET = "ActionItem";

/** The item as a stale refusal shows it (and as the timeline's payload records it). */
function itemState(item: ActionItem) {
  return { ...editableFields(item), status: item.status, completionNote: item.completionNote };
}

async function ownerOrRefuse(tx: Tx, ownerId: string) {
  const owner = await tx.user.findUnique({ where: { id: ownerId }, select: { id: true, name: true, disabledAt: true } });
  if (!owner || owner.disabledAt) throw new InvalidInputError("Choose an owner who can sign in.", "ownerId");
  return owner;
}

async function linkColumns(tx: Tx, link: ActionItemLink) {
  const columns = { linkUrl: null as string | null, linkRunbookId: null as string | null, linkServiceId: null as string | null };
  if (link.kind === "url") columns.linkUrl = link.url;
  if (link.kind === "runbook") {
    if (!(await tx.runbook.count({ where: { id: link.runbookId } }))) throw new InvalidInputError("That runbook does not exist.", "link");
    columns.linkRunbookId = link.runbookId;
  }
  if (link.kind === "service") {
    if (!(await tx.service.count({ where: { id: link.serviceId } }))) throw new InvalidInputError("That service does not exist.", "link");
    columns.linkServiceId = link.serviceId;
  }
  return columns;
}

/**
 * The columns a person writes, from the one form that creates and edits an item: the same set on
 * create and on update (an update's change list compares exactly these), the owner and due date as checked.
 */
async function writtenColumns(
  tx: Tx,
  input: Pick<z.output<typeof createActionItemSchema>, "title" | "priority" | "horizon" | "verification" | "link">,
  ownerId: string,
  dueDate: Date,
) {
  return {
    title: input.title,
    ownerId,
    dueDate,
    priority: input.priority,
    horizon: input.horizon,
    verification: input.verification,
    ...(await linkColumns(tx, input.link)),
  };
}

function dueDateOrRefuse(day: string, now: Date): Date {
  const due = dueDayToDate(day);
  if (!due) throw new InvalidInputError("Choose a due date that exists.", "dueDay");
  if (day < todayDueDay(now)) throw new InvalidInputError("The due date cannot be in the past.", "dueDay");
  return due;
}

async function locateItem(input: { id: string }, db: Pick<Tx, "actionItem">): Promise<string | null> {
  return (await db.actionItem.findUnique({ where: { id: input.id }, select: { incidentId: true } }))?.incidentId ?? null;
}

async function currentItem(tx: Tx, id: string): Promise<ActionItem> {
  const item = await tx.actionItem.findUnique({ where: { id } });
  if (!item) throw new NotFoundError("No such action item (it may have been removed).");
  return item;
}

/** The item the caller means, as long as they read its current version. */
async function readAtVersion(tx: Tx, input: { id: string; version: number }): Promise<ActionItem> {
  const item = await currentItem(tx, input.id);
  if (item.version !== input.version) throw staleRefusal(item);
  return item;
}

/** Writes `data` against the version the caller read; refused as stale (with the item now) otherwise. */
async function writeVersioned(tx: Tx, input: { id: string; version: number }, data: Prisma.ActionItemUncheckedUpdateManyInput) {
  const { count } = await tx.actionItem.updateMany({
    where: { id: input.id, version: input.version },
    data: { ...data, version: { increment: 1 } },
  });
  if (count === 0) throw staleRefusal(await currentItem(tx, input.id));
  return currentItem(tx, input.id);
}

function staleRefusal(current: ActionItem): StaleError {
  return new StaleError(
    "Someone else changed this action item since you opened it. Its latest state is shown; make your change again if it still applies.",
    itemState(current),
  );
}

export const createActionItemChange = defineChange({
  action: "action_item.create",
  schema: createActionItemSchema,
  permission: "action_item:edit",
  target: (input) => ({ entityType: ACTION_ITEM_TARGET, incidentId: input.incidentId }),
  async apply({ tx, user, input, now, audit }) {
    const actor = user;
    const owner = await ownerOrRefuse(tx, input.ownerId);
    const dueDate = dueDateOrRefuse(input.dueDay, now);
    const item = await tx.actionItem.create({
      data: {
        incidentId: input.incidentId,
        ...(await writtenColumns(tx, input, owner.id, dueDate)),
        createdById: actor.id,
        createdAt: now,
        updatedAt: now,
      },
    });
    await recordTimelineEvent(tx, {
      incidentId: input.incidentId,
      kind: "ACTION_ITEM_ADDED",
      actorId: actor.id,
      at: now,
      message: `${actor.name} added action item "${item.title}" (${PRIORITY_LABELS[item.priority]}, owner ${owner.name}, due ${input.dueDay})`,
      payload: { actionItemId: item.id, after: itemState(item) },
    });
    Object.assign(audit, { entityId: item.id, details: { title: item.title, priority: item.priority, ownerId: owner.id } });
    return item;
  },
});

const FIELD_LABELS = {
  title: "title",
  ownerId: "owner",
  dueDay: "due date",
  priority: "priority",
  horizon: "horizon",
  verification: "verification",
  linkUrl: "link",
  linkRunbookId: "link",
  linkServiceId: "link",
} as const;

/** What the changes of one existing action item share: who may, the audit target, its incident. */
const ON_ONE_ITEM = {
  permission: "action_item:edit",
  target: (input: { id: string }) => ({ entityType: ACTION_ITEM_TARGET, entityId: input.id }),
  locate: locateItem,
} as const;

export const updateActionItemChange = defineChange({
  action: "action_item.update",
  schema: updateActionItemSchema,
  ...ON_ONE_ITEM,
  async apply({ tx, user, input, now, audit }) {
    const actor = user;
    const before = await readAtVersion(tx, input);
    const owner = await ownerOrRefuse(tx, input.ownerId);
    // An unchanged past due date stays (an overdue item can be retitled); a new one may not be past.
    const sameDue = before.dueDate !== null && dateToDueDay(before.dueDate) === input.dueDay;
    const dueDate = sameDue ? (before.dueDate as Date) : dueDateOrRefuse(input.dueDay, now);
    const after = await writeVersioned(tx, input, { ...(await writtenColumns(tx, input, owner.id, dueDate)), updatedAt: now });
    const [b, a] = [itemState(before), itemState(after)];
    const changed = [
      ...new Set((Object.keys(FIELD_LABELS) as (keyof typeof FIELD_LABELS)[]).filter((k) => b[k] !== a[k]).map((k) => FIELD_LABELS[k])),
    ];
    if (changed.length === 0) throw new ConflictError("Nothing to save: the action item already says this.");
    await recordTimelineEvent(tx, {
      incidentId: after.incidentId,
      kind: "ACTION_ITEM_UPDATED",
      actorId: actor.id,
      at: now,
      message: `${actor.name} changed the ${changed.join(", ")} of action item "${after.title}"`,
      payload: { actionItemId: after.id, before: b, after: a },
    });
    audit.details = { changed, version: after.version };
    return after;
  },
});

export const setActionItemStatusChange = defineChange({
  action: "action_item.set_status",
  schema: setActionItemStatusSchema,
  ...ON_ONE_ITEM,
  async apply({ tx, user, input, now, audit }) {
    const actor = user;
    const before = await readAtVersion(tx, input);
    if (before.status === input.status) {
      throw new ConflictError(`This action item is already ${STATUS_LABELS[input.status].toLowerCase()}.`, { field: "status" });
    }
    const done = input.status === "DONE";
    const after = await writeVersioned(tx, input, {
      status: input.status,
      // Reopening clears who closed it; the timeline keeps that they did.
      completedAt: done ? now : null,
      completedById: done ? actor.id : null,
      completionNote: done ? input.completionNote : null,
      updatedAt: now,
    });
    await recordTimelineEvent(tx, {
      incidentId: after.incidentId,
      kind: done ? "ACTION_ITEM_DONE" : "ACTION_ITEM_UPDATED",
      actorId: actor.id,
      at: now,
      message: done
        ? `${actor.name} closed action item "${after.title}" as done — verified: ${input.completionNote}`
        : `${actor.name} moved action item "${after.title}" from ${STATUS_LABELS[before.status].toLowerCase()} to ${STATUS_LABELS[after.status].toLowerCase()}`,
      payload: { actionItemId: after.id, from: before.status, to: after.status, ...(done ? { completionNote: input.completionNote } : {}) },
    });
    audit.details = { from: before.status, to: after.status, version: after.version };
    return after;
  },
});

export function createActionItem(actor: Actor, input: CreateActionItemInput) {
  return createActionItemChange.runOrThrow(actor, input);
}

export function setActionItemStatus(actor: Actor, input: SetActionItemStatusInput) {
  return setActionItemStatusChange.runOrThrow(actor, input);
}
