// The incident as the post-mortem sees it: facts, who took part and how, timeline, action items.
// Read inside the change's transaction (so the agenda matches what it was generated from).
import "server-only";
import type { Db, Tx } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import type { RcaContent } from "@/lib/rca/content";
import type { AgendaFacts, Person } from "./agenda";

// Item-by-item checklist edits are many and say little in a meeting; the rest of the timeline is read out.
const TIMELINE_LEFT_OUT = new Set(["CHECKLIST_ITEM_UPDATED"]);

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

/** The incident's user impact, as responders recorded it. */
export const impactOf = (i: AgendaFacts["impact"]): AgendaFacts["impact"] => ({
  usersAffected: i.usersAffected,
  supportTickets: i.supportTickets,
  complaints: i.complaints,
  failedTransactions: i.failedTransactions,
});

/** The people's parts of the RCA that a post-mortem reads out. */
function rcaPoints(rca: RcaContent | undefined): AgendaFacts["rca"] {
  const h = rca?.human;
  if (!h) return null;
  return {
    rootCause: h.rootCause.immediate.trim(),
    wentWell: h.outcomes.wentWell.trim(),
    wentWrong: h.outcomes.wentWrong.trim(),
    lessons: [...h.lessons.technical, ...h.lessons.process].map((l) => l.trim()).filter(Boolean),
  };
}

export async function loadAgendaFacts(db: Db | Tx, incidentId: string): Promise<AgendaFacts> {
  const i = await db.incident.findUnique({
    where: { id: incidentId },
    include: {
      service: { select: { name: true } },
      declaredBy: { select: { id: true, name: true, email: true } },
      checklist: {
        select: {
          lockedAt: true,
          signOffs: { where: { withdrawnAt: null }, select: { role: true, user: { select: { id: true, name: true, email: true } } } },
        },
      },
      decisions: {
        orderBy: { decidedAt: "desc" },
        select: {
          tier: true,
          strategy: true,
          reason: true,
          decidedAt: true,
          status: true,
          decidedBy: { select: { id: true, name: true, email: true } },
          approvals: { where: { verdict: "APPROVED" }, select: { approver: { select: { id: true, name: true, email: true } } } },
        },
      },
      rollbackRuns: {
        orderBy: { createdAt: "desc" },
        take: 1,
        select: {
          status: true,
          startedAt: true,
          endedAt: true,
          startedBy: { select: { id: true, name: true, email: true } },
          steps: {
            orderBy: { position: "asc" },
            select: {
              name: true,
              state: true,
              attempts: true,
              executions: { select: { requestedBy: { select: { id: true, name: true, email: true } } } },
            },
          },
        },
      },
      timelineEvents: {
        orderBy: [{ at: "asc" }, { id: "asc" }],
        select: { at: true, kind: true, message: true, actor: { select: { id: true, name: true, email: true } } },
      },
      documents: {
        where: { kind: "RCA", runId: null },
        select: { versions: { orderBy: { version: "desc" }, take: 1, select: { content: true } } },
      },
      actionItems: {
        orderBy: { createdAt: "asc" },
        select: { title: true, priority: true, status: true, dueDate: true, owner: { select: { name: true } } },
      },
    },
  });
  if (!i) throw new NotFoundError("No such incident.");

  const people = new Map<string, Person>();
  const person = (u: { id: string; name: string; email: string } | null | undefined, did?: string) => {
    if (!u) return null;
    let p = people.get(u.id);
    if (!p) {
      p = { id: u.id, name: u.name, email: u.email, did: [], releaseManager: false, technicalLead: false };
      people.set(u.id, p);
    }
    if (did && !p.did.includes(did)) p.did.push(did);
    return p;
  };
  person(i.declaredBy, "declared the incident");
  const decision = i.decisions.find((d) => d.status !== "REJECTED" && d.status !== "VOIDED") ?? i.decisions[0] ?? null;
  for (const d of i.decisions) {
    person(d.decidedBy, "proposed the rollback");
    for (const a of d.approvals) {
      const p = person(a.approver, "approved the rollback");
      if (p) p.releaseManager = true;
    }
  }
  const run = i.rollbackRuns[0] ?? null;
  if (run) {
    person(run.startedBy, "started the rollback");
    for (const s of run.steps) for (const e of s.executions) person(e.requestedBy, "ran rollback steps");
  }
  for (const s of i.checklist?.signOffs ?? []) {
    const p = person(
      s.user,
      `signed off as ${s.role === "DEVOPS" ? "DevOps engineer" : s.role === "TECH_LEAD" ? "technical lead" : "release manager"}`,
    );
    if (p && s.role === "RELEASE_MANAGER") p.releaseManager = true;
    if (p && s.role === "TECH_LEAD") p.technicalLead = true;
  }
  for (const e of i.timelineEvents) person(e.actor, e.kind === "CHECKLIST_ITEM_UPDATED" ? "worked the verification checklist" : undefined);
  for (const p of people.values()) if (p.did.length === 0) p.did.push("took part in the response");

  return {
    incident: {
      number: i.number,
      title: i.title,
      service: i.service.name,
      severity: i.severity,
      status: i.status,
      badVersion: i.badVersion,
      previousVersion: i.previousVersion,
      deployedAt: i.deployedAt.toISOString(),
      detectedAt: i.detectedAt.toISOString(),
      declaredAt: i.declaredAt.toISOString(),
      resolvedAt: iso(i.resolvedAt),
      summary: i.summary,
    },
    impact: impactOf(i),
    signedOffAt: iso(i.checklist?.lockedAt),
    decision: decision
      ? { tier: decision.tier, strategy: decision.strategy, reason: decision.reason, decidedAt: decision.decidedAt.toISOString() }
      : null,
    run: run
      ? {
          status: run.status,
          startedAt: iso(run.startedAt),
          endedAt: iso(run.endedAt),
          failedSteps: run.steps.filter((s) => s.attempts > 1 || s.state === "FAILED" || s.state === "INTERRUPTED").map((s) => s.name),
        }
      : null,
    people: [...people.values()],
    timeline: i.timelineEvents
      .filter((e) => !TIMELINE_LEFT_OUT.has(e.kind))
      .map((e) => ({ at: e.at.toISOString(), kind: e.kind, message: e.message, actor: e.actor?.name ?? null })),
    rca: rcaPoints(i.documents[0]?.versions[0]?.content as RcaContent | undefined),
    actionItems: i.actionItems.map((a) => ({
      title: a.title,
      owner: a.owner?.name ?? null,
      dueDate: iso(a.dueDate),
      priority: String(a.priority),
      status: String(a.status),
    })),
  };
}
