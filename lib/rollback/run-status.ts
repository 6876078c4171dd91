// What state a rollback run is in, in words an operator acts on, and which steps "run until the
// next destructive step" would run. Pure: the page, the actions and the worker apply the same rules.
// Which state allows what is the state machine's (engine/state-machine.ts); this file reads it.
//
// Run status semantics:
// - RUNNING while any step is left. Within it, the run NEEDS AN OPERATOR when its next step is
//   FAILED or INTERRUPTED: nothing moves until someone retries it, marks it done (interrupted
//   only), skips it, or ends the run.
// - SUCCEEDED when every step is SUCCEEDED (run, or marked done by hand) or SKIPPED.
// - FAILED when an operator ends the run while it needs an operator (a step failed or was
//   interrupted and nobody could fix it): the rollback did not achieve its goal.
// - ABORTED when an operator ends the run otherwise (stopped on purpose, e.g. to roll back by hand).
import type { RunStatus, StepState } from "@/generated/prisma/enums";
import { isRunOpen, isStepDone, runTransition, stepPhase } from "@/lib/rollback/engine/state-machine";

// Kept importable from here for the pages and the summary, which already read them from this file.
export { isRunOpen, isStepDone };

export type StepLike = { id: string; position: number; name: string; state: StepState; destructive: boolean; error?: string | null };

/** The first step that is not done (SUCCEEDED or SKIPPED); steps are in position order. */
export function nextStep<S extends StepLike>(steps: readonly S[]): S | undefined {
  return [...steps].sort((a, b) => a.position - b.position).find((s) => !isStepDone(s.state));
}

export type RunAttention =
  | { kind: "ended"; status: RunStatus }
  /** A step failed or was interrupted: an operator must decide. */
  | { kind: "needs-operator"; step: StepLike }
  | { kind: "working"; step: StepLike }
  | { kind: "waiting"; step: StepLike }
  /** Every step is done but the run is still open (it ends in the same transaction, so only for an instant). */
  | { kind: "finishing" };

export function runAttention(status: RunStatus, steps: readonly StepLike[]): RunAttention {
  if (!isRunOpen(status)) return { kind: "ended", status };
  const next = nextStep(steps);
  if (!next) return { kind: "finishing" };
  switch (stepPhase(next.state)) {
    case "needs-operator":
      return { kind: "needs-operator", step: next };
    case "working":
      return { kind: "working", step: next };
    default:
      return { kind: "waiting", step: next };
  }
}

/** How a run ends when an operator ends it now: as failed while it needs an operator, aborted otherwise. */
export function operatorEndEvent(steps: readonly StepLike[]): "endFailed" | "abort" {
  const next = nextStep(steps);
  return next && stepPhase(next.state) === "needs-operator" ? "endFailed" : "abort";
}

export type AutoRunPlan =
  | {
      ok: true;
      /** The steps that will run, in order, one after another. */
      steps: StepLike[];
      /** The destructive step it stops before; null when it runs to the end of the plan. */
      stopBefore: StepLike | null;
      /** Steps at positions below this run; the value stored on the run while it is active. */
      until: number;
    }
  | { ok: false; reason: string };

const label = (s: StepLike) => `Step ${s.position + 1} "${s.name}"`;

/** The steps "run until the next destructive step" runs from here, or why it cannot start. */
export function autoRunPlan(status: RunStatus, steps: readonly StepLike[]): AutoRunPlan {
  const open = runTransition(status, "runUntil");
  if (!open.ok) return { ok: false, reason: open.reason };
  const ordered = [...steps].sort((a, b) => a.position - b.position);
  const next = nextStep(ordered);
  if (!next) return { ok: false, reason: "Every step is done: there is nothing left to run." };
  switch (stepPhase(next.state)) {
    case "needs-operator":
      return { ok: false, reason: `${label(next)} is ${next.state.toLowerCase()}: retry it, mark it done or skip it first.` };
    case "working":
      return { ok: false, reason: `${label(next)} is running: wait for it to finish.` };
    case "waiting":
      break;
    default:
      return { ok: false, reason: `${label(next)} is ${next.state.toLowerCase()} and cannot run.` };
  }
  if (next.destructive) {
    return { ok: false, reason: `${label(next)} is destructive: run it from its own button (it asks for the service name).` };
  }
  const run: StepLike[] = [];
  let stopBefore: StepLike | null = null;
  for (const s of ordered.slice(ordered.indexOf(next))) {
    if (s.destructive) {
      stopBefore = s;
      break;
    }
    run.push(s);
  }
  const last = ordered[ordered.length - 1];
  return { ok: true, steps: run, stopBefore, until: stopBefore ? stopBefore.position : last.position + 1 };
}

/** "steps 2–4" or "step 2". */
export function stepRange(steps: readonly { position: number }[]): string {
  if (steps.length === 0) return "no steps";
  const first = steps[0].position + 1;
  const last = steps[steps.length - 1].position + 1;
  return first === last ? `step ${first}` : `steps ${first}–${last}`;
}

export type ProcessRecord = { state: StepState; host: string | null; pid: number | null; processEndedAt: Date | null };

/**
 * Where the process of an interrupted attempt may still be running: it started one (pid recorded)
 * and nobody saw it end — recovery ends it on its own host, but cannot reach another machine. A
 * retry then needs the operator's word that they checked; null when nothing can still run.
 */
export function processMayStillRun(e: ProcessRecord | null | undefined): { host: string; pid: number } | null {
  if (!e || e.pid === null || e.processEndedAt !== null || stepPhase(e.state) !== "needs-operator") return null;
  return { host: e.host ?? "an unknown host", pid: e.pid };
}
