// The checklist as the browser sees it: plain JSON (ISO times), the same shape in the page's first
// render, in the snapshot a reconnecting browser fetches, and in each live "checklist" event.
import type { Prisma } from "@/generated/prisma/client";
import type {
  ChecklistItemKind,
  ChecklistItemStatus,
  ChecklistSection,
  MetricKind,
  SignOffRole,
  SystemStability,
} from "@/generated/prisma/enums";

export type Person = { id: string; name: string };

export type ItemView = {
  id: string;
  key: string;
  section: ChecklistSection;
  position: number;
  label: string;
  description: string;
  kind: ChecklistItemKind;
  metric: MetricKind | null;
  tolerance: number | null;
  absoluteMax: number | null;
  notBefore: string | null;
  dueAt: string | null;
  status: ChecklistItemStatus;
  value: string | null;
  note: string | null;
  testResult: string | null;
  autoSatisfied: boolean;
  satisfiedValue: number | null;
  satisfiedBaseline: number | null;
  satisfiedAt: string | null;
  isOverride: boolean;
  /** Null with a version above 1: the automatic metric check changed it. */
  updatedBy: Person | null;
  updatedAt: string;
  version: number;
};

export type SignOffView = {
  id: string;
  role: SignOffRole;
  user: Person;
  rollbackSuccessful: boolean;
  systemStable: SystemStability;
  outstandingIssues: string;
  comments: string;
  signedAt: string;
};

export type ChecklistView = {
  id: string;
  incidentId: string;
  version: number;
  startedAt: string;
  startedBy: Person | null;
  rollbackEndedAt: string;
  restoreRan: boolean;
  templateVersion: number | null;
  lockedAt: string | null;
  lockedBy: Person | null;
  waiver: { reason: string; at: string | null; by: Person | null } | null;
  items: ItemView[];
  signOffs: SignOffView[];
  report: { version: number; updatedAt: string } | null;
};

/** What a live "checklist" event carries: an item's new state, or "something else changed, refetch". */
export type ChecklistEvent = { type: "item"; item: ItemView } | { type: "checklist"; reason: string };

const person = { select: { id: true, name: true } } as const;

export const itemSelect = {
  id: true,
  key: true,
  section: true,
  position: true,
  label: true,
  description: true,
  kind: true,
  metric: true,
  tolerance: true,
  absoluteMax: true,
  notBefore: true,
  dueAt: true,
  status: true,
  value: true,
  note: true,
  testResult: true,
  autoSatisfied: true,
  satisfiedValue: true,
  satisfiedBaseline: true,
  satisfiedAt: true,
  isOverride: true,
  updatedBy: person,
  updatedAt: true,
  version: true,
} satisfies Prisma.ChecklistItemSelect;

export type ItemRow = Prisma.ChecklistItemGetPayload<{ select: typeof itemSelect }>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toItemView(row: ItemRow): ItemView {
  return {
    ...row,
    notBefore: iso(row.notBefore),
    dueAt: iso(row.dueAt),
    satisfiedAt: iso(row.satisfiedAt),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export const checklistSelect = {
  id: true,
  incidentId: true,
  version: true,
  startedAt: true,
  startedBy: person,
  rollbackEndedAt: true,
  restoreRan: true,
  templateVersion: true,
  lockedAt: true,
  lockedBy: person,
  signOffWaivedReason: true,
  signOffWaivedAt: true,
  signOffWaivedBy: person,
  items: { orderBy: { position: "asc" }, select: itemSelect },
  signOffs: {
    where: { withdrawnAt: null },
    orderBy: { signedAt: "asc" },
    select: {
      id: true,
      role: true,
      user: person,
      rollbackSuccessful: true,
      systemStable: true,
      outstandingIssues: true,
      comments: true,
      signedAt: true,
    },
  },
} satisfies Prisma.ChecklistSelect;

export type ChecklistRow = Prisma.ChecklistGetPayload<{ select: typeof checklistSelect }>;

export function toChecklistView(row: ChecklistRow, report: ChecklistView["report"]): ChecklistView {
  return {
    id: row.id,
    incidentId: row.incidentId,
    version: row.version,
    startedAt: row.startedAt.toISOString(),
    startedBy: row.startedBy,
    rollbackEndedAt: row.rollbackEndedAt.toISOString(),
    restoreRan: row.restoreRan,
    templateVersion: row.templateVersion,
    lockedAt: iso(row.lockedAt),
    lockedBy: row.lockedBy,
    waiver: row.signOffWaivedReason ? { reason: row.signOffWaivedReason, at: iso(row.signOffWaivedAt), by: row.signOffWaivedBy } : null,
    items: row.items.map(toItemView),
    signOffs: row.signOffs.map((s) => ({ ...s, signedAt: s.signedAt.toISOString() })),
    report,
  };
}

/** Merges an item's state into a list, keeping whichever version is newer (live events can arrive late or twice). */
export function mergeItem(items: readonly ItemView[], incoming: ItemView): ItemView[] {
  let changed = false;
  const next = items.map((i) => {
    if (i.id !== incoming.id || incoming.version <= i.version) return i;
    changed = true;
    return incoming;
  });
  return changed ? next : (items as ItemView[]);
}

/** A fresh snapshot wins for every item it has at a newer or equal version; items newer locally stay. */
export function mergeSnapshot(current: ChecklistView, snapshot: ChecklistView): ChecklistView {
  const local = new Map(current.items.map((i) => [i.id, i]));
  return {
    ...snapshot,
    items: snapshot.items.map((s) => {
      const mine = local.get(s.id);
      return mine && mine.version > s.version ? mine : s;
    }),
  };
}
