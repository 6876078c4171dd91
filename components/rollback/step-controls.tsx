"use client";

// Guarded buttons of one rollback step. Running asks for a confirmation that says exactly what
// will run against what; destructive steps also want the service name typed.
import { useAction } from "next-safe-action/hooks";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { FormAlert, INPUT_CLASS } from "@/components/ui/field";
import { markStepDoneAction, requestStepAction, retryStepAction, skipStepAction, stopStepAction } from "@/lib/rollback/actions";

type Mode = "run" | "retry" | "done" | "skip" | "stop";

export function StepControls({
  stepId,
  name,
  description,
  destructive,
  serviceName,
  modes,
  mayStillRun = null,
}: {
  stepId: string;
  name: string;
  description: string;
  destructive: boolean;
  serviceName: string;
  modes: Mode[];
  /** The interrupted attempt's process may still run there: a retry asks the operator to confirm they checked. */
  mayStillRun?: { host: string; pid: number } | null;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [mode, setMode] = useState<Mode>("run");
  const [key, setKey] = useState("");
  const onSuccess = () => {
    dialog.current?.close();
  };
  const run = useAction(requestStepAction, { onSuccess });
  const retry = useAction(retryStepAction, { onSuccess });
  const done = useAction(markStepDoneAction, { onSuccess });
  const skip = useAction(skipStepAction, { onSuccess });
  const stop = useAction(stopStepAction, { onSuccess });
  const active = { run, retry, done, skip, stop }[mode];
  const fieldErrors = (active.result.validationErrors?.fieldErrors ?? {}) as Partial<Record<string, string[]>>;
  const error = active.result.serverError ?? Object.values(fieldErrors)[0]?.[0];

  function open(next: Mode) {
    setMode(next);
    // One key per confirmation: a double click or a retried request is the same execution.
    setKey(crypto.randomUUID());
    run.reset();
    retry.reset();
    done.reset();
    skip.reset();
    stop.reset();
    dialog.current?.showModal();
  }

  const titles: Record<Mode, string> = {
    run: `Run “${name}”?`,
    retry: `Retry “${name}”?`,
    done: `Mark “${name}” done?`,
    skip: `Skip “${name}”?`,
    stop: `Stop “${name}”?`,
  };
  const labels: Record<Mode, string> = {
    run: "Run step",
    retry: "Retry step",
    done: "Mark done",
    skip: "Skip step",
    stop: "Stop this step",
  };

  return (
    <>
      <div className="flex flex-wrap gap-2">
        {modes.map((m) => (
          <Button
            key={m}
            variant={m === "run" || m === "retry" ? (destructive ? "danger" : "primary") : m === "stop" ? "danger" : "secondary"}
            className="px-3 py-1.5"
            // The step's name is right above: the button shows the verb, its accessible name says which step.
            aria-label={m === "run" ? `Run: ${name}` : `${labels[m]}: ${name}`}
            onClick={() => open(m)}
          >
            {m === "run" ? "Run" : labels[m]}
          </Button>
        ))}
      </div>
      <dialog
        ref={dialog}
        aria-labelledby={`step-${stepId}-title`}
        className="m-auto w-full max-w-lg rounded-lg border border-line bg-surface p-5 text-fg backdrop:bg-black/50"
      >
        <form
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const note = String(f.get("note") ?? "");
            if (mode === "run") run.execute({ stepId, idempotencyKey: key, confirmation: String(f.get("confirmation") ?? "") });
            if (mode === "retry") {
              retry.execute({
                stepId,
                idempotencyKey: key,
                note,
                confirmation: String(f.get("confirmation") ?? ""),
                processChecked: f.get("processChecked") === "on",
              });
            }
            if (mode === "done") done.execute({ stepId, note });
            if (mode === "skip") skip.execute({ stepId, note });
            if (mode === "stop") stop.execute({ stepId, reason: note });
          }}
        >
          <h3 id={`step-${stepId}-title`} className="text-lg font-semibold">
            {titles[mode]}
          </h3>
          {(mode === "run" || mode === "retry") && (
            <p className="text-sm wrap-anywhere">
              This will <strong>{description}</strong> for <strong>{serviceName}</strong>, now, from the server.
              {destructive && <span className="mt-1 block font-medium text-danger">This step is destructive.</span>}
            </p>
          )}
          {mode === "done" && <p className="text-sm">Nothing runs. Record that the step was completed by hand, and how you know.</p>}
          {mode === "skip" && <p className="text-sm">Nothing runs. The next step becomes available. Say why it is safe to skip.</p>}
          {mode === "stop" && (
            <p className="text-sm">
              Its process group is sent SIGTERM, then SIGKILL after a grace period (or its request is cancelled). The step ends canceled and
              the rollback waits for you: retry it, mark it done or skip it. The run is not aborted.
            </p>
          )}
          {(mode === "run" || mode === "retry") && destructive && (
            <div className="space-y-1">
              <label htmlFor={`confirm-${stepId}`} className="block text-sm font-medium">
                Type <code>{serviceName}</code> to confirm
              </label>
              <input id={`confirm-${stepId}`} name="confirmation" autoComplete="off" className={INPUT_CLASS} />
            </div>
          )}
          {mode === "retry" && mayStillRun && (
            <label className="flex items-start gap-2 text-sm">
              <input type="checkbox" name="processChecked" className="mt-1" />
              <span>
                I checked that the interrupted attempt (pid {mayStillRun.pid} on {mayStillRun.host}) is no longer running.
              </span>
            </label>
          )}
          {mode !== "run" && (
            <div className="space-y-1">
              <label htmlFor={`note-${stepId}`} className="block text-sm font-medium">
                Note for the timeline
              </label>
              <input id={`note-${stepId}`} name="note" className={INPUT_CLASS} />
            </div>
          )}
          {error && <FormAlert>{error}</FormAlert>}
          <div className="flex justify-end gap-2">
            <Button variant="ghost" onClick={() => dialog.current?.close()}>
              Cancel
            </Button>
            <Button type="submit" variant={destructive || mode === "stop" ? "danger" : "primary"} disabled={active.isPending}>
              {active.isPending ? "Working…" : labels[mode]}
            </Button>
          </div>
        </form>
      </dialog>
    </>
  );
}
