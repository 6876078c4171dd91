// What a rollback-readiness check says (lib/readiness/): the shape stored on ServiceReadiness,
// frozen into EvidenceSnapshot.readiness and read by the panel, the approver and the documents.
// Pure types and the pure rules over them.
import type { RollbackStrategy } from "@/generated/prisma/enums";

/**
 * How fresh the checks are kept while an incident is before its rollback. A proposal freezes checks
 * run at most PROPOSAL_READINESS_MAX_AGE_MS ago, else runs them itself inside the proposer's wait
 * (~0.5 s of HTTP to the fleet). An open incident page polls every READINESS_POLL_MS, and the server
 * re-runs the checks when they are older than READINESS_MAX_AGE_MS (opening the page starts them the
 * same way), so what an open page has asked for is never older than the two added — within the
 * proposal's window, and a proposal made from an open page finds its checks done.
 */
export const PROPOSAL_READINESS_MAX_AGE_MS = 30_000;
export const READINESS_POLL_MS = 20_000;
export const READINESS_MAX_AGE_MS = 10_000;

export type ReadinessKind = "target-health" | "backup" | "flag-service" | "runbook" | "secrets";
export type ReadinessResult = "pass" | "fail" | "not_configured";
export type ReadinessStatus = "green" | "amber" | "red" | "unknown";

export type ReadinessCheck = {
  /** Stable per runbook and kind: `${runbookId}:${kind}` (`service:runbook` when there is none). */
  id: string;
  kind: ReadinessKind;
  runbookId: string | null;
  runbookName: string | null;
  strategy: RollbackStrategy | null;
  /** The plan step the check is about (amber in the plan when it fails), e.g. verify-target-health. */
  stepKeys: string[];
  /** "Blue v2.4.0 health", "Latest backup", "Runbook validates". */
  label: string;
  result: ReadinessResult;
  /** Plain words with the numbers: "v2.4.0 healthy, 3/3 probes", "3 h 12 min old, 2.1 GB, max 24 h". */
  summary: string;
  /** The numbers behind the summary (probes, bytes, ageSeconds, maxAgeHours …). */
  numbers: Record<string, number | string>;
  checkedAt: string;
  durationMs: number;
};

/** The checks frozen into a decision's evidence at its proposal. */
export type FrozenReadiness = { checkedAt: string; strategy: RollbackStrategy; runbookId: string | null; checks: ReadinessCheck[] };

export const KIND_ORDER: ReadinessKind[] = ["target-health", "backup", "flag-service", "secrets", "runbook"];

/** red: something would fail; amber: something is not configured, so unknown; green: every check passed. */
export function rollup(checks: readonly Pick<ReadinessCheck, "result">[]): ReadinessStatus {
  if (checks.length === 0) return "unknown";
  if (checks.some((c) => c.result === "fail")) return "red";
  if (checks.some((c) => c.result === "not_configured")) return "amber";
  return "green";
}

export const STATUS_WORDS: Record<ReadinessStatus, string> = {
  green: "Ready",
  amber: "Partly checked",
  red: "Not ready",
  unknown: "Not checked yet",
};

/** The checks that concern a plan built from `runbookId` (or, without one, the strategy's template). */
export function checksForPlan(checks: readonly ReadinessCheck[], strategy: RollbackStrategy, runbookId: string | null): ReadinessCheck[] {
  return checks.filter((c) => (runbookId ? c.runbookId === runbookId : c.strategy === strategy || c.strategy === null));
}

export function failedChecks(checks: readonly ReadinessCheck[]): ReadinessCheck[] {
  return checks.filter((c) => c.result === "fail");
}

/** Plan steps to show amber: those a failed check is about. */
export function amberStepKeys(checks: readonly ReadinessCheck[]): Set<string> {
  return new Set(failedChecks(checks).flatMap((c) => c.stepKeys));
}

/** "Blue v2.4.0 health: v2.4.0 unreachable, 0/3 probes: could not connect …". */
export function describeCheck(c: Pick<ReadinessCheck, "label" | "summary">): string {
  return `${c.label}: ${c.summary}`;
}

export function parseFrozenReadiness(value: unknown): FrozenReadiness | null {
  if (!value || typeof value !== "object" || !Array.isArray((value as FrozenReadiness).checks)) return null;
  return value as FrozenReadiness;
}

/**
 * The preparation log: a decision's frozen readiness checks (EvidenceSnapshot.readiness) with their
 * result, words and times, as the rollback summary lists them. Null for a decision recorded before
 * readiness existed.
 */
export type PreparationLog = {
  checkedAt: string;
  checks: { label: string; result: ReadinessResult; summary: string; checkedAt: string }[];
};

export function preparationLog(frozenValue: unknown): PreparationLog | null {
  const frozen = parseFrozenReadiness(frozenValue);
  if (!frozen) return null;
  return {
    checkedAt: frozen.checkedAt,
    checks: frozen.checks.map((c) => ({ label: c.label, result: c.result, summary: c.summary, checkedAt: c.checkedAt })),
  };
}

/** The statuses in which a rollback is still being assessed or decided: readiness is refreshed while the page is open. */
export function isBeforeRollback(status: string): boolean {
  return ["DECLARED", "ASSESSING", "AWAITING_APPROVAL", "APPROVED"].includes(status);
}
