import { z } from "zod";
import { DecisionTier, RollbackStrategy } from "@/generated/prisma/enums";
import { MANUAL_CRITERION_IDS } from "./criteria";

export const proposeDecisionSchema = z.object({
  incidentId: z.string().min(1),
  tier: z.enum(DecisionTier, { error: "Choose how urgently to act." }),
  strategy: z.enum(RollbackStrategy, { error: "Choose a rollback strategy." }),
  /** Which of the service's runbooks for the strategy; by default its only (or latest saved) one. */
  runbookId: z.string().min(1).optional(),
  reason: z
    .string()
    .trim()
    .min(10, "Say why, in at least 10 characters: the approver reads this.")
    .max(2000, "Keep the reason under 2,000 characters."),
  /** The proposer asks for the rollback to start as soon as it is approved (the approver chooses "Approve and start"). */
  startOnApproval: z.boolean().default(false),
});

export const approveDecisionSchema = z.object({
  decisionId: z.string().min(1),
  /** The plan the approver was shown; a different current plan means it changed under them. */
  planHash: z.string().regex(/^[0-9a-f]{64}$/),
  confirmation: z.string().trim().max(200).default(""),
  /** The approver saw the readiness checks that failed at the proposal and approves anyway (lib/readiness). */
  acknowledgeFailedChecks: z.boolean().default(false),
});

/** Approve, then start the run until its next destructive step: one idempotency key per dialog. */
export const approveAndStartSchema = approveDecisionSchema.extend({
  idempotencyKey: z.string().trim().min(8, "This request has no idempotency key: reopen the dialog and try again.").max(100),
});

export const rejectDecisionSchema = z.object({
  decisionId: z.string().min(1),
  reason: z.string().trim().min(5, "Say why the rollback is rejected.").max(2000),
});

export const changePlanSchema = z.object({
  decisionId: z.string().min(1),
  removeStepKey: z.string().min(1).max(60),
});

export const manualCriterionSchema = z.object({
  incidentId: z.string().min(1),
  criterionId: z.enum(MANUAL_CRITERION_IDS as [string, ...string[]], { error: "Unknown criterion." }),
  checked: z.boolean(),
  note: z.string().trim().max(500, "Keep the note under 500 characters.").default(""),
});
