import "server-only";
import type { RollbackStrategy } from "@/generated/prisma/enums";
import { getDb } from "@/lib/db";
import { type PlanStep, parsePlan } from "@/lib/rollback/plans";
import { diffSteps } from "./diff";
import { checkRunbook } from "./rules";

/** A service's runbooks (active first), each with its current version's steps. */
export async function listRunbooks(serviceId: string) {
  const runbooks = await getDb().runbook.findMany({
    where: { serviceId },
    orderBy: [{ archivedAt: { sort: "desc", nulls: "first" } }, { name: "asc" }],
    include: {
      versions: { orderBy: { version: "desc" }, take: 1, include: { createdBy: { select: { name: true } } } },
    },
  });
  return runbooks.map(({ versions, ...r }) => {
    const current = versions[0];
    return {
      ...r,
      steps: current ? parsePlan(current.steps) : [],
      savedAt: current?.createdAt ?? r.createdAt,
      savedBy: current?.createdBy?.name ?? null,
    };
  });
}

/** The unarchived runbooks of a service, for choosing the one a plan is built from. */
export async function listActiveRunbooks(serviceId: string) {
  return getDb().runbook.findMany({
    where: { serviceId, archivedAt: null },
    orderBy: { name: "asc" },
    select: { id: true, name: true, strategy: true, currentVersion: true },
  });
}

/** One runbook with its service, its current steps and every version, newest first, each with its diff from the one before. */
export async function getRunbookWithHistory(runbookId: string) {
  const runbook = await getDb().runbook.findUnique({
    where: { id: runbookId },
    include: {
      service: { select: { id: true, slug: true, name: true } },
      versions: {
        orderBy: { version: "desc" },
        include: {
          createdBy: { select: { name: true } },
          decisions: { select: { id: true, incident: { select: { number: true } } }, orderBy: { decidedAt: "desc" } },
          revision: { select: { lesson: true, incident: { select: { number: true } } } },
        },
      },
    },
  });
  if (!runbook) return null;
  const versions = runbook.versions.map((v) => ({ ...v, steps: parsePlan(v.steps) }));
  const history = versions.map((v, i) => ({
    id: v.id,
    version: v.version,
    note: v.note,
    createdAt: v.createdAt,
    createdBy: v.createdBy?.name ?? null,
    steps: v.steps.length,
    changes: diffSteps(versions[i + 1]?.steps ?? [], v.steps),
    usedBy: [...new Set(v.decisions.map((d) => d.incident.number))],
    /** The incident whose lesson this version came from (a published revision). */
    fromIncident: v.revision ? { number: v.revision.incident.number, lesson: v.revision.lesson } : null,
  }));
  const current = versions.find((v) => v.version === runbook.currentVersion) ?? versions[0];
  return { ...runbook, versions: undefined, steps: current?.steps ?? [], history };
}

/** What the current checks say of a saved version (rules may be stricter than when it was saved; variables may be unset). */
export function runbookIssues(strategy: RollbackStrategy, steps: PlanStep[]) {
  return checkRunbook(strategy, steps, process.env).issues;
}
