// Reads of an incident's timeline: one screen at a time (keyset pages, so a 5,000-entry incident
// opens as fast as a small one), the counts behind the filters, and the milestones.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { TimelineKind } from "@/generated/prisma/enums";
import { getDb } from "@/lib/db";
import { executionIdsOf, type TimelineEntry, type TimelineRow, toEntry } from "./entries";
import { categoryOf, kindsOf, type TimelineCategory } from "./kinds";
import { computeMilestones, MILESTONE_KINDS, type Milestones } from "./milestones";
import type { TimelineQuery } from "./schemas";

/** Entries on the first screen; "Show more" loads the next as many. */
export const TIMELINE_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;

export type TimelinePage = {
  entries: TimelineEntry[];
  /** Where the next page starts, or null at the end. */
  nextCursor: string | null;
};

const rowSelect = {
  id: true,
  at: true,
  recordedAt: true,
  kind: true,
  source: true,
  message: true,
  payload: true,
  starredAt: true,
  actor: { select: { name: true } },
  starredBy: { select: { name: true } },
} satisfies Prisma.TimelineEventSelect;

function encodeCursor(row: { at: Date; id: string }): string {
  return Buffer.from(`${row.at.toISOString()}|${row.id}`).toString("base64url");
}

export function decodeCursor(cursor: string | null | undefined): { at: Date; id: string } | null {
  if (!cursor) return null;
  const [iso, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const at = new Date(iso ?? "");
  return id && !Number.isNaN(at.getTime()) ? { at, id } : null;
}

function whereOf(incidentId: string, query: TimelineQuery): Prisma.TimelineEventWhereInput {
  return {
    incidentId,
    ...(query.categories.length ? { kind: { in: kindsOf(query.categories) } } : {}),
    ...(query.starredOnly ? { starredAt: { not: null } } : {}),
  };
}

/** A page of the timeline in the query's order, after `cursor` (a page's `nextCursor`). */
export async function getTimelinePage(
  incidentId: string,
  incidentNumber: number,
  query: TimelineQuery,
  options: { cursor?: string | null; limit?: number } = {},
): Promise<TimelinePage> {
  const db = getDb();
  const limit = Math.min(Math.max(1, options.limit ?? TIMELINE_PAGE_SIZE), MAX_PAGE_SIZE);
  const dir = query.order === "newest" ? "desc" : "asc";
  const after = decodeCursor(options.cursor);
  const cmp = dir === "asc" ? "gt" : "lt";
  const where: Prisma.TimelineEventWhereInput = after
    ? { AND: [whereOf(incidentId, query), { OR: [{ at: { [cmp]: after.at } }, { at: after.at, id: { [cmp]: after.id } }] }] }
    : whereOf(incidentId, query);
  const rows: TimelineRow[] = await db.timelineEvent.findMany({
    where,
    orderBy: [{ at: dir }, { id: dir }],
    take: limit + 1,
    select: rowSelect,
  });
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const ids = executionIdsOf(shown);
  const executions = ids.length
    ? await db.stepExecution.findMany({ where: { id: { in: ids } }, select: { id: true, startedAt: true, endedAt: true } })
    : [];
  const byId = new Map(executions.map((e) => [e.id, e]));
  const last = shown.at(-1);
  return {
    entries: shown.map((r) => toEntry(r, incidentNumber, byId)),
    nextCursor: more && last ? encodeCursor(last) : null,
  };
}

/** Entries per filter category, and how many are starred. */
export async function getTimelineCounts(
  incidentId: string,
): Promise<{ total: number; starred: number; byCategory: Record<TimelineCategory, number> }> {
  const db = getDb();
  const [groups, starred] = await Promise.all([
    db.timelineEvent.groupBy({ by: ["kind"], where: { incidentId }, _count: { _all: true } }),
    db.timelineEvent.count({ where: { incidentId, starredAt: { not: null } } }),
  ]);
  const byCategory = { incident: 0, notes: 0, decision: 0, rollback: 0, verification: 0, documents: 0, actions: 0 } as Record<
    TimelineCategory,
    number
  >;
  let total = 0;
  for (const g of groups) {
    byCategory[categoryOf(g.kind)] += g._count._all;
    total += g._count._all;
  }
  return { total, starred, byCategory };
}

/** Every entry, oldest first (the exports). */
export async function getWholeTimeline(incidentId: string, incidentNumber: number): Promise<TimelineEntry[]> {
  const db = getDb();
  const rows: TimelineRow[] = await db.timelineEvent.findMany({
    where: { incidentId },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    select: rowSelect,
  });
  const ids = executionIdsOf(rows);
  const executions = ids.length
    ? await db.stepExecution.findMany({ where: { id: { in: ids } }, select: { id: true, startedAt: true, endedAt: true } })
    : [];
  return rows.map((r) => toEntry(r, incidentNumber, new Map(executions.map((e) => [e.id, e]))));
}

/** The milestones bar of an incident (lib/timeline/milestones.ts), from the entries it needs. */
export async function getMilestones(incidentId: string): Promise<Milestones> {
  const db = getDb();
  const [incident, events] = await Promise.all([
    db.incident.findUnique({ where: { id: incidentId }, select: { deployedAt: true, detectedAt: true, status: true } }),
    db.timelineEvent.findMany({
      where: { incidentId, kind: { in: [...MILESTONE_KINDS] as TimelineKind[] } },
      orderBy: [{ at: "asc" }, { id: "asc" }],
      select: { kind: true, at: true, payload: true },
    }),
  ]);
  const stepIds = events
    .filter((e) => e.kind === "STEP_SUCCEEDED" || e.kind === "STEP_MARKED_DONE")
    .map((e) => (e.payload as { stepId?: unknown } | null)?.stepId)
    .filter((id): id is string => typeof id === "string");
  const steps = stepIds.length
    ? await db.rollbackStep.findMany({ where: { id: { in: stepIds } }, select: { id: true, changesTraffic: true, destructive: true } })
    : [];
  const stepById = new Map(steps.map((s) => [s.id, s]));
  return computeMilestones(
    { deployedAt: incident?.deployedAt ?? null, detectedAt: incident?.detectedAt ?? null, resolved: incident?.status === "RESOLVED" },
    events.map((e) => ({ ...e, step: stepById.get(String((e.payload as { stepId?: unknown } | null)?.stepId)) ?? null })),
  );
}
