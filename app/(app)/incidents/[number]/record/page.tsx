import type { Metadata } from "next";
import Link from "next/link";
import { StatusBadge } from "@/components/incidents/badges";
import { AgendaForm } from "@/components/postmortem/agenda-form";
import { PlanForm } from "@/components/postmortem/plan-form";
import { RollbackSummary } from "@/components/rollback/rollback-summary";
import { TimelineList } from "@/components/timeline/timeline-list";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Fact } from "@/components/ui/fact";
import { LocalTime } from "@/components/ui/local-time";
import { Section, SectionPlaceholder } from "@/components/ui/section";
import { can } from "@/lib/auth/roles";
import { documentHref, documentsHref, icsHref, KIND_LABELS, markdownHref, pdfHref } from "@/lib/documents/links";
import { requireReadableIncident } from "@/lib/incidents/access";
import { formatDuration } from "@/lib/metrics/format";
import { defaultAgendaWindowHours, getClosingRecord, listFacilitatorCandidates, RECORD_DOCUMENTS } from "@/lib/postmortem/record";
import { REDEPLOY_STRATEGIES, readinessReason } from "@/lib/postmortem/redeploy-plan";
import { listActiveRunbooks } from "@/lib/runbooks/queries";
import { getWholeTimeline } from "@/lib/timeline/queries";

type Params = { params: Promise<{ number: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `Closing record · INC-${(await params).number}` };
}

const LINK = "text-accent underline-offset-2 hover:underline";
const count = (n: number | null) => (n === null ? "not recorded" : n.toLocaleString("en-US"));
const SIGN_OFF_ROLE = { DEVOPS: "DevOps engineer", TECH_LEAD: "Technical lead", RELEASE_MANAGER: "Release manager" } as const;

/** The incident's closing record: what the runbook asks for upon completion, and the whole record as one download. */
export default async function ClosingRecordPage({ params }: Params) {
  const { user, incident: found } = await requireReadableIncident((await params).number);
  const record = await getClosingRecord(found.id);
  const { incident, summary, agenda, plan } = record;
  const canEdit = can(user.role, "incident:update");
  const runbooks = canEdit ? await listActiveRunbooks(incident.service.id) : [];
  const showRunbooks = canEdit && runbooks.length > 0;
  const byKind = new Map(record.documents.map((d) => [d.kind, d]));
  const checklist = incident.checklist;
  // The key moments: the record's milestones and whatever responders starred.
  const keyIds = new Set(record.timeline.map((e) => e.id));
  const keyMoments = (await getWholeTimeline(incident.id, incident.number)).filter((e) => keyIds.has(e.id) || e.starred);
  const exposedMs = record.exposure.to ? record.exposure.to.getTime() - record.exposure.from.getTime() : null;

  return (
    <div className="mx-auto max-w-5xl space-y-8">
      <div className="space-y-2">
        <Link href={`/incidents/${incident.number}`} className="text-sm text-muted hover:text-fg">
          ← INC-{incident.number}
        </Link>
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h1 className="text-2xl font-semibold">Closing record</h1>
          <a href={`/api/incidents/${incident.number}/archive`} className={LINK} download>
            Download the whole record (.zip)
          </a>
        </div>
        <p className="text-sm text-muted">
          INC-{incident.number} · {incident.title} · {incident.service.name}
        </p>
        {record.signedOff ? (
          <p className="text-sm" data-testid="record-state">
            Verification signed off {checklist?.lockedAt && <LocalTime iso={checklist.lockedAt.toISOString()} />}
            {checklist && checklist.signOffs.length > 0 && (
              <span className="text-muted">
                {" "}
                by {checklist.signOffs.map((s) => `${s.user.name} (${SIGN_OFF_ROLE[s.role]})`).join(", ")}
              </span>
            )}
            .
          </p>
        ) : (
          <p className="rounded-md border border-warn/40 bg-warn-soft px-3 py-2 text-sm text-warn" data-testid="record-state">
            Not complete: the verification is not signed off yet. What is recorded so far is below.
          </p>
        )}
      </div>

      <Section id="status" title="Current status and impact">
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
          <Fact label="Status">
            <StatusBadge status={incident.status} />
          </Fact>
          <Fact label="Versions">
            <span className="font-mono">
              <span className="text-danger">{incident.badVersion}</span> → <span className="text-ok">{incident.previousVersion}</span>
            </span>
          </Fact>
          <Fact label="Users exposed for">{exposedMs === null ? "the rollback has not ended" : formatDuration(exposedMs)}</Fact>
          <Fact label="Data loss">
            {checklist?.restoreRan ? "A database restore ran: see the data-integrity checks" : "None: no data was restored"}
          </Fact>
          <Fact label="Resolved">{incident.resolvedAt ? <LocalTime iso={incident.resolvedAt.toISOString()} /> : "not yet"}</Fact>
          {summary && (
            <>
              <Fact label="Users affected">{count(summary.content.impact.usersAffected)}</Fact>
              <Fact label="Failed transactions">{count(summary.content.impact.failedTransactions)}</Fact>
              <Fact label="Support tickets">{count(summary.content.impact.supportTickets)}</Fact>
            </>
          )}
        </dl>
      </Section>

      <Section id="rollback" title="Rollback summary">
        {summary ? (
          <Card>
            <RollbackSummary doc={summary} />
          </Card>
        ) : (
          <SectionPlaceholder>No rollback has ended for this incident.</SectionPlaceholder>
        )}
      </Section>

      <Section id="milestones" title="Timeline">
        <TimelineList entries={keyMoments} readOnly />
      </Section>

      <Section
        id="documents"
        title="Documents"
        actions={
          <Link href={documentsHref(incident.number)} className={`text-sm ${LINK}`}>
            All versions
          </Link>
        }
      >
        <ul className="divide-y divide-line rounded-lg border border-line bg-surface">
          {RECORD_DOCUMENTS.map((kind) => {
            const doc = byKind.get(kind);
            return (
              <li key={kind} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 text-sm">
                <span className="font-medium">{KIND_LABELS[kind]}</span>
                {doc ? (
                  <span className="flex flex-wrap gap-3">
                    <Link href={documentHref(incident.number, doc.id)} className={LINK}>
                      Read v{doc.currentVersion}
                    </Link>
                    <a href={markdownHref(doc.id)} className={LINK} download>
                      Markdown
                    </a>
                    <a href={pdfHref(doc.id)} className={LINK} download>
                      PDF
                    </a>
                    {kind === "POSTMORTEM_AGENDA" && (
                      <a href={icsHref(doc.id)} className={LINK} download>
                        Calendar (.ics)
                      </a>
                    )}
                  </span>
                ) : (
                  <Badge>not written yet</Badge>
                )}
              </li>
            );
          })}
        </ul>
      </Section>

      <Section id="postmortem" title="Post-mortem meeting">
        {agenda ? (
          <div className="space-y-2 text-sm">
            <p>
              Proposed for{" "}
              <strong>
                <LocalTime iso={agenda.content.meeting.start} />
              </strong>{" "}
              ({agenda.content.meeting.minutes} min), within {agenda.content.meeting.withinHours} h of the sign-off
              {agenda.content.meeting.skipWeekends ? ", weekends not counted" : ""}. Facilitator: {agenda.content.facilitator}.
            </p>
            <p className="text-muted">
              Attendees: {agenda.content.attendees.map((a) => `${a.name} (${a.roles.slice(0, 2).join(", ")})`).join("; ")}
            </p>
          </div>
        ) : (
          <SectionPlaceholder>
            {record.signedOff ? "No agenda yet." : "The agenda is proposed from the verification sign-off, once it is given."}
          </SectionPlaceholder>
        )}
        {canEdit && record.signedOff && (
          <Card>
            <AgendaForm
              incidentId={incident.id}
              defaultWithinHours={defaultAgendaWindowHours()}
              people={await listFacilitatorCandidates()}
              hasAgenda={Boolean(agenda)}
            />
          </Card>
        )}
      </Section>

      <Section id="redeploy" title="Re-deployment">
        <div
          data-testid="redeploy-readiness"
          className={`rounded-lg border px-4 py-3 text-sm ${record.readiness.ready ? "border-ok/40 bg-ok-soft text-ok" : "border-warn/40 bg-warn-soft text-warn"}`}
        >
          <p className="font-semibold">
            {record.readiness.ready
              ? plan
                ? `Recommended: re-deploy ${plan.content.fixedVersion} by ${plan.content.strategy.toLowerCase().replace("_", "-")} on ${plan.content.targetDate}.`
                : "Ready to re-deploy once a plan is written."
              : "Not ready to re-deploy."}
          </p>
          <p>{readinessReason(record.readiness).replace(/^./, (c) => c.toUpperCase())}</p>
          {record.readiness.items.length > 0 && (
            <ul className="mt-2 space-y-0.5 text-fg">
              {record.readiness.items.map((i) => (
                <li key={i.title}>
                  <span aria-hidden>{i.status === "DONE" ? "✓" : "○"}</span> {i.title}{" "}
                  <span className="text-muted">
                    ({i.status === "DONE" ? "done" : "open"}, {i.owner ?? "no owner"})
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
        {plan ? (
          <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
            <Fact label="Version">{plan.content.fixedVersion}</Fact>
            <Fact label="Target date">{plan.content.targetDate}</Fact>
            <Fact label="Strategy">{REDEPLOY_STRATEGIES[plan.content.strategy].split(" (")[0]}</Fact>
            <Fact label="Plan">
              <Link href={documentHref(incident.number, plan.documentId)} className={LINK}>
                version {plan.version}
              </Link>
            </Fact>
          </dl>
        ) : (
          <SectionPlaceholder>No re-deployment plan yet.</SectionPlaceholder>
        )}
        {canEdit && (
          <Card title={plan ? "Revise the plan" : "Write the plan"}>
            <PlanForm incidentId={incident.id} basedOn={plan?.version ?? 0} current={plan?.content ?? null} defaultVersion="" />
          </Card>
        )}
      </Section>

      <Section id="action-items" title="Action items">
        {incident.actionItems.length === 0 ? (
          <SectionPlaceholder>No action items yet.</SectionPlaceholder>
        ) : (
          <div className="rounded-lg border border-line bg-surface">
            <table aria-label="Action items" className="w-full text-left text-sm">
              <thead className="text-xs text-muted">
                <tr>
                  <th className="px-4 py-2 font-medium">Action item</th>
                  <th className="hidden px-4 py-2 font-medium sm:table-cell">Owner</th>
                  <th className="hidden px-4 py-2 font-medium sm:table-cell">Priority</th>
                  <th className="hidden px-4 py-2 font-medium sm:table-cell">Status</th>
                  <th className="hidden px-4 py-2 font-medium sm:table-cell">Due</th>
                  {showRunbooks && <th className="hidden px-4 py-2 font-medium sm:table-cell">Runbook</th>}
                </tr>
              </thead>
              <tbody className="divide-y divide-line">
                {incident.actionItems.map((a) => {
                  const status = String(a.status).toLowerCase().replaceAll("_", " ");
                  const due = a.dueDate ? <LocalTime iso={a.dueDate.toISOString()} style="date" /> : "—";
                  const proposals = runbooks
                    .filter((r) => !a.linkRunbookId || r.id === a.linkRunbookId)
                    .map((r) => (
                      <Link
                        key={r.id}
                        href={`/services/${incident.service.slug}/runbooks/${r.id}/revisions?actionItem=${a.id}`}
                        className={`block ${LINK}`}
                      >
                        Propose a revision of {r.name}
                      </Link>
                    ));
                  return (
                    <tr key={a.id} className="align-top">
                      <td className="px-4 py-2">
                        {a.title}
                        {/* Phones: the columns hidden below fold into the first cell, no sideways scrolling. */}
                        <div className="mt-1 space-y-1 text-xs text-muted sm:hidden">
                          <p>
                            {a.owner?.name ?? "unassigned"} · {String(a.priority)} · {status} · due {due}
                          </p>
                          {showRunbooks && proposals}
                        </div>
                      </td>
                      <td className="hidden px-4 py-2 sm:table-cell">{a.owner?.name ?? "unassigned"}</td>
                      <td className="hidden px-4 py-2 sm:table-cell">{String(a.priority)}</td>
                      <td className="hidden px-4 py-2 sm:table-cell">{status}</td>
                      <td className="hidden px-4 py-2 sm:table-cell">{due}</td>
                      {showRunbooks && <td className="hidden px-4 py-2 sm:table-cell">{proposals}</td>}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </div>
  );
}
