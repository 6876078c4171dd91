// The Rollback section of the control room: the approved plan's steps, run one at a time from
// guarded buttons (or "run until the next destructive step") by the workers, with their state and
// live output (StepOutput appends the lines the live channel brings; state changes re-render the
// page through RefreshOnEvents); what the run needs from an operator; and the summary once it has ended.
import { Badge, type Tone } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import { Section, SectionPlaceholder } from "@/components/ui/section";
import type { RunStatus, StepState } from "@/generated/prisma/enums";
import type { Actor } from "@/lib/audit/log";
import { can } from "@/lib/auth/roles";
import { documentHref, markdownHref } from "@/lib/documents/links";
import { describeStep } from "@/lib/rollback/describe";
import { describeFirstStretch, type Plan } from "@/lib/rollback/plans";
import type { getLatestRun, RollbackSummaryDocument } from "@/lib/rollback/queries";
import { autoRunPlan, processMayStillRun, runAttention, stepRange } from "@/lib/rollback/run-status";
import { RollbackSummary } from "./rollback-summary";
import { AbortRunButton, RunUntilButton, StartRunButton, StopRunUntilButton } from "./run-controls";
import { StepControls } from "./step-controls";
import { StepOutput } from "./step-output";

type Run = NonNullable<Awaited<ReturnType<typeof getLatestRun>>>;

const STATE: Record<StepState, { label: string; tone: Tone }> = {
  NOT_STARTED: { label: "Not started", tone: "neutral" },
  QUEUED: { label: "Queued", tone: "info" },
  RUNNING: { label: "Running", tone: "info" },
  SUCCEEDED: { label: "Succeeded", tone: "ok" },
  FAILED: { label: "Failed", tone: "danger" },
  SKIPPED: { label: "Skipped", tone: "neutral" },
  INTERRUPTED: { label: "Interrupted", tone: "warn" },
  CANCELED: { label: "Canceled", tone: "neutral" },
};

const RUN_STATUS: Record<RunStatus, { label: string; tone: Tone }> = {
  PENDING: { label: "Pending", tone: "neutral" },
  RUNNING: { label: "In progress", tone: "info" },
  SUCCEEDED: { label: "Completed", tone: "ok" },
  FAILED: { label: "Failed", tone: "danger" },
  ABORTED: { label: "Aborted", tone: "danger" },
};

type HttpOutput = { status?: unknown; body?: unknown; method?: unknown; url?: unknown; summary?: string };

/** What an HTTP-calling step got back, when it did not get what it expected. */
function HttpAnswer({ output, index }: { output: HttpOutput; index: number }) {
  if (typeof output.status !== "number") return null;
  const body = typeof output.body === "string" ? output.body : "";
  return (
    <div className="mt-1 pl-7 text-sm" data-testid={`step-http-${index}`}>
      <p>
        Answer: <span className="font-mono font-semibold text-danger">HTTP {output.status}</span>
        {typeof output.method === "string" && typeof output.url === "string" && (
          <span className="text-muted">
            {" "}
            from {output.method} {output.url}
          </span>
        )}
      </p>
      {body && <p className="mt-1 text-xs text-muted">Response body:</p>}
      {body && <pre className="mt-1 max-h-32 overflow-auto rounded bg-canvas p-2 font-mono text-xs whitespace-pre-wrap">{body}</pre>}
    </div>
  );
}

function Attention({ run }: { run: Run }) {
  const attention = runAttention(run.status, run.steps);
  if (attention.kind === "needs-operator") {
    const s = attention.step;
    return (
      <div role="status" className="rounded-md border border-danger bg-danger-soft p-3 text-sm text-danger" data-testid="run-attention">
        <p className="font-semibold">
          Needs an operator: step {s.position + 1} “{s.name}” {s.state === "FAILED" ? "failed" : "was interrupted"}.
        </p>
        {s.error && <p className="mt-0.5">Last result: {s.error}</p>}
        <p className="mt-0.5">
          Nothing else runs until someone retries it
          {s.state === "INTERRUPTED" ? ", marks it done" : ""}, skips it, or ends the rollback as failed.
        </p>
      </div>
    );
  }
  if (attention.kind === "ended" && run.status === "FAILED") {
    return (
      <p className="text-sm text-danger" data-testid="run-attention">
        Ended as failed{run.abortedBy ? ` by ${run.abortedBy.name}` : ""}: {run.abortReason}
      </p>
    );
  }
  if (attention.kind === "ended" && run.status === "ABORTED") {
    return (
      <p className="text-sm text-danger" data-testid="run-attention">
        Aborted{run.abortedBy ? ` by ${run.abortedBy.name}` : ""}: {run.abortReason}
      </p>
    );
  }
  return null;
}

export function RollbackSection({
  user,
  serviceName,
  approvedDecision,
  run: latestRun,
  summaries,
  incidentNumber,
  resolved = false,
}: {
  user: Actor;
  serviceName: string;
  approvedDecision: { id: string; planHash: string; plan: Plan } | null;
  run: Run | null;
  summaries: RollbackSummaryDocument[];
  incidentNumber: number;
  resolved?: boolean;
}) {
  const canExecute = can(user.role, "rollback:execute");
  // A newer approved decision (after a run that failed or was aborted) starts a run of its own;
  // the earlier run stays readable in its summary below.
  const run = latestRun && (!approvedDecision || latestRun.decisionId === approvedDecision.id) ? latestRun : null;
  if (!run && !approvedDecision && summaries.length === 0) {
    return (
      <Section id="rollback" title="Rollback">
        <SectionPlaceholder>
          {resolved ? "No rollback ran for this incident." : "The rollback's steps run here once a release manager has approved a plan."}
        </SectionPlaceholder>
      </Section>
    );
  }
  // What "Start rollback" runs by itself: the approved plan's steps before its first destructive one.
  const firstStretch = !run && approvedDecision ? describeFirstStretch(approvedDecision.plan) : null;
  // The next step is the first one not yet done or skipped; only it may be acted on.
  const next = run?.steps.find((s) => s.state !== "SUCCEEDED" && s.state !== "SKIPPED");
  const live = run?.status === "RUNNING";
  const attention = run ? runAttention(run.status, run.steps) : null;
  const autoActive = run?.autoRunUntil !== null && run?.autoRunUntil !== undefined;
  const autoPlan = run && live && !autoActive ? autoRunPlan(run.status, run.steps) : null;
  const autoStop = run && autoActive ? run.steps.find((s) => s.position === run.autoRunUntil) : undefined;
  const autoSteps =
    run && autoActive ? run.steps.filter((s) => s.position < (run.autoRunUntil ?? 0) && s.position >= (next?.position ?? 0)) : [];

  const stepsList = run && (
    <ol className="space-y-3" aria-label="Rollback steps">
      {run.steps.map((s, i) => {
        const output = (s.output ?? {}) as { summary?: string };
        const mayStillRun = processMayStillRun(s.executions[0]);
        const modes =
          !live || !canExecute || s.id !== next?.id
            ? []
            : s.state === "NOT_STARTED"
              ? (["run", "skip"] as const)
              : s.state === "INTERRUPTED" || s.state === "CANCELED"
                ? (["retry", "done", "skip"] as const)
                : s.state === "FAILED"
                  ? (["retry", "skip"] as const)
                  : (s.state === "RUNNING" || s.state === "QUEUED") && !s.executions[0]?.stopReason
                    ? (["stop"] as const)
                    : [];
        return (
          <li key={s.id} className="rounded-md border border-line p-3" aria-label={`Step ${i + 1}: ${s.name}`}>
            <div className="flex items-baseline gap-2 text-sm">
              <span className="w-5 shrink-0 text-right font-mono text-xs text-muted">{i + 1}.</span>
              <span className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-1">
                <span className="font-medium">{s.name}</span>
                <Badge tone={STATE[s.state].tone}>
                  <span data-testid={`step-state-${i + 1}`}>{STATE[s.state].label}</span>
                </Badge>
                {s.destructive && <Badge tone="danger">destructive</Badge>}
                {s.changesTraffic && <Badge tone="info">changes traffic</Badge>}
                {s.attempts > 1 && <span className="text-xs text-muted">attempt {s.attempts}</span>}
              </span>
            </div>
            <p className="mt-1 pl-7 font-mono text-xs break-all text-muted">
              {describeStep(s.executor, s.config as Record<string, unknown>)}
            </p>
            {(s.error || output.summary || s.resultNote) && (
              <p className={`mt-1 pl-7 text-sm ${s.state === "FAILED" ? "text-danger" : ""}`}>
                {s.error ?? output.summary ?? s.resultNote}
              </p>
            )}
            {s.state === "FAILED" && <HttpAnswer output={output as HttpOutput} index={i + 1} />}
            {s.state === "RUNNING" && s.executions[0]?.stopReason && (
              <p className="mt-1 pl-7 text-sm text-warn">
                Stopping: {s.executions[0].stopRequestedBy?.name ?? "an operator"} asked to stop it ({s.executions[0].stopReason}).
              </p>
            )}
            {s.state === "INTERRUPTED" && (
              <p className="mt-1 pl-7 text-sm text-warn">
                The server stopped while this step ran. Nothing re-runs by itself: check the target, then retry, mark done or skip.
                {mayStillRun && (
                  <strong className="block">
                    Its process may still be running on {mayStillRun.host} (pid {mayStillRun.pid}): check before you retry.
                  </strong>
                )}
              </p>
            )}
            <StepOutput
              stepId={s.id}
              position={i + 1}
              initialLines={s.logLines.map((l) => ({ id: l.id.toString(), stream: l.stream, line: l.line, ts: l.ts.toISOString() }))}
            />
            {modes.length > 0 && (
              <div className="mt-2 pl-7">
                <StepControls
                  stepId={s.id}
                  name={s.name}
                  description={describeStep(s.executor, s.config as Record<string, unknown>)}
                  destructive={s.destructive}
                  serviceName={serviceName}
                  modes={[...modes]}
                  mayStillRun={mayStillRun}
                />
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );

  return (
    <Section id="rollback" title="Rollback">
      {!run && approvedDecision && (
        <div className="space-y-3 rounded-lg border border-line bg-surface p-4">
          <p className="text-sm">
            The plan is approved. Starting the rollback runs its steps one after another up to the first destructive one (or starts it for
            step-by-step work).
          </p>
          {canExecute ? (
            <StartRunButton
              decisionId={approvedDecision.id}
              planHash={approvedDecision.planHash}
              serviceName={serviceName}
              steps={firstStretch?.steps ?? []}
              stopBefore={firstStretch?.stopBefore ?? null}
            />
          ) : (
            <p className="text-sm text-muted">A responder starts it.</p>
          )}
        </div>
      )}
      {run && (
        <div className="space-y-3 rounded-lg border border-line bg-surface p-3 sm:p-4" data-testid="rollback-run">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <p className="flex flex-wrap items-center gap-2 text-sm">
              {attention?.kind === "needs-operator" ? (
                <Badge tone="danger">
                  <span data-testid="run-status">Needs an operator</span>
                </Badge>
              ) : (
                <Badge tone={RUN_STATUS[run.status].tone}>
                  <span data-testid="run-status">{RUN_STATUS[run.status].label}</span>
                </Badge>
              )}
              <span className="text-muted">
                started by {run.startedBy?.name ?? "—"}
                {run.startedAt && (
                  <>
                    , <LocalTime iso={run.startedAt.toISOString()} />
                  </>
                )}
              </span>
            </p>
            {live && canExecute && <AbortRunButton runId={run.id} endsFailed={attention?.kind === "needs-operator"} />}
          </div>
          <Attention run={run} />
          {autoActive && (
            <div
              className="flex flex-wrap items-center justify-between gap-2 rounded-md border border-info bg-info-soft p-3 text-sm text-info"
              data-testid="auto-run"
            >
              <p>
                Running {stepRange(autoSteps)} one after another{run.autoRunBy ? ` (started by ${run.autoRunBy.name})` : ""}. It stops{" "}
                {autoStop ? `before step ${autoStop.position + 1} “${autoStop.name}” (destructive), or ` : ""}at the first failure.
              </p>
              {live && canExecute && <StopRunUntilButton runId={run.id} incidentId={run.incidentId} />}
            </div>
          )}
          {canExecute && autoPlan?.ok && (
            <RunUntilButton
              runId={run.id}
              steps={autoPlan.steps.map((s) => {
                const full = run.steps.find((x) => x.id === s.id)!;
                return {
                  id: s.id,
                  position: s.position,
                  name: s.name,
                  description: describeStep(full.executor, full.config as Record<string, unknown>),
                };
              })}
              stopBefore={autoPlan.stopBefore ? { position: autoPlan.stopBefore.position, name: autoPlan.stopBefore.name } : null}
              serviceName={serviceName}
            />
          )}
          {live ? (
            stepsList
          ) : (
            // The run has ended: its summary below tells the story; the steps and their output stay one click away.
            <details className="rounded-md border border-line">
              <summary className="cursor-pointer px-3 py-2 text-sm font-medium">Steps and their output ({run.steps.length})</summary>
              <div className="border-t border-line p-3">{stepsList}</div>
            </details>
          )}
        </div>
      )}
      {summaries.map((doc, i) => {
        const links = (
          <p key="links" className="flex gap-3 text-sm">
            <a className="text-accent underline-offset-2 hover:underline" href={documentHref(incidentNumber, doc.id)}>
              Printable version
            </a>
            <a className="text-accent underline-offset-2 hover:underline" href={markdownHref(doc.id)} download>
              Markdown
            </a>
          </p>
        );
        return i === 0 ? (
          <div key={doc.id} className="rounded-lg border border-line bg-surface p-4" data-testid="rollback-summary">
            <RollbackSummary doc={doc} links={links} />
          </div>
        ) : (
          <details key={doc.id} className="rounded-lg border border-line bg-surface p-4">
            <summary className="cursor-pointer text-sm font-medium">{doc.title}</summary>
            <div className="mt-3">
              <RollbackSummary doc={doc} links={links} />
            </div>
          </details>
        );
      })}
    </Section>
  );
}
