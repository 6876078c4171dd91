"use client";

import { useAction } from "next-safe-action/hooks";
import { useRef, useState } from "react";
import { StepsToRun } from "@/components/rollback/run-controls";
import { Button } from "@/components/ui/button";
import { FormAlert, INPUT_CLASS } from "@/components/ui/field";
import { approveAndStartAction, approveDecisionAction, rejectDecisionAction } from "@/lib/decision/actions";

/** Release managers' buttons. The approval names the plan hash the approver was shown. */
export function ApprovalControls({
  decisionId,
  planHash,
  serviceName,
  destructive,
  stepCount,
  strategyLabel,
  failedChecks,
  startOnApproval,
}: {
  decisionId: string;
  planHash: string;
  serviceName: string;
  destructive: boolean;
  stepCount: number;
  strategyLabel: string;
  /** Readiness checks that failed at the proposal: approving needs their acknowledgement. */
  failedChecks: string[];
  /** The proposer asked for the rollback to start on approval: what "Approve and start" runs. Null: not offered. */
  startOnApproval: {
    steps: { position: number; name: string; description: string }[];
    stopBefore: { position: number; name: string } | null;
  } | null;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [rejecting, setRejecting] = useState(false);
  const approve = useAction(approveDecisionAction, {
    onSuccess: () => {
      dialog.current?.close();
    },
  });
  const approveStart = useAction(approveAndStartAction, {
    onSuccess: () => {
      dialog.current?.close();
    },
  });
  const [key, setKey] = useState("");
  const reject = useAction(rejectDecisionAction);
  // A refusal about a field (the typed confirmation, the reason) comes back as that field's error.
  const fieldError = (r: { validationErrors?: { fieldErrors?: unknown } }, field: string) =>
    (r.validationErrors?.fieldErrors as Partial<Record<string, string[]>> | undefined)?.[field]?.[0];
  const approveError =
    approve.result.serverError ??
    fieldError(approve.result, "confirmation") ??
    fieldError(approve.result, "acknowledgeFailedChecks") ??
    approveStart.result.serverError ??
    fieldError(approveStart.result, "confirmation") ??
    fieldError(approveStart.result, "acknowledgeFailedChecks");
  const pending = approve.isPending || approveStart.isPending;
  const offersStart = startOnApproval !== null && startOnApproval.steps.length > 0;
  const error = approve.result.serverError ?? reject.result.serverError ?? fieldError(reject.result, "reason");

  return (
    <div className="space-y-2">
      {error && <FormAlert>{error}</FormAlert>}
      <div className="flex flex-wrap gap-2">
        <Button
          onClick={() => {
            setKey(crypto.randomUUID());
            approve.reset();
            approveStart.reset();
            dialog.current?.showModal();
          }}
        >
          Approve rollback
        </Button>
        <Button variant="secondary" onClick={() => setRejecting((r) => !r)}>
          Reject
        </Button>
      </div>
      {rejecting && (
        <form
          aria-label="Reject rollback"
          className="flex flex-wrap gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            reject.execute({ decisionId, reason: String(new FormData(e.currentTarget).get("reason") ?? "") });
          }}
        >
          <label htmlFor="reject-reason" className="sr-only">
            Why reject?
          </label>
          <input id="reject-reason" name="reason" placeholder="Why reject?" className={`${INPUT_CLASS} w-auto flex-1`} />
          <Button type="submit" variant="danger" disabled={reject.isPending}>
            Reject rollback
          </Button>
        </form>
      )}
      <dialog
        ref={dialog}
        aria-labelledby="approve-title"
        className="m-auto w-full max-w-md rounded-lg border border-line bg-surface p-5 text-fg backdrop:bg-black/50"
      >
        <form
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const input = {
              decisionId,
              planHash,
              confirmation: String(f.get("confirmation") ?? ""),
              acknowledgeFailedChecks: f.get("acknowledgeFailedChecks") === "on",
            };
            // Which of the two submit buttons was pressed: "Approve and start" or "Approve plan".
            const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
            if (submitter?.value === "start") approveStart.execute({ ...input, idempotencyKey: key });
            else approve.execute(input);
          }}
        >
          <h3 id="approve-title" className="text-lg font-semibold">
            Approve this rollback?
          </h3>
          <p className="text-sm">
            You approve the <strong>{strategyLabel.toLowerCase()}</strong> of <strong>{serviceName}</strong> exactly as planned: {stepCount}{" "}
            steps. If the plan changes afterwards, your approval stops counting.
          </p>
          {destructive && (
            <div className="space-y-1">
              <label htmlFor="confirmation" className="block text-sm font-medium text-danger">
                The plan has destructive steps. Type <code>{serviceName}</code> to confirm.
              </label>
              <input id="confirmation" name="confirmation" autoComplete="off" className={INPUT_CLASS} />
            </div>
          )}
          {failedChecks.length > 0 && (
            <div className="space-y-2 rounded-md bg-warn-soft px-3 py-2 text-sm text-warn">
              <p className="font-medium">
                {failedChecks.length === 1 ? "A readiness check" : `${failedChecks.length} readiness checks`} failed when this rollback was
                proposed:
              </p>
              <ul className="list-disc pl-5">
                {failedChecks.map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
              <label className="flex items-start gap-2 font-medium">
                <input type="checkbox" name="acknowledgeFailedChecks" required className="mt-1" />
                <span>I know {failedChecks.length === 1 ? "this check" : "these checks"} failed and approve anyway</span>
              </label>
            </div>
          )}
          {offersStart && startOnApproval && (
            <div className="space-y-2 rounded-md border border-line p-3">
              <p className="text-sm font-medium">The proposer asked for the rollback to start on approval. Approve and start runs:</p>
              <StepsToRun steps={startOnApproval.steps} stopBefore={startOnApproval.stopBefore} />
            </div>
          )}
          {approveError && <FormAlert>{approveError}</FormAlert>}
          <div className="flex flex-wrap justify-end gap-2">
            <Button variant="ghost" onClick={() => dialog.current?.close()}>
              Cancel
            </Button>
            <Button type="submit" value="approve" variant={offersStart ? "secondary" : "primary"} disabled={pending}>
              {approve.isPending ? "Approving…" : "Approve plan"}
            </Button>
            {offersStart && (
              <Button type="submit" value="start" disabled={pending}>
                {approveStart.isPending ? "Starting…" : "Approve and start"}
              </Button>
            )}
          </div>
        </form>
      </dialog>
    </div>
  );
}
