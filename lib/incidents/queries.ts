// Reads for the incident screens.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { getDb } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { type IncidentFilters, ONGOING_STATUSES } from "./schemas";

export const PAGE_SIZE = 20;

const listSelect = {
  id: true,
  number: true,
  title: true,
  severity: true,
  status: true,
  badVersion: true,
  previousVersion: true,
  deployedAt: true,
  detectedAt: true,
  declaredAt: true,
  resolvedAt: true,
  service: { select: { id: true, name: true, slug: true } },
} satisfies Prisma.IncidentSelect;

export type IncidentListRow = Prisma.IncidentGetPayload<{ select: typeof listSelect }>;

function baseWhere(filters: IncidentFilters): Prisma.IncidentWhereInput {
  const where: Prisma.IncidentWhereInput = {};
  if (filters.severity) where.severity = filters.severity;
  if (filters.service) where.service = { slug: filters.service };
  const q = filters.q;
  if (q) {
    const ref = /^(?:inc-)?(\d{1,9})$/i.exec(q);
    where.OR = [
      { title: { contains: q, mode: "insensitive" } },
      { summary: { contains: q, mode: "insensitive" } },
      { badVersion: { contains: q, mode: "insensitive" } },
      { service: { name: { contains: q, mode: "insensitive" } } },
      ...(ref ? [{ number: Number(ref[1]) }] : []),
    ];
  }
  return where;
}

/** Ongoing incidents first (all of them: there are few and each matters), then a page of the rest. */
export async function listIncidents(filters: IncidentFilters) {
  const db = getDb();
  const where = baseWhere(filters);
  const wantOngoing = !filters.status || filters.status === "ongoing" || ONGOING_STATUSES.includes(filters.status as never);
  const wantRecent = !filters.status || filters.status === "resolved" || filters.status === "RESOLVED";
  const ongoingStatuses =
    filters.status && filters.status !== "ongoing" ? [filters.status as (typeof ONGOING_STATUSES)[number]] : ONGOING_STATUSES;

  const [ongoing, recent, recentTotal] = await Promise.all([
    wantOngoing
      ? db.incident.findMany({
          where: { ...where, status: { in: ongoingStatuses } },
          orderBy: [{ severity: "asc" }, { declaredAt: "desc" }],
          take: 100,
          select: listSelect,
        })
      : [],
    wantRecent
      ? db.incident.findMany({
          where: { ...where, status: "RESOLVED" },
          // Recently resolved first.
          orderBy: [{ resolvedAt: { sort: "desc", nulls: "last" } }, { declaredAt: "desc" }],
          skip: (filters.page - 1) * PAGE_SIZE,
          take: PAGE_SIZE,
          select: listSelect,
        })
      : [],
    wantRecent ? db.incident.count({ where: { ...where, status: "RESOLVED" } }) : 0,
  ]);
  return { ongoing, recent, recentTotal, pageCount: Math.max(1, Math.ceil(recentTotal / PAGE_SIZE)) };
}

export async function getIncidentOrThrow(id: string) {
  const incident = await getDb().incident.findUnique({
    where: { id },
    include: {
      service: { select: { id: true, name: true, slug: true, ownerTeam: true, availabilityTarget: true } },
      release: { select: { id: true, version: true, deployedAt: true } },
      declaredBy: { select: { id: true, name: true } },
      impactUpdatedBy: { select: { id: true, name: true } },
    },
  });
  if (!incident) throw new NotFoundError("No such incident.");
  return incident;
}

export async function getIncidentByNumber(number: number) {
  return getDb().incident.findUnique({ where: { number }, select: { id: true, number: true, serviceId: true } });
}

export async function listServiceOptions() {
  return getDb().service.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, slug: true } });
}

/** Each service's latest deploy: the declare form proposes its version, previous version and time. */
export async function getLatestReleases() {
  const releases = await getDb().release.findMany({
    distinct: ["serviceId"],
    orderBy: [{ serviceId: "asc" }, { deployedAt: "desc" }],
    select: { serviceId: true, version: true, previousVersion: true, deployedAt: true, environment: true, commitSha: true },
  });
  return releases;
}
