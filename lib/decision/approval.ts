// Who may approve a rollback decision, and when it counts as approved. Pure, so the page, the
// approve action and the execution side all apply the same rules.
import type { DecisionStatus, Role } from "@/generated/prisma/enums";

export type ApprovalRecord = { approverId: string; verdict: "APPROVED" | "REJECTED"; planHash: string };
export type DecisionForApproval = { decidedById: string; planHash: string; requiredApprovals: number; status: DecisionStatus };

export type ApprovalState = {
  /** Distinct release managers who approved exactly the current plan. */
  approvers: string[];
  required: number;
  approved: boolean;
  rejected: boolean;
  /** Approvals given for an earlier version of the plan: recorded, but they no longer count. */
  staleApprovals: number;
};

export function approvalState(decision: DecisionForApproval, approvals: ApprovalRecord[]): ApprovalState {
  const current = approvals.filter((a) => a.planHash === decision.planHash);
  const approvers = [
    ...new Set(current.filter((a) => a.verdict === "APPROVED" && a.approverId !== decision.decidedById).map((a) => a.approverId)),
  ];
  const rejected = decision.status === "REJECTED" || current.some((a) => a.verdict === "REJECTED");
  return {
    approvers,
    required: decision.requiredApprovals,
    approved: !rejected && decision.status !== "VOIDED" && approvers.length >= decision.requiredApprovals,
    rejected,
    staleApprovals: approvals.filter((a) => a.planHash !== decision.planHash && a.verdict === "APPROVED").length,
  };
}

/**
 * Why the actor may not approve or reject now, in words for the screen, or null. `forbidden`: this
 * person may not (role, proposer, already approved); `conflict`: the decision's state does not allow it.
 */
export type ApprovalRefusal = { code: "forbidden" | "conflict"; message: string };

export function approvalRefusal(
  actor: { id: string; role: Role },
  decision: DecisionForApproval,
  approvals: ApprovalRecord[],
): ApprovalRefusal | null {
  const forbidden = (message: string) => ({ code: "forbidden" as const, message });
  const conflict = (message: string) => ({ code: "conflict" as const, message });
  if (actor.role !== "RELEASE_MANAGER") return forbidden("Only a release manager can approve or reject a rollback.");
  if (actor.id === decision.decidedById) return forbidden("You proposed this rollback: another release manager must approve it.");
  if (decision.status === "VOIDED") return conflict("This decision was superseded; review the current one.");
  if (decision.status === "REJECTED") return conflict("This decision was rejected; a new one must be proposed.");
  const state = approvalState(decision, approvals);
  if (state.approved) return conflict("This plan is already approved.");
  if (approvals.some((a) => a.approverId === actor.id && a.planHash === decision.planHash)) {
    return forbidden("You already approved this plan: a different release manager must give the second approval.");
  }
  return null;
}

/** The execution side's gate: only an approved, unchanged plan runs. */
export function isExecutable(decision: DecisionForApproval, approvals: ApprovalRecord[], planHashToRun: string): boolean {
  return planHashToRun === decision.planHash && approvalState(decision, approvals).approved;
}
