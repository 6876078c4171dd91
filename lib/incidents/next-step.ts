// What the people on an incident page should do next, in one sentence, and where on the page to
// do it: the control room's "you are here". Pure: derived from what the page already loaded.
import type { DecisionStatus, IncidentStatus, RunStatus } from "@/generated/prisma/enums";
import { runAttention, type StepLike } from "@/lib/rollback/run-status";

export type NextStepTone = "danger" | "warn" | "info" | "ok";
export type NextStepTarget = "evidence" | "decision" | "rollback" | "verification" | "resolve";

export type NextStep = { tone: NextStepTone; text: string; target: NextStepTarget };

export type NextStepInput = {
  status: IncidentStatus;
  /** The proposed or approved decision, if any. */
  decision: { status: DecisionStatus; approvals: number; required: number } | null;
  /** The run of the approved decision (null when it has not started). */
  run: { status: RunStatus; steps: readonly StepLike[] } | null;
  /** The latest run of any decision, to say that one ended without success. */
  latestRun: { status: RunStatus } | null;
  checklist: { locked: boolean; waived: boolean; signOffs: number } | null;
  /** A run succeeded: verification can start. */
  rollbackFinished: boolean;
};

const stepRef = (s: StepLike, total: number) => `step ${s.position + 1} of ${total} “${s.name}”`;

export function nextStepFor(i: NextStepInput): NextStep | null {
  if (i.status === "RESOLVED") return null;

  if (i.run) {
    const attention = runAttention(i.run.status, i.run.steps);
    const total = i.run.steps.length;
    if (attention.kind === "needs-operator") {
      const verb = attention.step.state === "INTERRUPTED" ? "was interrupted" : "failed";
      return {
        tone: "danger",
        text: `The rollback needs an operator: ${stepRef(attention.step, total)} ${verb}. Retry it, skip it, or end the rollback.`,
        target: "rollback",
      };
    }
    if (attention.kind === "working")
      return { tone: "info", text: `Rolling back: ${stepRef(attention.step, total)} is running.`, target: "rollback" };
    if (attention.kind === "waiting") {
      const done = i.run.steps.filter((s) => s.state === "SUCCEEDED" || s.state === "SKIPPED").length;
      return {
        tone: "info",
        text: `Rolling back (${done} of ${total} steps done): ${stepRef(attention.step, total)} is next.`,
        target: "rollback",
      };
    }
  }

  if (i.decision?.status === "APPROVED" && !i.run) {
    return { tone: "warn", text: "The rollback plan is approved: a responder starts it.", target: "rollback" };
  }
  if (i.decision?.status === "PROPOSED") {
    return {
      tone: "warn",
      text: `A rollback is proposed and waits for a release manager's approval (${i.decision.approvals} of ${i.decision.required}).`,
      target: "decision",
    };
  }

  if (i.checklist) {
    if (i.checklist.locked) return { tone: "ok", text: "Verification is signed off: the incident can be resolved.", target: "resolve" };
    if (i.checklist.waived) return { tone: "ok", text: "Verification sign-off was waived.", target: "verification" };
    return {
      tone: "info",
      text: `Verifying the rollback: work through the checklist (${i.checklist.signOffs} of 3 sign-offs).`,
      target: "verification",
    };
  }
  if (i.rollbackFinished) return { tone: "info", text: "The rollback finished: start the verification checklist.", target: "verification" };

  if (!i.decision && i.latestRun && (i.latestRun.status === "FAILED" || i.latestRun.status === "ABORTED")) {
    const ended = i.latestRun.status === "FAILED" ? "ended as failed" : "was aborted";
    return { tone: "danger", text: `The last rollback ${ended}: decide what to do next.`, target: "decision" };
  }
  if (i.status === "MONITORING") return { tone: "info", text: "Monitoring: watch the evidence against the baseline.", target: "evidence" };
  return { tone: "warn", text: "Read the evidence against the baseline, then propose a rollback or keep monitoring.", target: "decision" };
}
