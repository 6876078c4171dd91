// What the REST API answers: one zod schema per resource (the OpenAPI document's components, and
// what the route test checks every answer against) and the reads that produce them.
import "server-only";
import { z } from "zod";
import {
  ActionItemHorizon,
  ActionItemPriority,
  ActionItemStatus,
  DecisionStatus,
  DecisionTier,
  DocumentKind,
  IncidentStatus,
  RollbackStrategy,
  RunStatus,
  Severity,
  StepState,
} from "@/generated/prisma/enums";
import { getDb } from "@/lib/db";
import { incidentRef } from "@/lib/incidents/schemas";
import { TIMELINE_CATEGORIES } from "@/lib/timeline/kinds";

const instant = z.iso.datetime({ offset: true }).meta({ description: "An instant, ISO 8601 in UTC." });
const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

export const incidentSchema = z
  .object({
    id: z.string(),
    number: z.number().int(),
    ref: z.string().meta({ example: "INC-7" }),
    title: z.string(),
    severity: z.enum(Severity),
    status: z.enum(IncidentStatus),
    service: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
    badVersion: z.string(),
    previousVersion: z.string(),
    summary: z.string(),
    deployedAt: instant,
    detectedAt: instant,
    declaredAt: instant,
    resolvedAt: instant.nullable(),
    impact: z.object({
      usersAffected: z.number().int().nullable(),
      supportTickets: z.number().int().nullable(),
      complaints: z.number().int().nullable(),
      failedTransactions: z.number().int().nullable(),
    }),
    version: z.number().int().meta({ description: "Optimistic-concurrency version of the incident." }),
  })
  .meta({ id: "Incident" });

const incidentSelect = {
  id: true,
  number: true,
  title: true,
  severity: true,
  status: true,
  badVersion: true,
  previousVersion: true,
  summary: true,
  deployedAt: true,
  detectedAt: true,
  declaredAt: true,
  resolvedAt: true,
  usersAffected: true,
  supportTickets: true,
  complaints: true,
  failedTransactions: true,
  version: true,
  service: { select: { id: true, slug: true, name: true } },
} as const;

type IncidentRow = Awaited<ReturnType<typeof findIncidents>>[number];

function findIncidents(args: { where?: object; take?: number; cursor?: number }) {
  return getDb().incident.findMany({
    where: { ...(args.where ?? {}), ...(args.cursor !== undefined ? { number: { lt: args.cursor } } : {}) },
    orderBy: { number: "desc" },
    take: args.take,
    select: incidentSelect,
  });
}

function toIncident(r: IncidentRow): z.input<typeof incidentSchema> {
  return {
    id: r.id,
    number: r.number,
    ref: incidentRef(r.number),
    title: r.title,
    severity: r.severity,
    status: r.status,
    service: r.service,
    badVersion: r.badVersion,
    previousVersion: r.previousVersion,
    summary: r.summary,
    deployedAt: iso(r.deployedAt),
    detectedAt: iso(r.detectedAt),
    declaredAt: iso(r.declaredAt),
    resolvedAt: isoOrNull(r.resolvedAt),
    impact: {
      usersAffected: r.usersAffected,
      supportTickets: r.supportTickets,
      complaints: r.complaints,
      failedTransactions: r.failedTransactions,
    },
    version: r.version,
  };
}

export type Page<T> = { items: T[]; nextCursor: string | null };

/** A page of a list, newest incident first; the cursor is the last incident's number. */
export async function readIncidentPage(
  filter: { status?: IncidentStatus; severity?: Severity; service?: string },
  limit: number,
  cursor?: number,
) {
  const rows = await findIncidents({
    where: {
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.severity ? { severity: filter.severity } : {}),
      ...(filter.service ? { service: { slug: filter.service } } : {}),
    },
    take: limit + 1,
    cursor,
  });
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  return { items: shown.map(toIncident), nextCursor: more ? String(shown.at(-1)?.number) : null };
}

export async function readIncident(number: number) {
  const row = await getDb().incident.findUnique({ where: { number }, select: incidentSelect });
  return row ? toIncident(row) : null;
}

export async function readIncidentById(id: string) {
  const row = await getDb().incident.findUnique({ where: { id }, select: incidentSelect });
  return row ? toIncident(row) : null;
}

export const deploymentSchema = z
  .object({
    id: z.string(),
    service: z.object({ slug: z.string(), name: z.string() }),
    version: z.string(),
    previousVersion: z.string().nullable(),
    environment: z.string(),
    deployedAt: instant,
    commit: z.string().nullable(),
    link: z.string().nullable(),
    openIncidents: z.array(z.string()).meta({ description: "The open incidents of the service whose timelines got this deploy." }),
  })
  .meta({ id: "Deployment" });

export const timelineEntrySchema = z
  .object({
    id: z.string(),
    at: instant,
    recordedAt: instant.nullable(),
    kind: z.string(),
    category: z.enum(TIMELINE_CATEGORIES),
    source: z.enum(["web", "API", "webhook", "system"]),
    sourceDetail: z.string().nullable(),
    actor: z.string().nullable(),
    message: z.string(),
    starred: z.boolean(),
    starredBy: z.string().nullable(),
    step: z.object({ result: z.string(), durationMs: z.number().nullable() }).nullable(),
    link: z.object({ href: z.string(), label: z.string() }).nullable(),
  })
  .meta({ id: "TimelineEntry" });

const approvalSchema = z.object({
  approver: z.string(),
  verdict: z.enum(["APPROVED", "REJECTED"]),
  reason: z.string(),
  at: instant,
  forCurrentPlan: z.boolean(),
});

export const decisionSchema = z
  .object({
    id: z.string(),
    tier: z.enum(DecisionTier),
    recommendedTier: z.enum(DecisionTier),
    strategy: z.enum(RollbackStrategy),
    reason: z.string(),
    decidedBy: z.string(),
    decidedAt: instant,
    status: z.enum(DecisionStatus),
    statusReason: z.string().nullable(),
    requiredApprovals: z.number().int(),
    approvals: z.array(approvalSchema),
    version: z.number().int(),
  })
  .meta({ id: "Decision" });

export async function readDecisions(incidentId: string): Promise<z.input<typeof decisionSchema>[]> {
  const rows = await getDb().decision.findMany({
    where: { incidentId },
    orderBy: [{ decidedAt: "desc" }, { id: "desc" }],
    include: {
      decidedBy: { select: { name: true } },
      approvals: { include: { approver: { select: { name: true } } }, orderBy: { createdAt: "asc" } },
    },
  });
  return rows.map((d) => ({
    id: d.id,
    tier: d.tier,
    recommendedTier: d.recommendedTier,
    strategy: d.strategy,
    reason: d.reason,
    decidedBy: d.decidedBy.name,
    decidedAt: iso(d.decidedAt),
    status: d.status,
    statusReason: d.statusReason,
    requiredApprovals: d.requiredApprovals,
    approvals: d.approvals.map((a) => ({
      approver: a.approver.name,
      verdict: a.verdict,
      reason: a.reason,
      at: iso(a.createdAt),
      forCurrentPlan: a.planHash === d.planHash,
    })),
    version: d.version,
  }));
}

const stepSchema = z.object({
  id: z.string(),
  position: z.number().int(),
  name: z.string(),
  executor: z.string(),
  destructive: z.boolean(),
  changesTraffic: z.boolean(),
  state: z.enum(StepState),
  attempts: z.number().int(),
  startedAt: instant.nullable(),
  endedAt: instant.nullable(),
  error: z.string().nullable(),
  resultNote: z.string().nullable(),
});

export const runSchema = z
  .object({
    id: z.string(),
    decisionId: z.string(),
    status: z.enum(RunStatus),
    startedBy: z.string().nullable(),
    startedAt: instant.nullable(),
    endedAt: instant.nullable(),
    abortReason: z.string().nullable(),
    steps: z.array(stepSchema),
  })
  .meta({ id: "RollbackRun" });

export async function readRuns(incidentId: string): Promise<z.input<typeof runSchema>[]> {
  const rows = await getDb().rollbackRun.findMany({
    where: { incidentId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    include: { startedBy: { select: { name: true } }, steps: { orderBy: { position: "asc" } } },
  });
  return rows.map((r) => ({
    id: r.id,
    decisionId: r.decisionId,
    status: r.status,
    startedBy: r.startedBy?.name ?? null,
    startedAt: isoOrNull(r.startedAt),
    endedAt: isoOrNull(r.endedAt),
    abortReason: r.abortReason,
    steps: r.steps.map((s) => ({
      id: s.id,
      position: s.position,
      name: s.name,
      executor: s.executor,
      destructive: s.destructive,
      changesTraffic: s.changesTraffic,
      state: s.state,
      attempts: s.attempts,
      startedAt: isoOrNull(s.startedAt),
      endedAt: isoOrNull(s.endedAt),
      error: s.error,
      resultNote: s.resultNote,
    })),
  }));
}

export const checklistSchema = z
  .object({
    id: z.string(),
    startedAt: instant,
    lockedAt: instant.nullable(),
    items: z.array(
      z.object({
        id: z.string(),
        key: z.string(),
        section: z.string(),
        label: z.string(),
        kind: z.string(),
        status: z.string(),
        value: z.string().nullable(),
        note: z.string().nullable(),
        automatic: z.boolean(),
        override: z.boolean(),
        updatedAt: instant,
        version: z.number().int(),
      }),
    ),
    signOffs: z.array(z.object({ role: z.string(), by: z.string(), at: instant })),
  })
  .meta({ id: "Checklist" });

export async function readChecklist(incidentId: string): Promise<z.input<typeof checklistSchema> | null> {
  const c = await getDb().checklist.findUnique({
    where: { incidentId },
    include: {
      items: { orderBy: { position: "asc" } },
      signOffs: { include: { user: { select: { name: true } } }, orderBy: { signedAt: "asc" } },
    },
  });
  if (!c) return null;
  return {
    id: c.id,
    startedAt: iso(c.startedAt),
    lockedAt: isoOrNull(c.lockedAt),
    items: c.items.map((i) => ({
      id: i.id,
      key: i.key,
      section: i.section,
      label: i.label,
      kind: i.kind,
      status: i.status,
      value: i.value,
      note: i.note,
      automatic: i.autoSatisfied,
      override: i.isOverride,
      updatedAt: iso(i.updatedAt),
      version: i.version,
    })),
    signOffs: c.signOffs.map((s) => ({ role: s.role, by: s.user.name, at: iso(s.signedAt) })),
  };
}

export const documentSchema = z
  .object({
    id: z.string(),
    kind: z.enum(DocumentKind),
    title: z.string(),
    currentVersion: z.number().int(),
    updatedAt: instant,
    markdownUrl: z.string().meta({ description: "The current version as Markdown (needs a browser session)." }),
    markdown: z.string().meta({ description: "The current version's Markdown." }),
  })
  .meta({ id: "Document" });

export async function readDocuments(incidentId: string): Promise<z.input<typeof documentSchema>[]> {
  const docs = await getDb().document.findMany({
    where: { incidentId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    include: { versions: { orderBy: { version: "desc" }, take: 1, select: { markdown: true } } },
  });
  return docs.map((d) => ({
    id: d.id,
    kind: d.kind,
    title: d.title,
    currentVersion: d.currentVersion,
    updatedAt: iso(d.updatedAt),
    markdownUrl: `/api/documents/${d.id}/markdown`,
    markdown: d.versions[0]?.markdown ?? "",
  }));
}

export const actionItemSchema = z
  .object({
    id: z.string(),
    incident: z.object({ number: z.number().int(), ref: z.string() }),
    title: z.string(),
    description: z.string(),
    owner: z.object({ id: z.string(), name: z.string() }).nullable(),
    dueDate: instant.nullable(),
    priority: z.enum(ActionItemPriority),
    horizon: z.enum(ActionItemHorizon),
    status: z.enum(ActionItemStatus),
    verification: z.string(),
    linkUrl: z.string().nullable(),
    completedAt: instant.nullable(),
    completionNote: z.string().nullable(),
    createdAt: instant,
    updatedAt: instant,
    version: z.number().int().meta({ description: "Send it back with an update: a stale one is refused (409)." }),
  })
  .meta({ id: "ActionItem" });

const actionItemInclude = { owner: { select: { id: true, name: true } }, incident: { select: { number: true } } } as const;

type ActionItemRow = NonNullable<Awaited<ReturnType<typeof findActionItem>>>;

function findActionItem(id: string) {
  return getDb().actionItem.findUnique({ where: { id }, include: actionItemInclude });
}

function toActionItem(a: ActionItemRow): z.input<typeof actionItemSchema> {
  return {
    id: a.id,
    incident: { number: a.incident.number, ref: incidentRef(a.incident.number) },
    title: a.title,
    description: a.description,
    owner: a.owner,
    dueDate: isoOrNull(a.dueDate),
    priority: a.priority,
    horizon: a.horizon,
    status: a.status,
    verification: a.verification,
    linkUrl: a.linkUrl,
    completedAt: isoOrNull(a.completedAt),
    completionNote: a.completionNote,
    createdAt: iso(a.createdAt),
    updatedAt: iso(a.updatedAt),
    version: a.version,
  };
}

export async function readActionItem(id: string) {
  const row = await findActionItem(id);
  return row ? toActionItem(row) : null;
}

/** Oldest first; the cursor is the last item's id (ids are unique, createdAt may tie). */
export async function readActionItemPage(
  where: { incidentId?: string; status?: ActionItemStatus; ownerId?: string },
  limit: number,
  cursor?: string,
) {
  const rows = await getDb().actionItem.findMany({
    where,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: limit + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    include: actionItemInclude,
  });
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  return { items: shown.map(toActionItem), nextCursor: more ? (shown.at(-1)?.id ?? null) : null };
}

export const statusUpdateSchema = z
  .object({
    id: z.string(),
    sequence: z.number().int().meta({ description: "Send the latest one's as `after` with a new update." }),
    status: z.string(),
    impact: z.string(),
    actions: z.string(),
    nextUpdateAt: instant.nullable(),
    author: z.string().nullable(),
    postedAt: instant,
  })
  .meta({ id: "StatusUpdate" });

/** Newest first; the cursor is the last update's sequence number. */
export async function readStatusUpdatePage(incidentId: string, limit: number, cursor?: number) {
  const rows = await getDb().statusUpdate.findMany({
    where: { incidentId, ...(cursor !== undefined ? { sequence: { lt: cursor } } : {}) },
    orderBy: { sequence: "desc" },
    take: limit + 1,
    include: { author: { select: { name: true } } },
  });
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  return {
    items: shown.map(
      (u): z.input<typeof statusUpdateSchema> => ({
        id: u.id,
        sequence: u.sequence,
        status: u.status,
        impact: u.impact,
        actions: u.actions,
        nextUpdateAt: isoOrNull(u.nextUpdateAt),
        author: u.author?.name ?? null,
        postedAt: iso(u.postedAt),
      }),
    ),
    nextCursor: more ? String(shown.at(-1)?.sequence) : null,
  };
}

export async function readStatusUpdate(id: string) {
  const page = await getDb().statusUpdate.findUnique({ where: { id }, select: { incidentId: true, sequence: true } });
  if (!page) return null;
  return (await readStatusUpdatePage(page.incidentId, 1, page.sequence + 1)).items[0] ?? null;
}

export const pageOf = <T extends z.ZodType>(item: T, id: string) =>
  z
    .object({
      items: z.array(item),
      nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null at the end." }),
    })
    .meta({ id });

export const listOf = <T extends z.ZodType>(item: T, id: string) => z.object({ items: z.array(item) }).meta({ id });
