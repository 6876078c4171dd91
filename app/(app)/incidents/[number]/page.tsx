import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { Suspense } from "react";
import { IncidentActionItems } from "@/components/action-items/incident-action-items";
import { ServiceLessons } from "@/components/action-items/service-lessons";
import { EvidencePanel, EvidencePanelFallback } from "@/components/assessment/evidence-panel";
import { VerificationSection } from "@/components/checklist/verification-section";
import { DecisionSection } from "@/components/decision/decision-section";
import { SeverityBadge, StatusBadge } from "@/components/incidents/badges";
import { Elapsed } from "@/components/incidents/elapsed";
import { ImpactEditor } from "@/components/incidents/impact-editor";
import { IncidentLayout, type OperationalSection } from "@/components/incidents/incident-layout";
import { NextStepBanner } from "@/components/incidents/next-step";
import { ResolvePanel } from "@/components/incidents/resolve-panel";
import { IncidentLive } from "@/components/live/incident-live";
import { PresenceBar } from "@/components/live/presence-bar";
import { RcaEntry } from "@/components/rca/rca-entry";
import { RollbackSection } from "@/components/rollback/rollback-section";
import { ShareLinksPanel } from "@/components/share-links/share-links-panel";
import { StatusUpdateCard } from "@/components/status-updates/status-update-card";
import { IncidentTimeline } from "@/components/timeline/incident-timeline";
import { MilestonesBar } from "@/components/timeline/milestones-bar";
import { Card } from "@/components/ui/card";
import { Fact } from "@/components/ui/fact";
import { LocalTime } from "@/components/ui/local-time";
import { Section } from "@/components/ui/section";
import { can } from "@/lib/auth/roles";
import { now } from "@/lib/clock";
import { documentsHref } from "@/lib/documents/links";
import { requireReadableIncident } from "@/lib/incidents/access";
import { loadInitialEvidence } from "@/lib/incidents/evidence";
import { nextStepFor } from "@/lib/incidents/next-step";
import { loadIncidentPageData } from "@/lib/incidents/page-data";
import { incidentRef } from "@/lib/incidents/schemas";
import { getLiveCursor } from "@/lib/live/queries";
import { warmIncidentReadiness } from "@/lib/readiness/queries";
import { overdueBy } from "@/lib/status-updates/rules";
import { timelineOrderCookie } from "@/lib/timeline/view";

type Params = { params: Promise<{ number: string }> };
type PageProps = Params & { searchParams: Promise<Record<string, string | string[] | undefined>> };

async function load(numberParam: string) {
  const { user, incident: ref } = await requireReadableIncident(numberParam);
  // Opening the page, or a server action's own re-render of it (revalidatePath, in the action's
  // request) for a page already on screen: that page's EvidenceProvider keeps the copy it mounted
  // with and polls, and its readiness panel polls, so neither is started for it (the evidence would be
  // computed only to be dropped, competing with the action for the CPU).
  const opening = !(await headers()).has("next-action");
  // Not awaited: the evidence streams in with the page (EvidenceProvider), the other sections do not
  // wait for it; started first, it has the head start it needs (probes, metric windows, charts).
  const evidence = opening ? loadInitialEvidence(ref.id) : Promise.resolve(null);
  // The readiness checks start now, so the panel's first poll and a proposal made at once find them.
  if (opening) warmIncidentReadiness(ref.id);
  // Read before the page's data: the live stream starts after this event, so a change committed
  // while the page renders is replayed to it rather than lost.
  const liveCursor = await getLiveCursor(ref.id);
  return { user, ref, evidence, liveCursor };
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { number } = await params;
  return { title: `INC-${number}` };
}

export default async function IncidentPage({ params, searchParams }: PageProps) {
  const { user, ref, evidence, liveCursor } = await load((await params).number);
  const {
    incident,
    timeline,
    decisions,
    run,
    summaries,
    checklist,
    finishedRun,
    resolveRequirement,
    latestUpdate,
    runbooks,
    links,
    actionItems,
    rca,
    lessons,
  } = await loadIncidentPageData(ref, {
    searchParams: await searchParams,
    timelineOrder: await timelineOrderCookie(),
    withShareLinks: can(user.role, "incident:share"),
    withActionItemForm: can(user.role, "action_item:edit"),
  });
  const approved = decisions.find((d) => d.status === "APPROVED");
  const current = decisions.find((d) => d.status === "PROPOSED" || d.status === "APPROVED");
  const resolvedIso = incident.resolvedAt?.toISOString();
  const next = nextStepFor({
    status: incident.status,
    decision: current ? { status: current.status, approvals: current.state.approvers.length, required: current.state.required } : null,
    run: run && approved && run.decisionId === approved.id ? run : null,
    latestRun: run,
    checklist: checklist
      ? { locked: checklist.lockedAt !== null, waived: checklist.waiver !== null, signOffs: checklist.signOffs.length }
      : null,
    rollbackFinished: finishedRun !== null,
  });

  const reader = user.role === "VIEWER";
  const canResolve = incident.status !== "RESOLVED" && can(user.role, "incident:resolve");
  // The sections where the work is done, in the order it happens. A new section is one entry here;
  // IncidentLayout decides where they go and when they are folded (for a stakeholder, on a phone).
  const operational: OperationalSection[] = [
    {
      id: "evidence",
      summary: "Evidence: the metrics against the baseline",
      node: (
        <Suspense fallback={<EvidencePanelFallback />}>
          <EvidencePanel availabilityTarget={incident.service.availabilityTarget} />
        </Suspense>
      ),
    },
    {
      id: "decision",
      summary: "Decision: the framework's recommendation, the proposal and its approvals",
      node: (
        <DecisionSection
          user={user}
          incident={{
            id: incident.id,
            status: incident.status,
            detectedAt: incident.detectedAt,
            serviceName: incident.service.name,
            badVersion: incident.badVersion,
            previousVersion: incident.previousVersion,
          }}
          decisions={decisions}
          runbooks={runbooks}
        />
      ),
    },
    {
      id: "rollback",
      summary: "Rollback: the plan's steps and their output",
      node: (
        <RollbackSection
          user={user}
          serviceName={incident.service.name}
          approvedDecision={approved ? { id: approved.id, planHash: approved.planHash, plan: approved.plan } : null}
          run={run}
          summaries={summaries}
          incidentNumber={incident.number}
          resolved={incident.status === "RESOLVED"}
        />
      ),
    },
    {
      id: "verification",
      summary: "Verification: the post-rollback checklist and sign-offs",
      node: (
        <VerificationSection
          user={user}
          incident={{ id: incident.id, number: incident.number, status: incident.status }}
          checklist={checklist}
          finishedRun={finishedRun}
        />
      ),
    },
    {
      id: "action-items",
      summary: "Action items: what will change, with owners and due dates",
      node: <IncidentActionItems incident={incident} data={actionItems} />,
    },
    {
      id: "rca",
      summary: "Root-cause analysis",
      node: <RcaEntry user={user} incident={incident} rca={rca} rollbackRunning={run?.status === "RUNNING" || run?.status === "PENDING"} />,
    },
    ...(canResolve
      ? [
          {
            id: "resolve",
            summary: "Resolve the incident",
            node: (
              <Section id="resolve" title="Resolve">
                <div className="rounded-lg border border-line bg-surface p-4">
                  <ResolvePanel
                    incidentId={incident.id}
                    version={incident.version}
                    requirement={resolveRequirement}
                    canWaive={can(user.role, "incident:waive_signoff")}
                  />
                </div>
              </Section>
            ),
          },
        ]
      : []),
  ];

  if (links) {
    const at = now().getTime();
    operational.push({
      id: "share",
      summary: "Share: read-only links for people without an account",
      node: (
        <Section id="share" title="Share">
          <ShareLinksPanel
            incidentId={incident.id}
            links={links.map((l) => ({
              id: l.id,
              showNames: l.showNames,
              createdAt: l.createdAt.toISOString(),
              expiresAt: l.expiresAt.toISOString(),
              revokedAt: l.revokedAt?.toISOString() ?? null,
              createdBy: l.createdBy?.name ?? null,
              revokedBy: l.revokedBy?.name ?? null,
              expired: l.expiresAt.getTime() <= at,
            }))}
          />
        </Section>
      ),
    });
  }

  const header = (
    <div>
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <Link href="/incidents" className="text-muted hover:text-fg">
          ← Incidents
        </Link>
        <span className="flex gap-4">
          <Link href={`/incidents/${incident.number}/record`} className="text-accent underline-offset-2 hover:underline">
            Closing record
          </Link>
          <Link href={documentsHref(incident.number)} className="text-accent underline-offset-2 hover:underline">
            Documents
          </Link>
        </span>
      </div>
      <div className="mt-1 flex flex-wrap items-center gap-2">
        <span className="font-mono text-sm text-muted">{incidentRef(incident.number)}</span>
        <SeverityBadge severity={incident.severity} />
        <StatusBadge status={incident.status} />
        <div className="ml-auto">
          <PresenceBar currentUserId={user.id} />
        </div>
      </div>
      <h1 className="mt-1 text-2xl font-semibold">{incident.title}</h1>
      {next && (
        <div className="mt-3">
          <NextStepBanner next={next} linked={operational.some((s) => s.id === next.target)} />
        </div>
      )}
    </div>
  );

  const facts = (
    <section aria-label="Incident facts" className="rounded-lg border border-line bg-surface p-4">
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-6">
        <Fact label="Service">{incident.service.name}</Fact>
        <Fact label="Versions">
          <span className="font-mono">
            <span className="text-danger">{incident.badVersion}</span> → <span className="text-ok">{incident.previousVersion}</span>
          </span>
        </Fact>
        <Fact label="Since deploy">
          <Elapsed since={incident.deployedAt.toISOString()} until={resolvedIso} />
        </Fact>
        <Fact label="Since detection">
          <Elapsed since={incident.detectedAt.toISOString()} until={resolvedIso} />
        </Fact>
        <Fact label="Deployed">
          <LocalTime iso={incident.deployedAt.toISOString()} />
        </Fact>
        <Fact label="Detected">
          <LocalTime iso={incident.detectedAt.toISOString()} />
        </Fact>
        <Fact label="Declared">
          <LocalTime iso={incident.declaredAt.toISOString()} />
          {incident.declaredBy && <span className="text-muted"> by {incident.declaredBy.name}</span>}
        </Fact>
        {incident.resolvedAt && (
          <Fact label="Resolved">
            <LocalTime iso={incident.resolvedAt.toISOString()} />
          </Fact>
        )}
        <Fact label="Owner team">{incident.service.ownerTeam || "—"}</Fact>
      </dl>
    </section>
  );

  const summaryAndImpact = (
    <div className="grid gap-6 xl:grid-cols-2">
      <Card title="Summary">
        <p className="text-sm whitespace-pre-wrap">{incident.summary || <span className="text-muted">No summary yet.</span>}</p>
      </Card>
      <Card title="User impact">
        <ImpactEditor
          incidentId={incident.id}
          version={incident.version}
          canEdit={can(user.role, "incident:update")}
          impact={{
            usersAffected: incident.usersAffected,
            supportTickets: incident.supportTickets,
            complaints: incident.complaints,
            failedTransactions: incident.failedTransactions,
          }}
        />
        {incident.impactUpdatedBy && incident.impactUpdatedAt && (
          <p className="mt-3 text-xs text-muted">
            Last changed by {incident.impactUpdatedBy.name}, <LocalTime iso={incident.impactUpdatedAt.toISOString()} />
          </p>
        )}
      </Card>
    </div>
  );

  const canPostUpdate = can(user.role, "incident:update");
  const statusUpdate = (
    <StatusUpdateCard
      incidentId={incident.id}
      latest={latestUpdate}
      overdueMs={canPostUpdate ? overdueBy(latestUpdate, now(), incident.status === "RESOLVED") : null}
      resolved={incident.status === "RESOLVED"}
      canPost={canPostUpdate}
    />
  );

  return (
    <IncidentLive incidentNumber={incident.number} after={liveCursor} evidence={evidence}>
      <IncidentLayout
        reader={reader}
        header={header}
        lead={[statusUpdate, <MilestonesBar key="milestones" milestones={timeline.milestones} />]}
        facts={
          <>
            {facts}
            <ServiceLessons earlier={lessons} serviceName={incident.service.name} />
          </>
        }
        impact={summaryAndImpact}
        timeline={
          <Card title="Timeline">
            <IncidentTimeline
              incidentId={incident.id}
              incidentNumber={incident.number}
              first={timeline.first}
              counts={timeline.counts}
              query={timeline.query}
              readOnly={!can(user.role, "incident:update")}
            />
          </Card>
        }
        operational={operational}
      />
    </IncidentLive>
  );
}
