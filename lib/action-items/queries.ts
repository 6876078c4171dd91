// Reads of action items: the global list (views, filters, counts), an incident's items, the
// re-deployment readiness rule, an owner's overdue reminders, and a service's earlier lessons.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { ActionItemPriority } from "@/generated/prisma/enums";
import { now as clockNow } from "@/lib/clock";
import { type Db, getDb } from "@/lib/db";
import { OPEN_STATUSES, type Readiness, readinessOf } from "./rules";

const DAY_MS = 86_400_000;

export const actionItemSelect = {
  id: true,
  incidentId: true,
  title: true,
  ownerId: true,
  dueDate: true,
  priority: true,
  horizon: true,
  status: true,
  verification: true,
  linkUrl: true,
  linkRunbookId: true,
  linkServiceId: true,
  createdAt: true,
  completedAt: true,
  completionNote: true,
  version: true,
  owner: { select: { id: true, name: true } },
  completedBy: { select: { id: true, name: true } },
  createdBy: { select: { id: true, name: true } },
  linkRunbook: { select: { id: true, name: true, service: { select: { slug: true } } } },
  linkService: { select: { id: true, name: true, slug: true } },
  incident: { select: { id: true, number: true, title: true } },
} satisfies Prisma.ActionItemSelect;

export type ActionItemRow = Prisma.ActionItemGetPayload<{ select: typeof actionItemSelect }>;

/** Overdue in SQL terms (rules.ts isOverdue): open and past the end of the due day. */
export function overdueWhere(now: Date): Prisma.ActionItemWhereInput {
  return { status: { in: [...OPEN_STATUSES] }, dueDate: { lte: new Date(now.getTime() - DAY_MS) } };
}

export type ActionItemView = "mine" | "overdue" | "open" | "all";
export const ACTION_ITEM_VIEWS: readonly ActionItemView[] = ["mine", "overdue", "open", "all"];

export type ActionItemFilters = {
  view: ActionItemView;
  priority?: ActionItemPriority;
  /** An incident number. */
  incident?: number;
};

function viewWhere(view: ActionItemView, userId: string, now: Date): Prisma.ActionItemWhereInput {
  if (view === "mine") return { ownerId: userId, status: { in: [...OPEN_STATUSES] } };
  if (view === "overdue") return overdueWhere(now);
  if (view === "open") return { status: { in: [...OPEN_STATUSES] } };
  return {};
}

const LIST_ORDER: Prisma.ActionItemOrderByWithRelationInput[] = [
  { status: "asc" },
  { dueDate: { sort: "asc", nulls: "last" } },
  { priority: "asc" },
  { createdAt: "asc" },
];

/** The global page: the items of a view and filters, with every view's count under the same filters. */
export async function listActionItems(filters: ActionItemFilters, userId: string, now = clockNow(), db: Db = getDb()) {
  const narrow: Prisma.ActionItemWhereInput = {
    ...(filters.priority ? { priority: filters.priority } : {}),
    ...(filters.incident ? { incident: { number: filters.incident } } : {}),
  };
  const [items, ...counts] = await Promise.all([
    db.actionItem.findMany({
      where: { AND: [narrow, viewWhere(filters.view, userId, now)] },
      orderBy: LIST_ORDER,
      take: 500,
      select: actionItemSelect,
    }),
    ...ACTION_ITEM_VIEWS.map((v) => db.actionItem.count({ where: { AND: [narrow, viewWhere(v, userId, now)] } })),
  ]);
  const viewCounts = Object.fromEntries(ACTION_ITEM_VIEWS.map((v, i) => [v, counts[i] ?? 0])) as Record<ActionItemView, number>;
  return { items, counts: viewCounts };
}

/** Incidents that have action items, for the page's incident filter. */
export function listIncidentsWithActionItems(db: Db = getDb()) {
  return db.incident.findMany({
    where: { actionItems: { some: {} } },
    orderBy: { number: "desc" },
    take: 200,
    select: { number: true, title: true },
  });
}

/** An incident's action items, open first, then by due date. */
export function listActionItemsForIncident(incidentId: string, db: Db = getDb()): Promise<ActionItemRow[]> {
  return db.actionItem.findMany({ where: { incidentId }, orderBy: LIST_ORDER, select: actionItemSelect });
}

export type RedeployReadiness = Readiness<{
  id: string;
  title: string;
  priority: ActionItemPriority;
  status: ActionItemRow["status"];
  owner: { id: string; name: string } | null;
  dueDate: Date | null;
}>;

/**
 * The re-deployment plan's readiness: "ready" only when every HIGH action item linked to the
 * incident is DONE (rules.ts readinessOf); `blocking` lists the HIGH items still open.
 */
export async function redeployReadiness(incidentId: string, db: Db = getDb()): Promise<RedeployReadiness> {
  const items = await db.actionItem.findMany({
    where: { incidentId },
    orderBy: LIST_ORDER,
    select: { id: true, title: true, priority: true, status: true, dueDate: true, owner: { select: { id: true, name: true } } },
  });
  return readinessOf(items);
}

/** The reminders an owner sees on sign-in: their open items past due, most overdue first. */
export function listOverdueForOwner(userId: string, now = clockNow(), db: Db = getDb()) {
  return db.actionItem.findMany({
    where: { ownerId: userId, ...overdueWhere(now) },
    orderBy: [{ dueDate: "asc" }, { priority: "asc" }],
    take: 20,
    select: { id: true, title: true, dueDate: true, priority: true, incident: { select: { number: true, title: true } } },
  });
}

/** Users an item may be given to (enabled ones), for the owner select. */
export function listAssignableUsers(db: Db = getDb()) {
  return db.user.findMany({ where: { disabledAt: null }, orderBy: { name: "asc" }, select: { id: true, name: true, role: true } });
}

/** What the create/edit form offers: people to own an item, the incident's service and its runbooks. */
export async function getActionItemFormOptions(incidentId: string, db: Db = getDb()) {
  const { service } = await db.incident.findUniqueOrThrow({
    where: { id: incidentId },
    select: { service: { select: { id: true, name: true } } },
  });
  const [users, runbooks] = await Promise.all([
    listAssignableUsers(db),
    db.runbook.findMany({ where: { serviceId: service.id, archivedAt: null }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
  ]);
  return { users: users.map((u) => ({ id: u.id, name: u.name })), runbooks, service };
}

/** What the incident's action-items section shows (components/action-items/incident-action-items.tsx). */
export type IncidentActionItemsData = Awaited<ReturnType<typeof loadIncidentActionItems>>;

/**
 * An incident's action items and, for someone who may edit them (`withForm`), the form's options;
 * `now` is the time their overdue marks are judged at.
 */
export async function loadIncidentActionItems(incidentId: string, withForm: boolean, now = clockNow()) {
  const [items, base] = await Promise.all([listActionItemsForIncident(incidentId), withForm ? getActionItemFormOptions(incidentId) : null]);
  return { items, options: base ? { ...base, nowIso: now.toISOString() } : null, now };
}

/**
 * An incident's action items for its documents (the RCA's action-items section), oldest first,
 * with every field the model has (a horizon, where there is one) and the owner's name.
 */
export async function listIncidentActionItemsForDocuments(incidentId: string) {
  return getDb().actionItem.findMany({
    where: { incidentId },
    orderBy: [{ dueDate: { sort: "asc", nulls: "last" } }, { createdAt: "asc" }],
    include: { owner: { select: { name: true } } },
  });
}
