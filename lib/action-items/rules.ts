// Action items' pure rules: what a horizon proposes, when an item is overdue, when a rolled-back
// version is ready to deploy again, what a link may be. No I/O: tested in rules.test.ts.
import type { ActionItemHorizon, ActionItemPriority, ActionItemStatus } from "@/generated/prisma/enums";

export const PRIORITIES = ["HIGH", "MEDIUM", "LOW"] as const satisfies readonly ActionItemPriority[];
export const STATUSES = ["NOT_STARTED", "IN_PROGRESS", "DONE"] as const satisfies readonly ActionItemStatus[];
export const HORIZONS = ["IMMEDIATE", "SHORT_TERM", "LONG_TERM"] as const satisfies readonly ActionItemHorizon[];
export const OPEN_STATUSES = ["NOT_STARTED", "IN_PROGRESS"] as const satisfies readonly ActionItemStatus[];

export const PRIORITY_LABELS: Record<ActionItemPriority, string> = { HIGH: "High", MEDIUM: "Medium", LOW: "Low" };
export const STATUS_LABELS: Record<ActionItemStatus, string> = { NOT_STARTED: "Not started", IN_PROGRESS: "In progress", DONE: "Done" };
export const HORIZON_LABELS: Record<ActionItemHorizon, string> = {
  IMMEDIATE: "Immediate (0–7 days)",
  SHORT_TERM: "Short-term (1–4 weeks)",
  LONG_TERM: "Long-term (1–3 months)",
};

/** The due date a horizon proposes: the end of its range (7 days, 4 weeks, 3 months) from today. */
export const HORIZON_DAYS: Record<ActionItemHorizon, number> = { IMMEDIATE: 7, SHORT_TERM: 28, LONG_TERM: 90 };

const DAY_MS = 86_400_000;
export const DUE_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A due date is a calendar day, stored as its 00:00 UTC and shown as that day (never shifted by a
 * viewer's zone): "due 2026-12-12" means done by the end of the 12th.
 */
export function dueDayToDate(day: string): Date | null {
  if (!DUE_DAY.test(day)) return null;
  const d = new Date(`${day}T00:00:00.000Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day ? null : d;
}

export function dateToDueDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function todayDueDay(now: Date): string {
  return dateToDueDay(now);
}

export function proposeDueDay(horizon: ActionItemHorizon, now: Date): string {
  return dateToDueDay(new Date(now.getTime() + HORIZON_DAYS[horizon] * DAY_MS));
}

type ItemFields = {
  id: string;
  version: number;
  title: string;
  ownerId: string | null;
  dueDate: Date | null;
  priority: ActionItemPriority;
  horizon: ActionItemHorizon;
  verification: string;
  linkUrl: string | null;
  linkRunbookId: string | null;
  linkServiceId: string | null;
};

/** What an edit form starts from (and what a stale refusal and the timeline record). */
export function editableFields(item: ItemFields) {
  return {
    id: item.id,
    version: item.version,
    title: item.title,
    ownerId: item.ownerId,
    dueDay: item.dueDate ? dateToDueDay(item.dueDate) : null,
    priority: item.priority,
    horizon: item.horizon,
    verification: item.verification,
    linkUrl: item.linkUrl,
    linkRunbookId: item.linkRunbookId,
    linkServiceId: item.linkServiceId,
  };
}

export type EditableActionItem = ReturnType<typeof editableFields>;

/** Open and past the end of its due day. */
export function isOverdue(item: { status: ActionItemStatus; dueDate: Date | null }, now: Date): boolean {
  return item.status !== "DONE" && item.dueDate !== null && now.getTime() >= item.dueDate.getTime() + DAY_MS;
}

export type Readiness<T> = { ready: boolean; highTotal: number; highDone: number; blocking: T[] };

/**
 * The re-deployment plan's rule: the rolled-back version is ready to go out again only when every
 * HIGH action item linked to the incident is DONE. With no HIGH item at all, nothing blocks it.
 */
export function readinessOf<T extends { priority: ActionItemPriority; status: ActionItemStatus }>(items: readonly T[]): Readiness<T> {
  const high = items.filter((i) => i.priority === "HIGH");
  const blocking = high.filter((i) => i.status !== "DONE");
  return { ready: blocking.length === 0, highTotal: high.length, highDone: high.length - blocking.length, blocking };
}

/**
 * A link a person typed: an absolute http(s) URL without credentials in it (a pasted
 * "https://user:token@host" would put a secret on every page that shows the item). Returns why not.
 */
export function linkUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "Enter a full address starting with https:// or http://.";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "Only http:// and https:// links are allowed.";
  if (!/^https?:\/\//i.test(raw)) return "Enter a full address starting with https:// or http://.";
  if (url.username || url.password) return "Leave the user name and password out of the link.";
  return null;
}
