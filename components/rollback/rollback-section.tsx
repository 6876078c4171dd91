// The Rollback section of the control room: the approved plan's steps, run one at a time from
// guarded buttons by the workers, with their state and live output (StepOutput appends the lines
// the live channel brings; state changes re-render the page through RefreshOnEvents).
import { Badge, type Tone } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import type { RunStatus, StepState } from "@/generated/prisma/enums";
import type { Actor } from "@/lib/audit/log";
import { can } from "@/lib/auth/roles";
import { describeStep } from "@/lib/rollback/describe";
import type { getLatestRun } from "@/lib/rollback/queries";
import { AbortRunButton, StartRunButton } from "./run-controls";
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

export function RollbackSection({
  user,
  serviceName,
  approvedDecision,
  run,
}: {
  user: Actor;
  serviceName: string;
  approvedDecision: { id: string; planHash: string } | null;
  run: Run | null;
}) {
  const canExecute = can(user.role, "rollback:execute");
  if (!run && !approvedDecision) return null;
  // The next step is the first one not yet done or skipped; only it may be acted on.
  const next = run?.steps.find((s) => s.state !== "SUCCEEDED" && s.state !== "SKIPPED");
  const live = run?.status === "RUNNING";

  return (
    <section aria-labelledby="rollback-h" className="space-y-4">
      <h2 id="rollback-h" className="text-lg font-semibold">
        Rollback
      </h2>
      {!run && approvedDecision && (
        <div className="space-y-3 rounded-lg border border-line bg-surface p-4">
          <p className="text-sm">
            The plan is approved. Starting the rollback makes its steps available below; each runs when someone presses its button.
          </p>
          {canExecute ? (
            <StartRunButton decisionId={approvedDecision.id} planHash={approvedDecision.planHash} />
          ) : (
            <p className="text-sm text-muted">A responder starts it.</p>
          )}
        </div>
      )}
      {run && (
        <div className="space-y-3 rounded-lg border border-line bg-surface p-4" data-testid="rollback-run">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <p className="flex flex-wrap items-center gap-2 text-sm">
              <Badge tone={RUN_STATUS[run.status].tone}>
                <span data-testid="run-status">{RUN_STATUS[run.status].label}</span>
              </Badge>
              <span className="text-muted">
                started by {run.startedBy?.name ?? "—"}
                {run.startedAt && (
                  <>
                    , <LocalTime iso={run.startedAt.toISOString()} />
                  </>
                )}
              </span>
            </p>
            {live && canExecute && <AbortRunButton runId={run.id} />}
          </div>
          {run.abortReason && <p className="text-sm text-danger">Aborted: {run.abortReason}</p>}
          <ol className="space-y-3" aria-label="Rollback steps">
            {run.steps.map((s, i) => {
              const output = (s.output ?? {}) as { summary?: string };
              const modes =
                !live || !canExecute || s.id !== next?.id
                  ? []
                  : s.state === "NOT_STARTED"
                    ? (["run", "skip"] as const)
                    : s.state === "INTERRUPTED"
                      ? (["retry", "done", "skip"] as const)
                      : s.state === "FAILED"
                        ? (["retry", "skip"] as const)
                        : [];
              return (
                <li key={s.id} className="rounded-md border border-line p-3" aria-label={`Step ${i + 1}: ${s.name}`}>
                  <div className="flex flex-wrap items-center gap-2 text-sm">
                    <span className="w-5 text-right font-mono text-xs text-muted">{i + 1}.</span>
                    <span className="font-medium">{s.name}</span>
                    <Badge tone={STATE[s.state].tone}>
                      <span data-testid={`step-state-${i + 1}`}>{STATE[s.state].label}</span>
                    </Badge>
                    {s.destructive && <Badge tone="danger">destructive</Badge>}
                    {s.changesTraffic && <Badge tone="info">changes traffic</Badge>}
                    {s.attempts > 1 && <span className="text-xs text-muted">attempt {s.attempts}</span>}
                  </div>
                  <p className="mt-1 pl-7 font-mono text-xs text-muted">{describeStep(s.executor, s.config as Record<string, unknown>)}</p>
                  {(s.error || output.summary || s.resultNote) && (
                    <p className={`mt-1 pl-7 text-sm ${s.state === "FAILED" ? "text-danger" : ""}`}>
                      {s.error ?? output.summary ?? s.resultNote}
                    </p>
                  )}
                  {s.state === "INTERRUPTED" && (
                    <p className="mt-1 pl-7 text-sm text-warn">
                      The server stopped while this step ran. Nothing re-runs by itself: check the target, then retry, mark done or skip.
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
                      />
                    </div>
                  )}
                </li>
              );
            })}
          </ol>
        </div>
      )}
    </section>
  );
}
