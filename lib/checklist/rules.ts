// The checklist's rules, pure: what a change to an item may be (time locks, values, metric
// overrides), who may give which sign-off, and when a checklist is complete.
import type { ChecklistItemKind, ChecklistItemStatus, Role, SignOffRole } from "@/generated/prisma/enums";
import { can, type Permission } from "@/lib/auth/roles";
import { InvalidInputError } from "@/lib/errors";
import { formatUtc } from "@/lib/time/format";

export const SIGN_OFF_ROLES = ["DEVOPS", "TECH_LEAD", "RELEASE_MANAGER"] as const satisfies readonly SignOffRole[];

export const SIGN_OFF_LABELS: Record<SignOffRole, string> = {
  DEVOPS: "DevOps engineer",
  TECH_LEAD: "Technical lead",
  RELEASE_MANAGER: "Release manager",
};

/** The role inside a sentence: "signed off as technical lead". */
export const SIGN_OFF_PHRASES: Record<SignOffRole, string> = {
  DEVOPS: "DevOps engineer",
  TECH_LEAD: "technical lead",
  RELEASE_MANAGER: "release manager",
};

const SIGN_OFF_PERMISSION: Record<SignOffRole, Permission> = {
  DEVOPS: "signoff:devops",
  TECH_LEAD: "signoff:tech_lead",
  RELEASE_MANAGER: "signoff:release_manager",
};

export function signOffPermission(role: SignOffRole): Permission {
  return SIGN_OFF_PERMISSION[role];
}

/** Which sign-offs a user of this role may give (each person still gives at most one per checklist). */
export function signOffRolesFor(role: Role): SignOffRole[] {
  return SIGN_OFF_ROLES.filter((r) => can(role, SIGN_OFF_PERMISSION[r]));
}

export const STATUS_LABELS: Record<ChecklistItemStatus, string> = {
  PENDING: "Open",
  PASSED: "Done",
  FAILED: "Failed",
  NOT_APPLICABLE: "Not applicable",
};

export type ItemForRules = {
  kind: ChecklistItemKind;
  label: string;
  status: ChecklistItemStatus;
  value: string | null;
  note: string | null;
  testResult: string | null;
  notBefore: Date | null;
};

/** Undefined: leave as is; null or "": clear. */
export type ItemChange = {
  status?: ChecklistItemStatus;
  value?: string | null;
  note?: string | null;
  testResult?: string | null;
};

export type NextItemState = {
  status: ChecklistItemStatus;
  value: string | null;
  note: string | null;
  testResult: string | null;
  /** A person set the status of a metric item: shown as an override of the automatic check. */
  isOverride: boolean;
  statusChanged: boolean;
};

const blankToNull = (s: string | null | undefined) => (s === undefined ? undefined : s === null || s.trim() === "" ? null : s.trim());

/** The item's state after a person's change, or an InvalidInputError saying why it is refused. */
export function applyItemChange(item: ItemForRules, change: ItemChange, now: Date, wasOverride: boolean): NextItemState {
  const value = blankToNull(change.value);
  const note = blankToNull(change.note);
  const testResult = blankToNull(change.testResult);
  const next = {
    status: change.status ?? item.status,
    value: value === undefined ? item.value : value,
    note: note === undefined ? item.note : note,
    testResult: testResult === undefined ? item.testResult : testResult,
  };
  const statusChanged = next.status !== item.status;

  if (statusChanged && next.status !== "PENDING" && item.notBefore && now.getTime() < item.notBefore.getTime()) {
    throw new InvalidInputError(
      `"${item.label}" can be ticked from ${formatUtc(item.notBefore, "minute")}, 24 hours after the rollback: not before.`,
      "status",
    );
  }
  if (value !== undefined && value !== null) {
    if (item.kind === "NUMBER" && !/^\d{1,12}(\.\d{1,4})?$/.test(value))
      throw new InvalidInputError(`"${item.label}" takes a number, 0 or more (e.g. 120).`, "value");
    if (value.length > 2000) throw new InvalidInputError("Keep the value under 2,000 characters.", "value");
  }
  if (testResult !== undefined && testResult !== null && item.kind !== "FEATURE")
    throw new InvalidInputError("Only critical-feature items have a test result.", "testResult");
  if (statusChanged && next.status === "PASSED" && (item.kind === "NUMBER" || item.kind === "TEXT") && next.value === null)
    throw new InvalidInputError(
      `Enter the ${item.kind === "NUMBER" ? "number" : "answer"} for "${item.label}" before ticking it.`,
      "value",
    );

  let isOverride = wasOverride;
  if (item.kind === "METRIC" && statusChanged) {
    if (next.status === "PENDING") {
      isOverride = false; // handed back to the automatic check
    } else {
      if (note === undefined || note === null)
        throw new InvalidInputError(
          `"${item.label}" ticks itself from the metrics. To override it, say why in a note with the change.`,
          "note",
        );
      isOverride = true;
    }
  }
  return { ...next, isOverride, statusChanged };
}

/** Items still to do: open (PENDING) ones. FAILED items are answered, and show in the report. */
export function openItemCount(items: readonly { status: ChecklistItemStatus }[]): number {
  return items.filter((i) => i.status === "PENDING").length;
}
