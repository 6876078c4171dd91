import { describe, expect, it } from "vitest";
import type { RunStatus, StepState, TimelineKind } from "@/generated/prisma/enums";
import {
  CLAIMABLE_STEP_STATES,
  DONE_STEP_STATES,
  isRunOpen,
  isStepDone,
  isStepSkipped,
  NEW_RUN_STATUS,
  NEW_STEP_STATE,
  OPEN_RUN_STATUSES,
  RUN_EVENTS,
  RUN_STATUSES,
  RUNNING_STEP_STATES,
  type RunEvent,
  runStatusesAccepting,
  runTransition,
  STEP_EVENTS,
  STEP_STATES,
  type StepEvent,
  stepMoveForAll,
  stepPhase,
  stepStatesAccepting,
  stepTransition,
} from "./state-machine";

// The expected lifecycle, written out again by hand: every (state, event) pair not listed here must
// be refused. A change to the table that is not also made here fails this file.
type Expect<S extends string> = { to: S; timelineKind: TimelineKind | null } | "already" | { refused: string };

const STEP_MOVES: Record<StepEvent, Partial<Record<StepState, Expect<StepState>>>> = {
  request: {
    NOT_STARTED: { to: "QUEUED", timelineKind: null },
    QUEUED: "already",
    RUNNING: "already",
    SUCCEEDED: "already",
    FAILED: { refused: "This step is failed: retry it, mark it done or skip it explicitly." },
    INTERRUPTED: { refused: "This step is interrupted: retry it, mark it done or skip it explicitly." },
    CANCELED: { refused: "This step is canceled: retry it, mark it done or skip it explicitly." },
  },
  retry: {
    FAILED: { to: "QUEUED", timelineKind: "NOTE" },
    INTERRUPTED: { to: "QUEUED", timelineKind: "NOTE" },
    CANCELED: { to: "QUEUED", timelineKind: "NOTE" },
  },
  start: { QUEUED: { to: "RUNNING", timelineKind: "STEP_STARTED" } },
  refuseStart: { QUEUED: { to: "FAILED", timelineKind: "STEP_FAILED" } },
  succeed: { RUNNING: { to: "SUCCEEDED", timelineKind: "STEP_SUCCEEDED" } },
  fail: { RUNNING: { to: "FAILED", timelineKind: "STEP_FAILED" } },
  stop: { RUNNING: { to: "CANCELED", timelineKind: "STEP_CANCELED" } },
  operatorStop: {
    QUEUED: { to: "CANCELED", timelineKind: "STEP_CANCELED" },
    RUNNING: { to: "CANCELED", timelineKind: "STEP_CANCELED" },
  },
  interrupt: { RUNNING: { to: "INTERRUPTED", timelineKind: "STEP_INTERRUPTED" } },
  markDone: {
    INTERRUPTED: { to: "SUCCEEDED", timelineKind: "STEP_MARKED_DONE" },
    CANCELED: { to: "SUCCEEDED", timelineKind: "STEP_MARKED_DONE" },
  },
  skip: {
    NOT_STARTED: { to: "SKIPPED", timelineKind: "STEP_SKIPPED" },
    FAILED: { to: "SKIPPED", timelineKind: "STEP_SKIPPED" },
    INTERRUPTED: { to: "SKIPPED", timelineKind: "STEP_SKIPPED" },
    CANCELED: { to: "SKIPPED", timelineKind: "STEP_SKIPPED" },
  },
  cancel: {
    NOT_STARTED: { to: "CANCELED", timelineKind: null },
    QUEUED: { to: "CANCELED", timelineKind: null },
  },
};

/** The refusal for every pair not listed above, as the engine words it today. */
const STEP_REFUSED: Record<StepEvent, (state: string) => string> = {
  request: (s) => `This step is ${s} and cannot run.`,
  retry: (s) => `Only an interrupted, failed or stopped step can be retried (this one is ${s}).`,
  start: (s) => `Only a queued step can start (this one is ${s}).`,
  refuseStart: (s) => `Only a queued step can start (this one is ${s}).`,
  succeed: (s) => `Only a running step can finish (this one is ${s}).`,
  fail: (s) => `Only a running step can finish (this one is ${s}).`,
  stop: (s) => `Only a running step can be stopped (this one is ${s}).`,
  operatorStop: (s) => `Only a queued or running step can be stopped (this one is ${s}).`,
  interrupt: (s) => `Only a running step can be interrupted (this one is ${s}).`,
  markDone: (s) => `Only an interrupted or stopped step can be marked done by hand (this one is ${s}).`,
  skip: (s) => `A ${s} step cannot be skipped.`,
  cancel: (s) => `A ${s} step cannot be canceled.`,
};

const ALL_STEP_STATES: StepState[] = ["NOT_STARTED", "QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "SKIPPED", "INTERRUPTED", "CANCELED"];

describe("step transitions: the whole state × event product", () => {
  it("knows every state of the schema and every event", () => {
    expect([...STEP_STATES].sort()).toEqual([...ALL_STEP_STATES].sort());
    expect([...STEP_EVENTS].sort()).toEqual(Object.keys(STEP_MOVES).sort());
  });

  for (const event of Object.keys(STEP_MOVES) as StepEvent[]) {
    for (const state of ALL_STEP_STATES) {
      const expected = STEP_MOVES[event][state] ?? { refused: STEP_REFUSED[event](state.toLowerCase()) };
      const label = expected === "already" ? "already" : "refused" in expected ? `refused: ${expected.refused}` : `→ ${expected.to}`;
      it(`${state} × ${event} ${label}`, () => {
        const t = stepTransition(state, event);
        if (expected === "already") {
          expect(t).toEqual({ ok: false, already: true, reason: `This step is ${state.toLowerCase()} already.` });
        } else if ("refused" in expected) {
          expect(t).toEqual({ ok: false, already: false, reason: expected.refused });
        } else {
          expect(t).toEqual({ ok: true, from: state, event, to: expected.to, timelineKind: expected.timelineKind });
        }
      });
    }
  }
});

describe("step lifecycle guarantees", () => {
  const moves = (state: StepState) => STEP_EVENTS.filter((e) => stepTransition(state, e).ok);

  it("never re-runs an interrupted step without an operator: only retry, mark done or skip move it", () => {
    expect(moves("INTERRUPTED").sort()).toEqual(["markDone", "retry", "skip"]);
    expect(stepTransition("INTERRUPTED", "start").ok).toBe(false);
    expect(stepTransition("INTERRUPTED", "request")).toMatchObject({ ok: false, already: false });
    // A failed step likewise waits for an operator, and cannot be marked done (it did not run to the end unseen).
    expect(moves("FAILED").sort()).toEqual(["retry", "skip"]);
  });

  it("keeps SUCCEEDED and SKIPPED final; a request for a succeeded step is already honoured", () => {
    for (const s of ["SUCCEEDED", "SKIPPED"] as const) expect(moves(s)).toEqual([]);
    expect(stepTransition("SUCCEEDED", "request")).toMatchObject({ ok: false, already: true });
    expect(stepTransition("SUCCEEDED", "retry")).toMatchObject({ ok: false, already: false });
  });

  it("only a worker moves a queued or running step on, and only an operator moves a failed one", () => {
    expect(moves("QUEUED").sort()).toEqual(["cancel", "operatorStop", "refuseStart", "start"]);
    expect(moves("RUNNING").sort()).toEqual(["fail", "interrupt", "operatorStop", "stop", "succeed"]);
  });

  it("a stopped (canceled) step waits for an operator like a failed one: retry, mark done or skip", () => {
    expect(moves("CANCELED").sort()).toEqual(["markDone", "retry", "skip"]);
    expect(stepPhase("CANCELED")).toBe("needs-operator");
    // An abort's canceled steps stay canceled: the ended run refuses every one of these (run table).
    for (const e of ["queueStep", "markStepDone", "skipStep"] as const) expect(runTransition("ABORTED", e).ok).toBe(false);
  });

  it("reaches every state from a new step, and leaves every non-final state somehow", () => {
    const seen = new Set<StepState>([NEW_STEP_STATE]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const s of [...seen]) {
        for (const e of STEP_EVENTS) {
          const t = stepTransition(s, e);
          if (t.ok && !seen.has(t.to)) {
            seen.add(t.to);
            grew = true;
          }
        }
      }
    }
    expect([...seen].sort()).toEqual([...ALL_STEP_STATES].sort());
  });

  it("gives the predicates the engine selects by", () => {
    expect(DONE_STEP_STATES).toEqual(["SUCCEEDED", "SKIPPED"]);
    expect(ALL_STEP_STATES.filter(isStepDone)).toEqual(["SUCCEEDED", "SKIPPED"]);
    expect(ALL_STEP_STATES.filter(isStepSkipped)).toEqual(["SKIPPED"]);
    expect(RUNNING_STEP_STATES).toEqual(["RUNNING"]);
    expect(CLAIMABLE_STEP_STATES).toEqual(["QUEUED"]);
    expect(stepStatesAccepting("interrupt")).toEqual(["RUNNING"]);
    expect(stepMoveForAll("cancel")).toEqual({ from: ["NOT_STARTED", "QUEUED"], to: "CANCELED" });
  });

  it("puts every state in exactly one phase", () => {
    expect(Object.fromEntries(ALL_STEP_STATES.map((s) => [s, stepPhase(s)]))).toEqual({
      NOT_STARTED: "waiting",
      QUEUED: "working",
      RUNNING: "working",
      SUCCEEDED: "done",
      FAILED: "needs-operator",
      SKIPPED: "done",
      INTERRUPTED: "needs-operator",
      CANCELED: "needs-operator",
    });
  });
});

// ───────────────────────────── runs ─────────────────────────────

const RUN_MOVES: Record<RunEvent, Partial<Record<RunStatus, Expect<RunStatus>>>> = {
  start: { PENDING: { to: "RUNNING", timelineKind: "RUN_STARTED" } },
  queueStep: {
    PENDING: { to: "PENDING", timelineKind: null },
    RUNNING: { to: "RUNNING", timelineKind: null },
    ABORTED: { refused: "This rollback run was aborted: its steps can no longer run." },
  },
  startStep: { PENDING: { to: "PENDING", timelineKind: null }, RUNNING: { to: "RUNNING", timelineKind: null } },
  markStepDone: { PENDING: { to: "PENDING", timelineKind: null }, RUNNING: { to: "RUNNING", timelineKind: null } },
  skipStep: { PENDING: { to: "PENDING", timelineKind: null }, RUNNING: { to: "RUNNING", timelineKind: null } },
  runUntil: { PENDING: { to: "PENDING", timelineKind: null }, RUNNING: { to: "RUNNING", timelineKind: null } },
  stopRunUntil: { PENDING: { to: "PENDING", timelineKind: null }, RUNNING: { to: "RUNNING", timelineKind: null } },
  stopStep: { PENDING: { to: "PENDING", timelineKind: null }, RUNNING: { to: "RUNNING", timelineKind: null } },
  finish: { PENDING: { to: "SUCCEEDED", timelineKind: "RUN_ENDED" }, RUNNING: { to: "SUCCEEDED", timelineKind: "RUN_ENDED" } },
  endFailed: { PENDING: { to: "FAILED", timelineKind: "RUN_ENDED" }, RUNNING: { to: "FAILED", timelineKind: "RUN_ENDED" } },
  abort: { PENDING: { to: "ABORTED", timelineKind: "RUN_ABORTED" }, RUNNING: { to: "ABORTED", timelineKind: "RUN_ABORTED" } },
};

const RUN_REFUSED: Record<RunEvent, (status: string) => string> = {
  start: (s) => `This rollback run has already started (${s}).`,
  queueStep: () => "This rollback run has ended.",
  startStep: (s) => `the run is ${s}`,
  markStepDone: (s) => `This rollback run has ended (${s}).`,
  skipStep: () => "This rollback run has ended.",
  runUntil: () => "This rollback run has ended.",
  stopRunUntil: (s) => `This rollback run has ended (${s}).`,
  stopStep: (s) => `This rollback run has ended (${s}).`,
  finish: (s) => `This rollback run has ended (${s}).`,
  endFailed: (s) => `This run has already ended (${s}).`,
  abort: (s) => `This run has already ended (${s}).`,
};

const ALL_RUN_STATUSES: RunStatus[] = ["PENDING", "RUNNING", "SUCCEEDED", "FAILED", "ABORTED"];

describe("run transitions: the whole status × event product", () => {
  it("knows every status of the schema and every event", () => {
    expect([...RUN_STATUSES].sort()).toEqual([...ALL_RUN_STATUSES].sort());
    expect([...RUN_EVENTS].sort()).toEqual(Object.keys(RUN_MOVES).sort());
  });

  for (const event of Object.keys(RUN_MOVES) as RunEvent[]) {
    for (const status of ALL_RUN_STATUSES) {
      const expected = RUN_MOVES[event][status] ?? { refused: RUN_REFUSED[event](status.toLowerCase()) };
      const label = expected === "already" ? "already" : "refused" in expected ? `refused: ${expected.refused}` : `→ ${expected.to}`;
      it(`${status} × ${event} ${label}`, () => {
        const t = runTransition(status, event);
        if (expected === "already") throw new Error("a run has no idempotent answers");
        if ("refused" in expected) expect(t).toEqual({ ok: false, already: false, reason: expected.refused });
        else expect(t).toEqual({ ok: true, from: status, event, to: expected.to, timelineKind: expected.timelineKind });
      });
    }
  }
});

describe("run lifecycle guarantees", () => {
  it("a new run is pending and starting it makes it running", () => {
    expect(NEW_RUN_STATUS).toBe("PENDING");
    expect(runTransition(NEW_RUN_STATUS, "start")).toMatchObject({ ok: true, to: "RUNNING" });
  });

  it("an ended run never changes again and refuses every step action", () => {
    for (const s of ["SUCCEEDED", "FAILED", "ABORTED"] as const) {
      expect(RUN_EVENTS.filter((e) => runTransition(s, e).ok)).toEqual([]);
      expect(isRunOpen(s)).toBe(false);
    }
    expect(OPEN_RUN_STATUSES).toEqual(["PENDING", "RUNNING"]);
    expect(runStatusesAccepting("finish")).toEqual(["PENDING", "RUNNING"]);
  });

  it("ends as failed and aborted with different timeline kinds", () => {
    expect(runTransition("RUNNING", "endFailed")).toMatchObject({ to: "FAILED", timelineKind: "RUN_ENDED" });
    expect(runTransition("RUNNING", "abort")).toMatchObject({ to: "ABORTED", timelineKind: "RUN_ABORTED" });
  });
});
