"use client";

import { useAction } from "next-safe-action/hooks";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { FormAlert, INPUT_CLASS } from "@/components/ui/field";
import { abortRunAction, runUntilDestructiveAction, startRunAction, startRunUntilAction, stopRunUntilAction } from "@/lib/rollback/actions";

/**
 * "Start rollback": its confirmation lists the steps that then run one after another until the
 * first destructive step (the default), or starts the run for step-by-step work.
 */
export function StartRunButton({
  decisionId,
  planHash,
  serviceName,
  steps,
  stopBefore,
}: {
  decisionId: string;
  planHash: string;
  serviceName: string;
  /** The plan's steps before its first destructive one (none: the plan starts with one). */
  steps: ListedStep[];
  stopBefore: { position: number; name: string } | null;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [key, setKey] = useState("");
  const close = { onSuccess: () => dialog.current?.close() };
  const startUntil = useAction(startRunUntilAction, close);
  const start = useAction(startRunAction, close);
  const pending = startUntil.isPending || start.isPending;
  const error = startUntil.result.serverError ?? start.result.serverError;
  return (
    <>
      <Button
        onClick={() => {
          setKey(crypto.randomUUID());
          startUntil.reset();
          start.reset();
          dialog.current?.showModal();
        }}
      >
        Start rollback
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby="start-run-title"
        className="m-auto w-full max-w-lg rounded-lg border border-line bg-surface p-5 text-fg backdrop:bg-black/50"
      >
        <form
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            startUntil.execute({ decisionId, planHash, idempotencyKey: key });
          }}
        >
          <h3 id="start-run-title" className="text-lg font-semibold">
            Start the rollback of {serviceName}?
          </h3>
          {steps.length > 0 ? (
            <>
              <p className="text-sm">
                These {steps.length === 1 ? "step runs" : `${steps.length} steps run`} from the server, one after another, each once:
              </p>
              <StepsToRun steps={steps} stopBefore={stopBefore} />
            </>
          ) : (
            <p className="text-sm">
              The plan starts with a destructive step: it runs from its own button, which asks for the service name.
            </p>
          )}
          {error && <FormAlert>{error}</FormAlert>}
          <div className="flex flex-wrap justify-end gap-2">
            <Button variant="ghost" onClick={() => dialog.current?.close()}>
              Cancel
            </Button>
            <Button variant="secondary" disabled={pending} onClick={() => start.execute({ decisionId, planHash })}>
              Start step by step
            </Button>
            {steps.length > 0 && (
              <Button type="submit" disabled={pending}>
                {startUntil.isPending ? "Starting…" : `Run ${steps.length === 1 ? "1 step" : `${steps.length} steps`}`}
              </Button>
            )}
          </div>
        </form>
      </dialog>
    </>
  );
}

/** Ending the run: "abort" while it is progressing, "end as failed" while it waits on a failed step (the server decides the same way). */
export function AbortRunButton({ runId, endsFailed }: { runId: string; endsFailed: boolean }) {
  const verb = endsFailed ? "End rollback as failed" : "Abort rollback";
  const [open, setOpen] = useState(false);
  const abort = useAction(abortRunAction);
  const error =
    abort.result.serverError ?? (abort.result.validationErrors?.fieldErrors as Partial<Record<string, string[]>> | undefined)?.reason?.[0];
  if (!open) {
    return (
      <Button variant="ghost-danger" className="px-2.5 py-1" onClick={() => setOpen(true)}>
        {verb}…
      </Button>
    );
  }
  return (
    <form
      aria-label={verb}
      className="flex flex-wrap items-center gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        abort.execute({ runId, reason: String(new FormData(e.currentTarget).get("reason") ?? "") });
      }}
    >
      <label htmlFor="abort-reason" className="sr-only">
        {endsFailed ? "Why end it?" : "Why abort?"}
      </label>
      <input id="abort-reason" name="reason" placeholder={endsFailed ? "Why end it?" : "Why abort?"} className={`${INPUT_CLASS} w-64`} />
      <Button type="submit" variant="danger" disabled={abort.isPending}>
        {verb}
      </Button>
      <Button variant="ghost" onClick={() => setOpen(false)}>
        Cancel
      </Button>
      {error && <p className="w-full text-xs text-danger">{error}</p>}
    </form>
  );
}

type ListedStep = { id?: string; position: number; name: string; description: string };

/** The steps a confirmation will run, one after another, and where it stops: the same words in every dialog that runs steps. */
export function StepsToRun({ steps, stopBefore }: { steps: ListedStep[]; stopBefore: { position: number; name: string } | null }) {
  return (
    <>
      <ol className="space-y-1.5 text-sm" aria-label="Steps that will run">
        {steps.map((s) => (
          <li key={s.position}>
            <span className="font-medium">
              {s.position + 1}. {s.name}
            </span>
            <span className="block pl-4 font-mono text-xs break-all text-muted">{s.description}</span>
          </li>
        ))}
      </ol>
      <p className="text-sm">
        {stopBefore ? (
          <>
            It stops before step {stopBefore.position + 1} “{stopBefore.name}”, which is destructive and keeps its own confirmation.
          </>
        ) : (
          <>That is the rest of the plan.</>
        )}{" "}
        It also stops at the first failure, and when the rollback is aborted.
      </p>
    </>
  );
}

/**
 * "Run until the next destructive step": the confirmation lists exactly the steps that will run
 * (and the server refuses if the run would now run others); one idempotency key per confirmation.
 */
export function RunUntilButton({
  runId,
  steps,
  stopBefore,
  serviceName,
}: {
  runId: string;
  steps: (ListedStep & { id: string })[];
  stopBefore: { position: number; name: string } | null;
  serviceName: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [key, setKey] = useState("");
  const start = useAction(runUntilDestructiveAction, {
    onSuccess: () => {
      dialog.current?.close();
    },
  });
  const label = stopBefore ? "Run until the next destructive step" : "Run the remaining steps";
  return (
    <>
      <Button
        variant="secondary"
        onClick={() => {
          setKey(crypto.randomUUID());
          start.reset();
          dialog.current?.showModal();
        }}
      >
        {label}…
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby={`run-until-${runId}-title`}
        className="m-auto w-full max-w-lg rounded-lg border border-line bg-surface p-5 text-fg backdrop:bg-black/50"
      >
        <form
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            start.execute({ runId, idempotencyKey: key, stepIds: steps.map((s) => s.id) });
          }}
        >
          <h3 id={`run-until-${runId}-title`} className="text-lg font-semibold">
            {label}?
          </h3>
          <p className="text-sm">
            These {steps.length === 1 ? "step runs" : `${steps.length} steps run`} for <strong>{serviceName}</strong>, from the server, one
            after another, each once:
          </p>
          <StepsToRun steps={steps} stopBefore={stopBefore} />
          {start.result.serverError && <FormAlert>{start.result.serverError}</FormAlert>}
          <div className="flex justify-end gap-2">
            <Button variant="ghost" onClick={() => dialog.current?.close()}>
              Cancel
            </Button>
            <Button type="submit" disabled={start.isPending}>
              {start.isPending ? "Starting…" : `Run ${steps.length === 1 ? "1 step" : `${steps.length} steps`}`}
            </Button>
          </div>
        </form>
      </dialog>
    </>
  );
}

/**
 * "Stop after this step" while a run-until is active: the step in progress finishes (it is never
 * killed), the next one is not queued, and the run stays open for step-by-step work.
 */
export function StopRunUntilButton({ runId, incidentId }: { runId: string; incidentId: string }) {
  const [open, setOpen] = useState(false);
  const stop = useAction(stopRunUntilAction);
  const already = stop.result.data?.outcome === "already";
  if (!open) {
    return (
      <Button variant="secondary" className="px-2.5 py-1" onClick={() => setOpen(true)}>
        Stop after this step…
      </Button>
    );
  }
  return (
    <form
      aria-label="Stop after this step"
      className="flex w-full flex-wrap items-center gap-2 text-fg"
      onSubmit={(e) => {
        e.preventDefault();
        stop.execute({ runId, incidentId });
      }}
    >
      <span>The step in progress finishes; no further step starts by itself. The rollback stays open.</span>
      <Button type="submit" className="px-2.5 py-1" disabled={stop.isPending}>
        {stop.isPending ? "Stopping…" : "Stop after this step"}
      </Button>
      <Button variant="ghost" className="px-2.5 py-1" onClick={() => setOpen(false)}>
        Cancel
      </Button>
      {already && <p className="w-full text-xs">It has already stopped.</p>}
      {stop.result.serverError && <FormAlert>{stop.result.serverError}</FormAlert>}
    </form>
  );
}
