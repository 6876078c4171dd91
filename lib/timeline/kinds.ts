// What a timeline entry is about (the filters) and where it came from (its channel). Pure.
import { TimelineKind as KINDS, type TimelineKind, TimelineSource } from "@/generated/prisma/enums";

export const TIMELINE_CATEGORIES = ["incident", "notes", "decision", "rollback", "verification", "documents", "actions"] as const;
export type TimelineCategory = (typeof TIMELINE_CATEGORIES)[number];

export const CATEGORY_LABELS: Record<TimelineCategory, string> = {
  incident: "Incident",
  notes: "Notes",
  decision: "Decision",
  rollback: "Rollback steps",
  verification: "Verification",
  documents: "Documents",
  actions: "Action items",
};

/** By the kind's name, so that kinds added later (ACTION_ITEM_…, STATUS_UPDATE_…) find their filter. */
export function categoryOf(kind: TimelineKind | string): TimelineCategory {
  if (kind === "NOTE") return "notes";
  if (kind.startsWith("ACTION_ITEM")) return "actions";
  if (kind.startsWith("DOCUMENT_")) return "documents";
  if (/^(STEP_|RUN_|AUTO_RUN_)/.test(kind)) return "rollback";
  if (/^(DECISION_|EVIDENCE_)/.test(kind)) return "decision";
  if (/^(VERIFICATION_|CHECKLIST_|SIGNED_OFF|SIGN_OFF_)/.test(kind)) return "verification";
  return "incident";
}

/** The kinds of some categories (for the database filter). */
export function kindsOf(categories: readonly TimelineCategory[]): TimelineKind[] {
  return Object.values(KINDS).filter((k) => categories.includes(categoryOf(k)));
}

export type SourceChannel = "web" | "API" | "webhook" | "system";

const CHANNELS: Record<TimelineSource, { channel: SourceChannel; detail: string | null }> = {
  USER: { channel: "web", detail: null },
  API: { channel: "API", detail: null },
  WEBHOOK: { channel: "webhook", detail: null },
  ALERTMANAGER: { channel: "webhook", detail: "Alertmanager" },
  SYSTEM: { channel: "system", detail: null },
  EXECUTOR: { channel: "system", detail: "step executor" },
  METRICS: { channel: "system", detail: "metrics" },
};

/** Where an entry came from, in the four words people use. */
export function sourceChannel(source: TimelineSource | string): { channel: SourceChannel; detail: string | null } {
  return CHANNELS[source as TimelineSource] ?? { channel: "system", detail: null };
}

export const ALL_SOURCES = Object.values(TimelineSource);

/** Step outcomes, for the entry that ends a step. */
export const STEP_RESULTS: Partial<Record<TimelineKind, string>> = {
  STEP_SUCCEEDED: "succeeded",
  STEP_FAILED: "failed",
  STEP_SKIPPED: "skipped",
  STEP_INTERRUPTED: "interrupted",
  STEP_MARKED_DONE: "marked done",
  STEP_CANCELED: "canceled",
};
