// What a destination can be told, and which timeline entries tell it. Pure: every change that writes
// one of these timeline entries (lib/timeline/record.ts) queues the notification with it.
import type { NotificationEvent, TimelineKind } from "@/generated/prisma/enums";

export const NOTIFICATION_EVENTS = [
  "INCIDENT_DECLARED",
  "DECISION_PROPOSED",
  "DECISION_APPROVED",
  "DECISION_REJECTED",
  "STEP_NEEDS_OPERATOR",
  "ROLLBACK_FINISHED",
  "VERIFICATION_SIGNED_OFF",
  "INCIDENT_RESOLVED",
  "STATUS_UPDATE_POSTED",
  "ACTION_ITEM_OVERDUE",
] as const satisfies readonly NotificationEvent[];

export const EVENT_LABELS: Record<NotificationEvent, string> = {
  INCIDENT_DECLARED: "Incident declared",
  DECISION_PROPOSED: "Decision proposed (approval needed)",
  DECISION_APPROVED: "Rollback approved",
  DECISION_REJECTED: "Rollback rejected",
  STEP_NEEDS_OPERATOR: "Step failed or needs an operator",
  ROLLBACK_FINISHED: "Rollback finished",
  VERIFICATION_SIGNED_OFF: "Verification signed off",
  INCIDENT_RESOLVED: "Incident resolved",
  STATUS_UPDATE_POSTED: "Stakeholder update posted",
  ACTION_ITEM_OVERDUE: "Action item overdue",
};

/** The event's name in the signed JSON body and its X-Backout-Event header. */
export const EVENT_NAMES: Record<NotificationEvent, string> = {
  INCIDENT_DECLARED: "incident.declared",
  DECISION_PROPOSED: "decision.proposed",
  DECISION_APPROVED: "decision.approved",
  DECISION_REJECTED: "decision.rejected",
  STEP_NEEDS_OPERATOR: "step.needs_operator",
  ROLLBACK_FINISHED: "rollback.finished",
  VERIFICATION_SIGNED_OFF: "verification.signed_off",
  INCIDENT_RESOLVED: "incident.resolved",
  STATUS_UPDATE_POSTED: "status_update.posted",
  ACTION_ITEM_OVERDUE: "action_item.overdue",
};

const BY_KIND: Partial<Record<TimelineKind, NotificationEvent>> = {
  INCIDENT_DECLARED: "INCIDENT_DECLARED",
  DECISION_PROPOSED: "DECISION_PROPOSED",
  DECISION_APPROVED: "DECISION_APPROVED",
  DECISION_REJECTED: "DECISION_REJECTED",
  // A failed step and one interrupted by a crash both wait for an operator to retry, skip or abort.
  STEP_FAILED: "STEP_NEEDS_OPERATOR",
  STEP_INTERRUPTED: "STEP_NEEDS_OPERATOR",
  RUN_ENDED: "ROLLBACK_FINISHED",
  RUN_ABORTED: "ROLLBACK_FINISHED",
  SIGNED_OFF: "VERIFICATION_SIGNED_OFF",
  INCIDENT_RESOLVED: "INCIDENT_RESOLVED",
  STATUS_UPDATE_POSTED: "STATUS_UPDATE_POSTED",
  ACTION_ITEM_OVERDUE: "ACTION_ITEM_OVERDUE",
};

/** The notification a timeline entry of this kind is, or null. */
export function notificationEventOf(kind: TimelineKind): NotificationEvent | null {
  return BY_KIND[kind] ?? null;
}
