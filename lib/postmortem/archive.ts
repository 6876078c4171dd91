// The whole incident record as one zip archive, laid out as the runbook's "upon completion" asks:
//   assessment/            the incident's facts, impact and the criteria ticked by hand
//   metrics-at-decision/   each decision's frozen evidence (metrics against baseline, criteria, probes)
//   preparation/           each decision: tier, strategy, reason, plan, approvals
//   execution/             each run, and each step's record and output (one .log per step)
//   verification/          the checklist with its sign-offs, and the verification report
//   analysis/              the timeline and the root-cause analysis
//   documentation/         the post-mortem agenda (and invitation), the re-deployment plan, the
//                          rollback summaries, the action items, and an index of the archive
// Zipped with fflate (small, dependency-free, well kept), synchronously: a record is documents and
// step logs (at most 5,000 lines a step), well under what a request can hold in memory.
import "server-only";
import { strToU8, type Zippable, zipSync } from "fflate";
import type { DocumentKind } from "@/generated/prisma/enums";
import { getChecklistView } from "@/lib/checklist/queries";
import { type Db, getDb } from "@/lib/db";
import { bulletList, heading, markdownDocument, paragraph, renderMarkdown } from "@/lib/documents/markdown";
import { type AgendaContent, renderAgendaIcs } from "./agenda";
import { impactOf } from "./facts";

/** Where each kind of document goes. */
export const DOCUMENT_FOLDER: Record<DocumentKind, string> = {
  ROLLBACK_SUMMARY: "execution",
  VERIFICATION_REPORT: "verification",
  RCA: "analysis",
  POSTMORTEM_AGENDA: "documentation",
  REDEPLOY_PLAN: "documentation",
};

export const ARCHIVE_FOLDERS = [
  "assessment",
  "metrics-at-decision",
  "preparation",
  "execution",
  "verification",
  "analysis",
  "documentation",
] as const;

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const pad = (n: number) => String(n).padStart(2, "0");
/** A file name part from text people typed: letters, digits and dashes only. */
export const slugify = (text: string) =>
  text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40) || "untitled";

async function loadRecord(db: Db, incidentId: string) {
  return db.incident.findUniqueOrThrow({
    where: { id: incidentId },
    include: {
      service: { select: { name: true, slug: true } },
      declaredBy: { select: { name: true } },
      decisions: {
        orderBy: { decidedAt: "asc" },
        include: {
          decidedBy: { select: { name: true } },
          evidence: true,
          approvals: { orderBy: { createdAt: "asc" }, include: { approver: { select: { name: true } } } },
          runbookVersion: { select: { version: true, runbook: { select: { name: true } } } },
        },
      },
      rollbackRuns: {
        orderBy: { createdAt: "asc" },
        include: {
          startedBy: { select: { name: true } },
          abortedBy: { select: { name: true } },
          steps: {
            orderBy: { position: "asc" },
            include: {
              lastActor: { select: { name: true } },
              executions: { orderBy: { attempt: "asc" }, include: { requestedBy: { select: { name: true } } } },
              logLines: { orderBy: { id: "asc" }, select: { ts: true, stream: true, line: true, executionId: true } },
            },
          },
        },
      },
      timelineEvents: { orderBy: [{ at: "asc" }, { id: "asc" }], include: { actor: { select: { name: true } } } },
      actionItems: { orderBy: { createdAt: "asc" }, include: { owner: { select: { name: true } } } },
      documents: {
        orderBy: [{ kind: "asc" }, { createdAt: "asc" }],
        include: { versions: { orderBy: { version: "desc" }, take: 1 } },
      },
    },
  });
}

/** The archive's files by path (inside a top folder named after the incident). */
export async function incidentArchiveFiles(incidentId: string, db: Db = getDb()): Promise<Record<string, string>> {
  const i = await loadRecord(db, incidentId);
  const checklist = await getChecklistView(incidentId, db);
  const files: Record<string, string> = {};
  const put = (path: string, content: string) => {
    files[`INC-${i.number}/${path}`] = content;
  };

  put(
    "assessment/incident.json",
    json({
      number: i.number,
      title: i.title,
      service: i.service,
      severity: i.severity,
      status: i.status,
      source: i.source,
      badVersion: i.badVersion,
      previousVersion: i.previousVersion,
      deployedAt: i.deployedAt,
      detectedAt: i.detectedAt,
      declaredAt: i.declaredAt,
      declaredBy: i.declaredBy?.name ?? null,
      resolvedAt: i.resolvedAt,
      summary: i.summary,
      impact: { ...impactOf(i), updatedAt: i.impactUpdatedAt },
      manualCriteria: i.manualCriteria,
    }),
  );

  i.decisions.forEach((d, n) => {
    const name = `decision-${n + 1}`;
    const e = d.evidence;
    put(
      `metrics-at-decision/${name}-evidence.json`,
      json({
        takenAt: e.takenAt,
        baseline: { from: e.baselineFrom, to: e.baselineTo },
        current: { from: e.currentFrom, to: e.currentTo },
        metrics: e.metrics,
        criteria: e.criteria,
        probes: e.probes,
        impact: e.impact,
      }),
    );
    put(
      `preparation/${name}.json`,
      json({
        decidedAt: d.decidedAt,
        decidedBy: d.decidedBy.name,
        tier: d.tier,
        recommendedTier: d.recommendedTier,
        strategy: d.strategy,
        reason: d.reason,
        status: d.status,
        statusReason: d.statusReason,
        runbook: d.runbookVersion ? { name: d.runbookVersion.runbook.name, version: d.runbookVersion.version } : null,
        requiredApprovals: d.requiredApprovals,
        approvals: d.approvals.map((a) => ({
          by: a.approver.name,
          verdict: a.verdict,
          reason: a.reason,
          at: a.createdAt,
          forPlan: a.planHash,
        })),
        planHash: d.planHash,
        plan: d.plan,
      }),
    );
  });

  i.rollbackRuns.forEach((r, n) => {
    const dir = `execution/run-${n + 1}`;
    put(
      `${dir}/run.json`,
      json({
        status: r.status,
        decision: i.decisions.findIndex((d) => d.id === r.decisionId) + 1,
        startedAt: r.startedAt,
        startedBy: r.startedBy?.name ?? null,
        endedAt: r.endedAt,
        abortedBy: r.abortedBy?.name ?? null,
        abortReason: r.abortReason,
        steps: r.steps.map((s) => ({ position: s.position + 1, name: s.name, state: s.state })),
      }),
    );
    for (const s of r.steps) {
      const base = `${dir}/step-${pad(s.position + 1)}-${slugify(s.name)}`;
      put(
        `${base}.json`,
        json({
          name: s.name,
          executor: s.executor,
          destructive: s.destructive,
          state: s.state,
          attempts: s.attempts,
          startedAt: s.startedAt,
          endedAt: s.endedAt,
          lastActor: s.lastActor?.name ?? null,
          resultNote: s.resultNote,
          error: s.error,
          output: s.output,
          executions: s.executions.map((x) => ({
            attempt: x.attempt,
            state: x.state,
            requestedBy: x.requestedBy?.name ?? null,
            startedAt: x.startedAt,
            endedAt: x.endedAt,
            exitCode: x.exitCode,
            httpStatus: x.httpStatus,
            error: x.error,
            stopReason: x.stopReason,
          })),
        }),
      );
      const attemptOf = new Map(s.executions.map((x) => [x.id, x.attempt]));
      put(
        `${base}.log`,
        s.logLines.length === 0
          ? "(this step wrote no output)\n"
          : s.logLines
              .map(
                (l) =>
                  `${l.ts.toISOString()} ${l.executionId ? `#${attemptOf.get(l.executionId) ?? "?"} ` : ""}${l.stream.toLowerCase()} ${l.line}`,
              )
              .join("\n")
              .concat("\n"),
      );
    }
  });

  put("verification/checklist.json", json(checklist ?? { started: false }));

  put(
    "analysis/timeline.md",
    renderMarkdown(
      markdownDocument([
        heading(1, `Timeline — INC-${i.number}`),
        bulletList(i.timelineEvents.map((e) => `${e.at.toISOString()} ${e.kind}${e.actor ? ` (${e.actor.name})` : ""}: ${e.message}`)),
      ]),
    ),
  );
  put(
    "analysis/timeline.json",
    json(
      i.timelineEvents.map((e) => ({
        at: e.at,
        kind: e.kind,
        source: e.source,
        actor: e.actor?.name ?? null,
        message: e.message,
        payload: e.payload,
      })),
    ),
  );

  put(
    "documentation/action-items.json",
    json(i.actionItems.map(({ incidentId: _incident, ownerId: _ownerId, owner, ...a }) => ({ ...a, owner: owner?.name ?? null }))),
  );

  const documents: string[] = [];
  for (const d of i.documents) {
    const v = d.versions[0];
    if (!v) continue;
    const name = `${DOCUMENT_FOLDER[d.kind] ?? "documentation"}/${slugify(d.kind)}${d.runId ? `-run-${i.rollbackRuns.findIndex((r) => r.id === d.runId) + 1}` : ""}-v${v.version}`;
    put(`${name}.md`, v.markdown);
    documents.push(`${name}.md — ${d.title}`);
    if (d.kind === "POSTMORTEM_AGENDA") {
      put(`${name}.ics`, renderAgendaIcs(v.content as AgendaContent, `postmortem-${d.id}@backout`, v.version));
    }
  }

  put(
    "documentation/README.md",
    renderMarkdown(
      markdownDocument([
        heading(1, `INC-${i.number} — ${i.title}`),
        paragraph(`The incident record as Backout held it. Folders: ${ARCHIVE_FOLDERS.join(", ")}.`),
        heading(2, "Documents (their current versions)"),
        bulletList(documents.length > 0 ? documents : ["none yet"]),
      ]),
    ),
  );
  return files;
}

/** The archive itself. */
export async function buildIncidentArchive(incidentId: string, db?: Db): Promise<Uint8Array> {
  const files = await incidentArchiveFiles(incidentId, db);
  const zippable: Zippable = {};
  for (const [path, content] of Object.entries(files)) zippable[path] = strToU8(content);
  return zipSync(zippable, { level: 6, mtime: new Date() });
}
