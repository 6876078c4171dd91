import { describe, expect, it } from "vitest";
import type { StepState } from "@/generated/prisma/enums";
import { autoRunPlan, operatorEndEvent, processMayStillRun, runAttention, type StepLike, stepRange } from "./run-status";

const steps = (...spec: [StepState, boolean?][]): StepLike[] =>
  spec.map(([state, destructive], position) => ({
    id: `s${position}`,
    position,
    name: `S${position + 1}`,
    state,
    destructive: !!destructive,
  }));

describe("runAttention", () => {
  it("says an operator is needed when the next step failed or was interrupted", () => {
    expect(runAttention("RUNNING", steps(["SUCCEEDED"], ["FAILED"], ["NOT_STARTED"]))).toMatchObject({
      kind: "needs-operator",
      step: { position: 1 },
    });
    expect(runAttention("RUNNING", steps(["SKIPPED"], ["INTERRUPTED"]))).toMatchObject({ kind: "needs-operator", step: { position: 1 } });
  });

  it("distinguishes a working run, one waiting for a click, and an ended one", () => {
    expect(runAttention("RUNNING", steps(["SUCCEEDED"], ["RUNNING"]))).toMatchObject({ kind: "working", step: { position: 1 } });
    expect(runAttention("RUNNING", steps(["QUEUED"], ["NOT_STARTED"]))).toMatchObject({ kind: "working", step: { position: 0 } });
    expect(runAttention("RUNNING", steps(["SUCCEEDED"], ["NOT_STARTED"]))).toMatchObject({ kind: "waiting", step: { position: 1 } });
    expect(runAttention("ABORTED", steps(["FAILED"]))).toEqual({ kind: "ended", status: "ABORTED" });
    expect(runAttention("RUNNING", steps(["SUCCEEDED"], ["SKIPPED"]))).toEqual({ kind: "finishing" });
  });
});

describe("operatorEndEvent", () => {
  it("ends as failed when the run is stuck on a failure, aborted otherwise", () => {
    expect(operatorEndEvent(steps(["SUCCEEDED"], ["FAILED"], ["NOT_STARTED"]))).toBe("endFailed");
    expect(operatorEndEvent(steps(["INTERRUPTED"]))).toBe("endFailed");
    expect(operatorEndEvent(steps(["SUCCEEDED"], ["RUNNING"]))).toBe("abort");
    expect(operatorEndEvent(steps(["SUCCEEDED"], ["NOT_STARTED"]))).toBe("abort");
    // A failure that was skipped is no longer what the run is waiting on.
    expect(operatorEndEvent(steps(["SKIPPED"], ["NOT_STARTED"]))).toBe("abort");
  });
});

describe("autoRunPlan", () => {
  it("runs the next steps up to, not including, the next destructive one", () => {
    const plan = autoRunPlan("RUNNING", steps(["SUCCEEDED"], ["NOT_STARTED"], ["NOT_STARTED"], ["NOT_STARTED", true], ["NOT_STARTED"]));
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.steps.map((s) => s.position)).toEqual([1, 2]);
    expect(plan.stopBefore?.position).toBe(3);
    expect(plan.until).toBe(3);
    expect(stepRange(plan.steps)).toBe("steps 2–3");
  });

  it("runs to the end when nothing destructive is left, skipping over skipped steps", () => {
    const plan = autoRunPlan("RUNNING", steps(["SKIPPED"], ["NOT_STARTED"], ["NOT_STARTED"]));
    expect(plan).toMatchObject({ ok: true, stopBefore: null, until: 3 });
    if (plan.ok) expect(stepRange(plan.steps)).toBe("steps 2–3");
  });

  it("after a destructive step ran, continues to the next destructive one", () => {
    const plan = autoRunPlan("RUNNING", steps(["SUCCEEDED", true], ["NOT_STARTED"], ["NOT_STARTED", true]));
    expect(plan).toMatchObject({ ok: true, until: 2 });
    if (plan.ok) expect(stepRange(plan.steps)).toBe("step 2");
  });

  it("refuses with the reason: destructive next, failed, running, nothing left, ended", () => {
    expect(autoRunPlan("RUNNING", steps(["SUCCEEDED"], ["NOT_STARTED", true]))).toEqual({
      ok: false,
      reason: 'Step 2 "S2" is destructive: run it from its own button (it asks for the service name).',
    });
    expect(autoRunPlan("RUNNING", steps(["FAILED"], ["NOT_STARTED"]))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/failed: retry/),
    });
    expect(autoRunPlan("RUNNING", steps(["RUNNING"], ["NOT_STARTED"]))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/running/),
    });
    expect(autoRunPlan("RUNNING", steps(["SUCCEEDED"]))).toMatchObject({ ok: false, reason: expect.stringMatching(/nothing left/) });
    expect(autoRunPlan("ABORTED", steps(["NOT_STARTED"]))).toMatchObject({ ok: false, reason: "This rollback run has ended." });
  });
});

describe("processMayStillRun", () => {
  const at = new Date("2026-12-04T10:00:00Z");
  it("names where an interrupted or stopped attempt's process may still run, until it is seen to end", () => {
    expect(processMayStillRun({ state: "INTERRUPTED", host: "db-2", pid: 42, processEndedAt: null })).toEqual({ host: "db-2", pid: 42 });
    expect(processMayStillRun({ state: "INTERRUPTED", host: null, pid: 42, processEndedAt: null })).toEqual({
      host: "an unknown host",
      pid: 42,
    });
    expect(processMayStillRun({ state: "INTERRUPTED", host: "db-2", pid: 42, processEndedAt: at })).toBeNull();
    // No process (an HTTP step), or an attempt that is not waiting for an operator.
    expect(processMayStillRun({ state: "INTERRUPTED", host: "db-2", pid: null, processEndedAt: null })).toBeNull();
    expect(processMayStillRun({ state: "RUNNING", host: "db-2", pid: 42, processEndedAt: null })).toBeNull();
    expect(processMayStillRun(null)).toBeNull();
  });
});
