// The incident's milestones, read off its timeline: deployed → detected → declared → decided →
// approved → traffic switched → stable → verified → resolved, and the times between them. Pure.
// A milestone the timeline does not record is absent (null) — never estimated — and so is every
// duration that needs it: "not yet" while the incident is open (it may still come), "missing" once
// it is resolved without it.

export const MILESTONES = [
  { key: "deployed", label: "Deployed" },
  { key: "detected", label: "Detected" },
  { key: "declared", label: "Declared" },
  { key: "decided", label: "Decided" },
  { key: "approved", label: "Approved" },
  { key: "switched", label: "Traffic switched" },
  { key: "stable", label: "Stable" },
  { key: "verified", label: "Verified" },
  { key: "resolved", label: "Resolved" },
] as const;

export type MilestoneKey = (typeof MILESTONES)[number]["key"];

export const DURATIONS = [
  { key: "detect", label: "Time to detect", from: "deployed", to: "detected" },
  { key: "decide", label: "Time to decide", from: "detected", to: "decided" },
  { key: "rollback", label: "Time to roll back", from: "approved", to: "switched" },
  { key: "stabilise", label: "Time to stabilise", from: "switched", to: "stable" },
  { key: "verify", label: "Time to verify", from: "stable", to: "verified" },
  { key: "total", label: "Total", from: "deployed", to: "resolved" },
] as const satisfies readonly { key: string; label: string; from: MilestoneKey; to: MilestoneKey }[];

export type DurationKey = (typeof DURATIONS)[number]["key"];

/** A timeline entry as the milestones need it. `step`: for a step's entries, what the step does. */
export type MilestoneEvent = {
  kind: string;
  at: Date | string;
  payload?: unknown;
  step?: { changesTraffic: boolean; destructive: boolean } | null;
};

/**
 * What the incident was declared with (the deploy and detection times are facts given then), and
 * whether it is resolved now (its status; without it, whether its timeline says so).
 */
export type MilestoneFacts = { deployedAt: Date | string | null; detectedAt: Date | string | null; resolved?: boolean };

export type Milestones = {
  milestones: { key: MilestoneKey; label: string; at: string | null }[];
  durations: { key: DurationKey; label: string; from: MilestoneKey; to: MilestoneKey; ms: number | null }[];
  /** The incident is resolved: what has not happened by now never will. */
  resolved: boolean;
};

/** What the bar and the export say for an absent milestone or duration (never an estimate). */
export function absentText(milestones: Pick<Milestones, "resolved">): "missing" | "not yet" {
  return milestones.resolved ? "missing" : "not yet";
}

const iso = (at: Date | string | null | undefined): string | null => {
  if (at === null || at === undefined) return null;
  const d = at instanceof Date ? at : new Date(at);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
};

const field = (payload: unknown, name: string): unknown =>
  payload && typeof payload === "object" ? (payload as Record<string, unknown>)[name] : undefined;

export function computeMilestones(facts: MilestoneFacts, events: readonly MilestoneEvent[]): Milestones {
  const sorted = [...events].sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
  const last = (pred: (e: MilestoneEvent) => boolean) => sorted.filter(pred).at(-1) ?? null;
  const first = (pred: (e: MilestoneEvent) => boolean) => sorted.find(pred) ?? null;

  const declared = first((e) => e.kind === "INCIDENT_DECLARED");
  // The approval that completed a decision (two approvers for a restore: the second); the latest,
  // since a later plan supersedes an earlier one.
  const approved = last((e) => e.kind === "DECISION_APPROVED" && field(e.payload, "approved") === true);
  const approvedDecision = approved ? field(approved.payload, "decisionId") : undefined;
  // The proposal of the plan that was approved; without an approval, the latest proposal.
  const decided = approved
    ? last((e) => e.kind === "DECISION_PROPOSED" && field(e.payload, "decisionId") === approvedDecision)
    : last((e) => e.kind === "DECISION_PROPOSED");
  // As the rollback summary and the evidence anchor it (lib/rollback/switch-anchor.ts): the last
  // traffic switch that succeeded, else the last destructive step (a restore).
  const done = sorted.filter((e) => (e.kind === "STEP_SUCCEEDED" || e.kind === "STEP_MARKED_DONE") && e.step);
  const switched = done.filter((e) => e.step?.changesTraffic).at(-1) ?? done.filter((e) => e.step?.destructive).at(-1) ?? null;
  // Measured by the rollback summary (metrics back within limits and held there).
  const summary = last(
    (e) =>
      e.kind === "DOCUMENT_UPDATED" && field(e.payload, "kind") === "ROLLBACK_SUMMARY" && typeof field(e.payload, "stableAt") === "string",
  );
  const stableAt = summary ? iso(field(summary.payload, "stableAt") as string) : null;
  // Locked by the three sign-offs, and not unlocked since.
  const locked = last((e) => e.kind === "CHECKLIST_LOCKED" || e.kind === "CHECKLIST_UNLOCKED");
  const resolved = last((e) => e.kind === "INCIDENT_RESOLVED");

  const at: Record<MilestoneKey, string | null> = {
    deployed: iso(facts.deployedAt),
    detected: iso(facts.detectedAt),
    declared: iso(declared?.at),
    decided: iso(decided?.at),
    approved: iso(approved?.at),
    switched: iso(switched?.at),
    stable: stableAt,
    verified: locked?.kind === "CHECKLIST_LOCKED" ? iso(locked.at) : null,
    resolved: iso(resolved?.at),
  };
  return {
    milestones: MILESTONES.map((m) => ({ key: m.key, label: m.label, at: at[m.key] })),
    durations: DURATIONS.map((d) => {
      const from = at[d.from];
      const to = at[d.to];
      return { key: d.key, label: d.label, from: d.from, to: d.to, ms: from && to ? Date.parse(to) - Date.parse(from) : null };
    }),
    resolved: facts.resolved ?? at.resolved !== null,
  };
}

/** The entry kinds the milestones read (the loader fetches only these). */
export const MILESTONE_KINDS = [
  "INCIDENT_DECLARED",
  "DECISION_PROPOSED",
  "DECISION_APPROVED",
  "STEP_SUCCEEDED",
  "STEP_MARKED_DONE",
  "DOCUMENT_UPDATED",
  "CHECKLIST_LOCKED",
  "CHECKLIST_UNLOCKED",
  "INCIDENT_RESOLVED",
] as const;
