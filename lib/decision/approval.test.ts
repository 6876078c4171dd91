import { describe, expect, it } from "vitest";
import { type ApprovalRecord, approvalRefusal, approvalState, type DecisionForApproval, isExecutable } from "./approval";

const decision = (over: Partial<DecisionForApproval> = {}): DecisionForApproval => ({
  decidedById: "proposer",
  planHash: "h1",
  requiredApprovals: 1,
  status: "PROPOSED",
  ...over,
});
const approve = (approverId: string, planHash = "h1"): ApprovalRecord => ({ approverId, verdict: "APPROVED", planHash });
const rm = (id: string) => ({ id, role: "RELEASE_MANAGER" as const });

describe("approvalState", () => {
  it("is approved after one release manager for an ordinary plan", () => {
    expect(approvalState(decision(), []).approved).toBe(false);
    expect(approvalState(decision(), [approve("rm1")]).approved).toBe(true);
  });

  it("needs two different release managers for a database restore", () => {
    const restore = decision({ requiredApprovals: 2 });
    expect(approvalState(restore, [approve("rm1")]).approved).toBe(false);
    expect(approvalState(restore, [approve("rm1"), approve("rm1")]).approved).toBe(false);
    expect(approvalState(restore, [approve("rm1"), approve("rm2")]).approved).toBe(true);
  });

  it("never counts the proposer's own approval", () => {
    expect(approvalState(decision(), [approve("proposer")]).approved).toBe(false);
  });

  it("stops counting approvals once the plan changes", () => {
    const changed = decision({ planHash: "h2" });
    const state = approvalState(changed, [approve("rm1", "h1")]);
    expect(state.approved).toBe(false);
    expect(state.staleApprovals).toBe(1);
    expect(isExecutable(changed, [approve("rm1", "h1")], "h2")).toBe(false);
    expect(isExecutable(decision(), [approve("rm1")], "h1")).toBe(true);
    expect(isExecutable(decision(), [approve("rm1")], "h-other")).toBe(false);
  });

  it("is never approved once rejected or voided", () => {
    expect(approvalState(decision(), [approve("rm1"), { approverId: "rm2", verdict: "REJECTED", planHash: "h1" }]).approved).toBe(false);
    expect(approvalState(decision({ status: "VOIDED" }), [approve("rm1")]).approved).toBe(false);
  });
});

describe("approvalRefusal", () => {
  it("refuses everyone but a release manager who did not propose", () => {
    expect(approvalRefusal({ id: "x", role: "RESPONDER" }, decision(), [])?.message).toMatch(/Only a release manager/);
    expect(approvalRefusal({ id: "x", role: "ADMIN" }, decision(), [])?.message).toMatch(/Only a release manager/);
    expect(approvalRefusal(rm("proposer"), decision(), [])?.message).toMatch(/You proposed/);
    expect(approvalRefusal(rm("rm1"), decision(), [])).toBeNull();
  });

  it("refuses a second approval by the same manager of a restore", () => {
    const restore = decision({ requiredApprovals: 2 });
    expect(approvalRefusal(rm("rm1"), restore, [approve("rm1")])?.message).toMatch(/different release manager/);
    expect(approvalRefusal(rm("rm1"), restore, [approve("rm1")])?.code).toBe("forbidden");
    expect(approvalRefusal(rm("rm2"), restore, [approve("rm1")])).toBeNull();
  });

  it("tells a refusal of the person (forbidden) from one of the decision's state (conflict)", () => {
    expect(approvalRefusal(rm("proposer"), decision(), [])?.code).toBe("forbidden");
    expect(approvalRefusal(rm("rm1"), decision({ status: "VOIDED" }), [])?.code).toBe("conflict");
    expect(approvalRefusal(rm("rm2"), decision(), [approve("rm1")])).toMatchObject({ code: "conflict", message: /already approved/ });
  });

  it("lets a manager approve again after the plan changed", () => {
    expect(approvalRefusal(rm("rm1"), decision({ planHash: "h2" }), [approve("rm1", "h1")])).toBeNull();
  });
});
