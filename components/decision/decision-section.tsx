// The Decision section of the control room: what the framework recommends, the recorded
// decision with its plan, approvals and frozen evidence, and the controls each role may use.
import { Suspense } from "react";
import { VERDICT_LABEL, VERDICT_TONE } from "@/components/charts/verdicts";
import { FrozenReadiness } from "@/components/readiness/frozen-readiness";
import { ReadinessPanel } from "@/components/readiness/readiness-panel";
import { ReadinessProvider } from "@/components/readiness/readiness-provider";
import { Badge, type Tone } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import { Section } from "@/components/ui/section";
import type { DecisionStatus } from "@/generated/prisma/enums";
import type { Actor } from "@/lib/audit/log";
import { can } from "@/lib/auth/roles";
import { approvalRefusal } from "@/lib/decision/approval";
import type { CriterionResult } from "@/lib/decision/criteria";
import type { getDecisions } from "@/lib/decision/queries";
import { formatDuration, formatMetricValue } from "@/lib/metrics/format";
import type { MetricAssessment } from "@/lib/metrics/incident-metrics";
import { describeCheck, failedChecks, isBeforeRollback, parseFrozenReadiness } from "@/lib/readiness/types";
import { describeFirstStretch, hasDestructiveSteps, STRATEGY_LABELS } from "@/lib/rollback/plans";
import { ApprovalControls } from "./approval-controls";
import { PlanSteps } from "./plan-steps";
import { ProposeForm, type RunbookChoice } from "./propose-form";
import { Recommendation, TIER_TONE, TierClock } from "./recommendation";

type Decision = Awaited<ReturnType<typeof getDecisions>>[number];

const STATUS: Record<DecisionStatus, { label: string; tone: Tone }> = {
  PROPOSED: { label: "Awaiting approval", tone: "warn" },
  APPROVED: { label: "Approved", tone: "ok" },
  REJECTED: { label: "Rejected", tone: "danger" },
  VOIDED: { label: "Superseded", tone: "neutral" },
};

function FrozenEvidence({ decision }: { decision: Decision }) {
  const metrics = decision.evidence.metrics as { source?: string; error?: string | null; assessments?: MetricAssessment[] };
  const criteria = decision.evidence.criteria as { metCriteria?: CriterionResult[] };
  return (
    <details className="rounded-md border border-line p-3">
      <summary className="cursor-pointer text-sm font-medium">
        Frozen evidence (taken <LocalTime iso={decision.evidence.takenAt.toISOString()} />)
      </summary>
      <div className="mt-3 space-y-3 text-sm">
        {metrics.error && <p className="text-danger">Metrics were unavailable at the time: {metrics.error}</p>}
        {(metrics.assessments?.length ?? 0) > 0 && (
          <div className="overflow-x-auto">
            <table className="w-full text-sm" aria-label="Frozen metrics">
              <thead className="text-left text-xs uppercase tracking-wide text-muted">
                <tr>
                  <th className="py-1 font-medium">Metric</th>
                  <th className="py-1 text-right font-medium">Baseline</th>
                  <th className="py-1 text-right font-medium">Then</th>
                  <th className="py-1 pl-3 font-medium">Verdict</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-line">
                {metrics.assessments?.map((a) => (
                  <tr key={a.metric}>
                    <td className="py-1">{a.label}</td>
                    <td className="py-1 text-right tabular-nums">{formatMetricValue(a.metric, a.baseline)}</td>
                    <td className="py-1 text-right tabular-nums">{formatMetricValue(a.metric, a.current)}</td>
                    <td className="py-1 pl-3">
                      <Badge tone={VERDICT_TONE[a.verdict]}>{VERDICT_LABEL[a.verdict]}</Badge>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <div>
          <p className="text-xs font-semibold uppercase tracking-wide text-muted">Criteria met then</p>
          {criteria.metCriteria?.length ? (
            <ul className="mt-1 list-disc space-y-0.5 pl-5">
              {criteria.metCriteria.map((c) => (
                <li key={c.id}>
                  <span className="font-medium">{c.tier}</span> · {c.label} — <span className="text-muted">{c.detail}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-muted">None.</p>
          )}
        </div>
        <FrozenReadiness value={decision.evidence.readiness} />
      </div>
    </details>
  );
}

export function DecisionSection({
  user,
  incident,
  decisions,
  runbooks,
}: {
  user: Actor;
  incident: { id: string; status: string; detectedAt: Date; serviceName: string; badVersion: string; previousVersion: string };
  decisions: Decision[];
  /** The service's active runbooks, to choose the one a plan is built from. */
  runbooks: RunbookChoice[];
}) {
  const current = decisions.find((d) => d.status === "PROPOSED" || d.status === "APPROVED") ?? null;
  const latest = decisions[0] ?? null;
  const shown = current ?? latest;
  const canPropose = can(user.role, "decision:propose") && !["RESOLVED", "ROLLING_BACK", "VERIFYING"].includes(incident.status);
  const detectedIso = incident.detectedAt.toISOString();
  const versions = { bad: incident.badVersion, previous: incident.previousVersion };
  const decided = current?.status === "APPROVED" || ["ROLLING_BACK", "VERIFYING", "RESOLVED"].includes(incident.status);

  return (
    <Section id="decision" title="Decision">
      <ReadinessProvider enabled={isBeforeRollback(incident.status)} refreshKey={shown?.id ?? ""}>
        {decided ? (
          // Once a plan is approved the work is in the Rollback section: the framework stays one click away.
          <details className="rounded-lg border border-line bg-surface">
            <summary className="cursor-pointer px-4 py-3 text-sm font-semibold">Decision framework (live)</summary>
            <div className="border-t border-line p-4">
              <Suspense fallback={<p className="text-sm text-muted">Evaluating the decision framework…</p>}>
                <Recommendation incidentId={incident.id} detectedAt={detectedIso} canTick={can(user.role, "incident:update")} />
              </Suspense>
            </div>
          </details>
        ) : (
          <div className="rounded-lg border border-line bg-surface p-4">
            <Suspense fallback={<p className="text-sm text-muted">Evaluating the decision framework…</p>}>
              <Recommendation incidentId={incident.id} detectedAt={detectedIso} canTick={can(user.role, "incident:update")} />
            </Suspense>
          </div>
        )}

        <ReadinessPanel />

        {shown && (
          <article className="space-y-4 rounded-lg border border-line bg-surface p-4" aria-label="Rollback decision">
            <div className="flex flex-wrap items-center gap-2">
              <Badge tone={STATUS[shown.status].tone}>
                <span data-testid="decision-status">{STATUS[shown.status].label}</span>
              </Badge>
              <Badge tone={TIER_TONE[shown.tier]}>{shown.tier}</Badge>
              <span className="font-medium">{STRATEGY_LABELS[shown.strategy]}</span>
              {shown.tier !== shown.recommendedTier && (
                <span className="text-xs text-muted">(framework recommended {shown.recommendedTier})</span>
              )}
            </div>
            <p className="text-sm">
              <span className="text-muted">
                Proposed by {shown.decidedBy.name}, <LocalTime iso={shown.decidedAt.toISOString()} /> (
                {formatDuration(shown.decidedAt.getTime() - incident.detectedAt.getTime())} after detection):
              </span>{" "}
              {shown.reason}
            </p>
            {shown.status === "REJECTED" && shown.statusReason && <p className="text-sm text-danger">Rejected: {shown.statusReason}</p>}
            <div className="grid gap-4 lg:grid-cols-2">
              <div>
                <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-muted">Plan</h3>
                <p className="mb-2 text-xs text-muted">
                  {shown.runbookVersion
                    ? `From the runbook “${shown.runbookVersion.runbook.name}”, version ${shown.runbookVersion.version}${
                        shown.runbookVersion.runbook.currentVersion > shown.runbookVersion.version
                          ? ` (it has been edited since: this plan keeps version ${shown.runbookVersion.version})`
                          : ""
                      }.`
                    : "From the strategy's template: no runbook configured."}
                </p>
                <PlanSteps
                  decisionId={shown.id}
                  plan={shown.plan}
                  strategy={shown.strategy}
                  runbookId={shown.runbookVersion?.runbookId ?? null}
                  canChange={
                    can(user.role, "decision:propose") &&
                    (shown.status === "PROPOSED" || shown.status === "APPROVED") &&
                    !["ROLLING_BACK", "VERIFYING", "MONITORING", "RESOLVED"].includes(incident.status)
                  }
                />
              </div>
              <div className="space-y-3">
                <h3 className="text-xs font-semibold uppercase tracking-wide text-muted">
                  Approvals: {shown.state.approvers.length} of {shown.state.required}
                </h3>
                <ul className="space-y-1 text-sm" aria-label="Approvals">
                  {shown.approvals.map((a) => (
                    <li key={a.id} className={a.planHash === shown.planHash ? "" : "text-muted line-through"}>
                      {a.verdict === "APPROVED" ? "Approved" : "Rejected"} by {a.approver.name},{" "}
                      <LocalTime iso={a.createdAt.toISOString()} />
                      {a.planHash !== shown.planHash && <span className="ml-1 no-underline"> — for an earlier plan; no longer counts</span>}
                      {a.reason && `: ${a.reason}`}
                    </li>
                  ))}
                  {shown.approvals.length === 0 && <li className="text-muted">None yet.</li>}
                </ul>
                {shown.status === "PROPOSED" && (
                  <p className="text-sm">
                    Approval clock: <TierClock tier={shown.tier} detectedAt={detectedIso} />
                  </p>
                )}
                {shown.status === "PROPOSED" && user.role === "RELEASE_MANAGER" && (
                  <ApprovalGate user={user} decision={shown} serviceName={incident.serviceName} />
                )}
                {shown.status === "PROPOSED" && user.role !== "RELEASE_MANAGER" && (
                  <p className="text-sm text-muted">
                    Waiting for a release manager{shown.state.required > 1 ? "s (two different ones)" : ""} to approve.
                  </p>
                )}
              </div>
            </div>
            <FrozenEvidence decision={shown} />
          </article>
        )}

        {canPropose && !current && (
          <div className="rounded-lg border border-line bg-surface p-4">
            <h3 className="mb-3 text-sm font-semibold">Propose the rollback</h3>
            <Suspense fallback={<p className="text-sm text-muted">Reading the evidence…</p>}>
              <ProposeForm incidentId={incident.id} supersedes={false} runbooks={runbooks} versions={versions} />
            </Suspense>
          </div>
        )}
        {canPropose && current && (
          // Folded: while a proposal stands, replacing it is the exception, not the next step.
          <details className="group rounded-lg border border-line bg-surface">
            <summary className="cursor-pointer px-4 py-3 text-sm font-semibold">Propose a different rollback…</summary>
            <div className="border-t border-line p-4">
              <Suspense fallback={<p className="text-sm text-muted">Reading the evidence…</p>}>
                <ProposeForm incidentId={incident.id} supersedes runbooks={runbooks} versions={versions} />
              </Suspense>
            </div>
          </details>
        )}
      </ReadinessProvider>
    </Section>
  );
}

function ApprovalGate({ user, decision, serviceName }: { user: Actor; decision: Decision; serviceName: string }) {
  const refusal = approvalRefusal(user, decision, decision.approvals);
  if (refusal) return <p className="rounded-md bg-warn-soft px-3 py-2 text-sm text-warn">{refusal.message}</p>;
  // "Approve and start" when the proposer asked for it and this approval is the one that completes it.
  const startOnApproval =
    decision.startOnApproval && decision.state.approvers.length + 1 >= decision.state.required ? describeFirstStretch(decision.plan) : null;
  return (
    <ApprovalControls
      decisionId={decision.id}
      planHash={decision.planHash}
      serviceName={serviceName}
      destructive={hasDestructiveSteps(decision.plan)}
      stepCount={decision.plan.length}
      strategyLabel={STRATEGY_LABELS[decision.strategy]}
      failedChecks={failedChecks(parseFrozenReadiness(decision.evidence.readiness)?.checks ?? []).map(describeCheck)}
      startOnApproval={startOnApproval}
    />
  );
}
