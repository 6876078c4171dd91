// The rollback lifecycle in two tables: for a step (and each of its executions), which event moves
// it from which state to which, the timeline kind the move records, and the refusal an operator
// reads otherwise; for a run, the same for its status. Pure (no Prisma, no I/O): the engine
// (runs.ts), the worker and the run-status rules ask these tables and compare no states themselves.
// Every predicate below is read off the tables, so a change to the lifecycle is made here once.
import { RunStatus, StepState, type TimelineKind } from "@/generated/prisma/enums";

// ───────────────────────────── steps ─────────────────────────────

export type StepEvent =
  /** An operator runs the step, or "run until the next destructive step" queues it. */
  | "request"
  /** An operator tries a failed or interrupted step again (a new attempt). */
  | "retry"
  /** A worker claims the queued step and runs its executor. */
  | "start"
  /** A worker's claim finds the plan no longer approved: the step fails without running. */
  | "refuseStart"
  | "succeed"
  | "fail"
  /** The run ended while the step ran: its executor was stopped. */
  | "stop"
  /**
   * An operator stops this one step (a hung command or request): it ends CANCELED, its run stays
   * open and waits for an operator (retry, mark done, skip), as after a failure.
   */
  | "operatorStop"
  /** The step's worker died (no heartbeat, or its process is gone). Nothing re-runs without an operator. */
  | "interrupt"
  /** An operator verified an interrupted step by hand. */
  | "markDone"
  /** An operator leaves the step out, with a reason. */
  | "skip"
  /** The run ended before the step ran. */
  | "cancel";

type Move<S extends string> = { readonly to: S; readonly timelineKind: TimelineKind | null };
/** Not a move and not an error: the request is already honoured (the step is queued, running or done). */
type Already = { readonly already: true };
type Refusal<S extends string> = { readonly refuse: (from: S) => string };
type Cell<S extends string> = Move<S> | Already | Refusal<S>;

const move = <S extends string, const K extends TimelineKind | null>(to: S, timelineKind: K) => ({ to, timelineKind });
const ALREADY: Already = { already: true };
const word = (state: string) => state.toLowerCase();

/** What an operator reads when the table has no move for (state, event) and its cell says nothing else. */
const STEP_REFUSALS: Record<StepEvent, (from: StepState) => string> = {
  request: (s) => `This step is ${word(s)} and cannot run.`,
  retry: (s) => `Only an interrupted, failed or stopped step can be retried (this one is ${word(s)}).`,
  start: (s) => `Only a queued step can start (this one is ${word(s)}).`,
  refuseStart: (s) => `Only a queued step can start (this one is ${word(s)}).`,
  succeed: (s) => `Only a running step can finish (this one is ${word(s)}).`,
  fail: (s) => `Only a running step can finish (this one is ${word(s)}).`,
  stop: (s) => `Only a running step can be stopped (this one is ${word(s)}).`,
  operatorStop: (s) => `Only a queued or running step can be stopped (this one is ${word(s)}).`,
  interrupt: (s) => `Only a running step can be interrupted (this one is ${word(s)}).`,
  markDone: (s) => `Only an interrupted or stopped step can be marked done by hand (this one is ${word(s)}).`,
  skip: (s) => `A ${word(s)} step cannot be skipped.`,
  cancel: (s) => `A ${word(s)} step cannot be canceled.`,
};

/** Running it again must be a deliberate operator decision, so a plain "run" is refused with the choices. */
const NEEDS_OPERATOR: Refusal<StepState> = {
  refuse: (s) => `This step is ${word(s)}: retry it, mark it done or skip it explicitly.`,
};

/**
 * THE step table. An execution (one attempt) follows the same table from QUEUED: it is never
 * NOT_STARTED, and retry, mark done and skip act on the step (a retry creates a new execution).
 * A missing cell is a refusal with the event's message in STEP_REFUSALS.
 */
const STEP_TABLE = {
  NOT_STARTED: {
    // Queuing records no timeline event of its own: STEP_STARTED comes when a worker starts it.
    request: move("QUEUED", null),
    skip: move("SKIPPED", "STEP_SKIPPED"),
    // The run's own event (RUN_ABORTED / RUN_ENDED) tells the story of its canceled steps.
    cancel: move("CANCELED", null),
  },
  QUEUED: {
    request: ALREADY,
    start: move("RUNNING", "STEP_STARTED"),
    refuseStart: move("FAILED", "STEP_FAILED"),
    cancel: move("CANCELED", null),
    // Nothing ran: the step is canceled at once.
    operatorStop: move("CANCELED", "STEP_CANCELED"),
  },
  RUNNING: {
    request: ALREADY,
    succeed: move("SUCCEEDED", "STEP_SUCCEEDED"),
    fail: move("FAILED", "STEP_FAILED"),
    stop: move("CANCELED", "STEP_CANCELED"),
    // Recorded when the worker has ended the executor (its process group, or its request).
    operatorStop: move("CANCELED", "STEP_CANCELED"),
    interrupt: move("INTERRUPTED", "STEP_INTERRUPTED"),
  },
  SUCCEEDED: { request: ALREADY },
  FAILED: {
    request: NEEDS_OPERATOR,
    // The retry's note is its timeline event; the new attempt then starts like any queued step.
    retry: move("QUEUED", "NOTE"),
    skip: move("SKIPPED", "STEP_SKIPPED"),
  },
  INTERRUPTED: {
    request: NEEDS_OPERATOR,
    retry: move("QUEUED", "NOTE"),
    // Only an interruption can be marked done: the executor may have finished before its worker died.
    markDone: move("SUCCEEDED", "STEP_MARKED_DONE"),
    skip: move("SKIPPED", "STEP_SKIPPED"),
  },
  SKIPPED: {},
  // Stopped by an operator, or by the end of its run. Only an open run lets these happen (the run
  // table's guards), so a step canceled by an abort stays as it is.
  CANCELED: {
    request: NEEDS_OPERATOR,
    retry: move("QUEUED", "NOTE"),
    // It may have done its work before it was stopped: the operator checks and says so.
    markDone: move("SUCCEEDED", "STEP_MARKED_DONE"),
    skip: move("SKIPPED", "STEP_SKIPPED"),
  },
} as const satisfies { [S in StepState]: { [E in StepEvent]?: Cell<StepState> } };

/** A step's first state (the schema's default). */
export const NEW_STEP_STATE: StepState = StepState.NOT_STARTED;
export const STEP_STATES: readonly StepState[] = Object.values(StepState);
export const STEP_EVENTS = Object.keys(STEP_REFUSALS) as readonly StepEvent[];

type StepTable = typeof STEP_TABLE;
/** The timeline kinds an event can record, read from the table: a caller knows at compile time whether it records one. */
type StepTimelineOf<E extends StepEvent> = E extends StepEvent
  ? { [S in StepState]: StepTable[S] extends { readonly [K in E]: { readonly timelineKind: infer T } } ? T : never }[StepState]
  : never;

export type StepMove<E extends StepEvent = StepEvent> = {
  ok: true;
  from: StepState;
  event: E;
  to: StepState;
  timelineKind: StepTimelineOf<E>;
};
export type Refused = {
  ok: false;
  /** True when the request is already honoured (nothing to do, not an error); reason says why. */
  already: boolean;
  /** The message an operator reads. */
  reason: string;
};
export type StepTransition<E extends StepEvent = StepEvent> = StepMove<E> | Refused;

/** The step table's answer for this event in this state. */
export function stepTransition<E extends StepEvent>(from: StepState, event: E): StepTransition<E> {
  const cell = (STEP_TABLE[from] as { readonly [K in StepEvent]?: Cell<StepState> })[event];
  if (cell && "to" in cell) return { ok: true, from, event, to: cell.to, timelineKind: cell.timelineKind as StepTimelineOf<E> };
  if (cell && "already" in cell) return { ok: false, already: true, reason: `This step is ${word(from)} already.` };
  return { ok: false, already: false, reason: (cell?.refuse ?? STEP_REFUSALS[event])(from) };
}

const accepts = (from: StepState, event: StepEvent) => stepTransition(from, event).ok;

/** The states in which the event moves a step: what a where-clause selects for it. */
export function stepStatesAccepting(event: StepEvent): StepState[] {
  return STEP_STATES.filter((s) => accepts(s, event));
}

/** The states the events lead to. */
function stepTargetsOf(events: readonly StepEvent[]): StepState[] {
  const targets = new Set<StepState>();
  for (const s of STEP_STATES) {
    for (const e of events) {
      const t = stepTransition(s, e);
      if (t.ok) targets.add(t.to);
    }
  }
  return STEP_STATES.filter((s) => targets.has(s));
}

/** One event applied to many rows at once (an updateMany): where it applies and the one state it leads to. */
export function stepMoveForAll(event: StepEvent): { from: StepState[]; to: StepState } {
  const to = stepTargetsOf([event]);
  if (to.length !== 1) throw new Error(`"${event}" leads to ${to.length} different states: it cannot be applied in bulk.`);
  return { from: stepStatesAccepting(event), to: to[0] };
}

/**
 * Done: the step got there by succeeding, by an operator's word or by being skipped. The run goes
 * on past a done step and ends SUCCEEDED when all are done.
 */
export const DONE_STEP_STATES: readonly StepState[] = stepTargetsOf(["succeed", "markDone", "skip"]);
const SKIPPED_STEP_STATES: readonly StepState[] = stepTargetsOf(["skip"]);
/** A worker holds a step (or an execution) in these: it can still succeed, fail, stop or be interrupted. */
export const RUNNING_STEP_STATES: readonly StepState[] = stepStatesAccepting("succeed");
/** What a worker may claim. */
export const CLAIMABLE_STEP_STATES: readonly StepState[] = stepStatesAccepting("start");

export const isStepDone = (state: StepState) => DONE_STEP_STATES.includes(state);
/** Skipped by an operator: done, but not a success (a later step that needs its result refuses). */
export const isStepSkipped = (state: StepState) => SKIPPED_STEP_STATES.includes(state);

export type StepPhase =
  /** Waits for someone to run it. */
  | "waiting"
  /** Queued for a worker or running: it moves on without an operator. */
  | "working"
  /** Failed, interrupted or stopped: nothing moves until an operator retries, marks done or skips it (or ends the run). */
  | "needs-operator"
  | "done";

/** Where a step stands, read from what the table lets happen to it next. */
export function stepPhase(state: StepState): StepPhase {
  if (isStepDone(state)) return "done";
  if (accepts(state, "retry")) return "needs-operator";
  if (accepts(state, "start") || accepts(state, "succeed")) return "working";
  return "waiting";
}

// ───────────────────────────── runs ─────────────────────────────

export type RunEvent =
  /** The run is created and its first step may be requested. */
  | "start"
  /** Guards: the run must still be open for these step actions (the status does not change). */
  | "queueStep"
  | "startStep"
  | "markStepDone"
  | "skipStep"
  | "runUntil"
  | "stopRunUntil"
  | "stopStep"
  /** Every step is done. */
  | "finish"
  /** An operator ends the run while it needs an operator (a step failed or was interrupted): the rollback did not achieve its goal. */
  | "endFailed"
  /** An operator ends the run otherwise (stopped on purpose). */
  | "abort";

/** A guard: the run stays as it is. */
const STAY = { stay: true } as const;
type RunCell = Cell<RunStatus> | typeof STAY;

const ENDED = (s: RunStatus) => `This rollback run has ended (${word(s)}).`;
const RUN_REFUSALS: Record<RunEvent, (from: RunStatus) => string> = {
  start: (s) => `This rollback run has already started (${word(s)}).`,
  queueStep: () => "This rollback run has ended.",
  // Not shown to an operator: stored as the error of the step the worker then cancels.
  startStep: (s) => `the run is ${word(s)}`,
  markStepDone: ENDED,
  skipStep: () => "This rollback run has ended.",
  runUntil: () => "This rollback run has ended.",
  stopRunUntil: ENDED,
  stopStep: ENDED,
  finish: ENDED,
  endFailed: (s) => `This run has already ended (${word(s)}).`,
  abort: (s) => `This run has already ended (${word(s)}).`,
};

const OPEN_RUN = {
  queueStep: STAY,
  startStep: STAY,
  markStepDone: STAY,
  skipStep: STAY,
  runUntil: STAY,
  stopRunUntil: STAY,
  stopStep: STAY,
  finish: move("SUCCEEDED", "RUN_ENDED"),
  endFailed: move("FAILED", "RUN_ENDED"),
  abort: move("ABORTED", "RUN_ABORTED"),
} as const;

/** THE run table. A missing cell is a refusal with the event's message in RUN_REFUSALS. */
const RUN_TABLE = {
  PENDING: { start: move("RUNNING", "RUN_STARTED"), ...OPEN_RUN },
  RUNNING: OPEN_RUN,
  SUCCEEDED: {},
  FAILED: {},
  ABORTED: { queueStep: { refuse: () => "This rollback run was aborted: its steps can no longer run." } },
} as const satisfies { [S in RunStatus]: { [E in RunEvent]?: RunCell } };

/** A run's first status (the schema's default); starting it is the table's first move. */
export const NEW_RUN_STATUS: RunStatus = RunStatus.PENDING;
export const RUN_STATUSES: readonly RunStatus[] = Object.values(RunStatus);
export const RUN_EVENTS = Object.keys(RUN_REFUSALS) as readonly RunEvent[];

type RunTable = typeof RUN_TABLE;
type RunTimelineOf<E extends RunEvent> = E extends RunEvent
  ? {
      [S in RunStatus]: RunTable[S] extends { readonly [K in E]: infer C } ? (C extends { timelineKind: infer T } ? T : null) : never;
    }[RunStatus]
  : never;

export type RunMove<E extends RunEvent = RunEvent> = {
  ok: true;
  from: RunStatus;
  event: E;
  /** The same status for a guard. */
  to: RunStatus;
  timelineKind: RunTimelineOf<E>;
};
export type RunTransition<E extends RunEvent = RunEvent> = RunMove<E> | Refused;

/** The run table's answer for this event in this status. */
export function runTransition<E extends RunEvent>(from: RunStatus, event: E): RunTransition<E> {
  const cell = (RUN_TABLE[from] as { readonly [K in RunEvent]?: RunCell })[event];
  if (cell && "stay" in cell) return { ok: true, from, event, to: from, timelineKind: null as RunTimelineOf<E> };
  if (cell && "to" in cell) return { ok: true, from, event, to: cell.to, timelineKind: cell.timelineKind as RunTimelineOf<E> };
  return { ok: false, already: false, reason: (cell && "refuse" in cell ? cell.refuse : RUN_REFUSALS[event])(from) };
}

export function runStatusesAccepting(event: RunEvent): RunStatus[] {
  return RUN_STATUSES.filter((s) => runTransition(s, event).ok);
}

/** Open: the run can still be ended, so its steps can still change. */
export const OPEN_RUN_STATUSES: readonly RunStatus[] = runStatusesAccepting("abort");
export const isRunOpen = (status: RunStatus) => OPEN_RUN_STATUSES.includes(status);
