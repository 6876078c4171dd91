import { describe, expect, it } from "vitest";
import type { StepState } from "@/generated/prisma/enums";
import { type NextStepInput, nextStepFor } from "./next-step";

const base: NextStepInput = { status: "ASSESSING", decision: null, run: null, latestRun: null, checklist: null, rollbackFinished: false };
const steps = (...states: StepState[]) =>
  states.map((state, position) => ({ id: `s${position}`, position, name: `Step ${position + 1}`, state, destructive: false }));

describe("nextStepFor", () => {
  it("asks for a decision while nothing is proposed", () => {
    expect(nextStepFor(base)).toMatchObject({ target: "decision", tone: "warn" });
  });

  it("says a proposal waits for approval, with the count", () => {
    const next = nextStepFor({ ...base, status: "AWAITING_APPROVAL", decision: { status: "PROPOSED", approvals: 1, required: 2 } });
    expect(next).toMatchObject({ target: "decision" });
    expect(next?.text).toContain("(1 of 2)");
  });

  it("points at the rollback once approved and not started", () => {
    expect(nextStepFor({ ...base, status: "APPROVED", decision: { status: "APPROVED", approvals: 1, required: 1 } })).toMatchObject({
      target: "rollback",
    });
  });

  it("names the failed step when the run needs an operator", () => {
    const next = nextStepFor({
      ...base,
      status: "ROLLING_BACK",
      decision: { status: "APPROVED", approvals: 1, required: 1 },
      run: { status: "RUNNING", steps: steps("SUCCEEDED", "FAILED", "NOT_STARTED") },
    });
    expect(next).toMatchObject({ tone: "danger", target: "rollback" });
    expect(next?.text).toContain("step 2 of 3 “Step 2” failed");
  });

  it("counts done steps while the run waits for the next one", () => {
    const next = nextStepFor({
      ...base,
      status: "ROLLING_BACK",
      decision: { status: "APPROVED", approvals: 1, required: 1 },
      run: { status: "RUNNING", steps: steps("SUCCEEDED", "SKIPPED", "NOT_STARTED") },
    });
    expect(next?.text).toContain("2 of 3 steps done");
  });

  it("moves on to verification, then to resolving once signed off", () => {
    const approved = { status: "APPROVED" as const, approvals: 1, required: 1 };
    const ended = { status: "SUCCEEDED" as const, steps: steps("SUCCEEDED") };
    expect(nextStepFor({ ...base, status: "VERIFYING", decision: approved, run: ended, rollbackFinished: true })).toMatchObject({
      target: "verification",
    });
    const checklist = { locked: false, waived: false, signOffs: 2 };
    expect(
      nextStepFor({ ...base, status: "VERIFYING", decision: approved, run: ended, rollbackFinished: true, checklist })?.text,
    ).toContain("2 of 3 sign-offs");
    expect(
      nextStepFor({
        ...base,
        status: "VERIFYING",
        decision: approved,
        run: ended,
        rollbackFinished: true,
        checklist: { ...checklist, locked: true },
      }),
    ).toMatchObject({ target: "resolve", tone: "ok" });
  });

  it("says when the last run ended without success and no new decision exists", () => {
    expect(nextStepFor({ ...base, latestRun: { status: "FAILED" } })).toMatchObject({ tone: "danger", target: "decision" });
  });

  it("has nothing to say once resolved", () => {
    expect(nextStepFor({ ...base, status: "RESOLVED" })).toBeNull();
  });
});
