// The decision tiers, most urgent first, and the deadline each sets from detection.
import type { DecisionTier } from "@/generated/prisma/enums";

export type { DecisionTier };

/** Most urgent first: the recommendation is the first tier here with a met criterion. */
export const TIER_ORDER = ["IMMEDIATE", "FAST", "PLANNED", "MONITOR"] as const satisfies readonly DecisionTier[];

/** Minutes from detection within which the rollback must start; MONITOR has no deadline. */
export const TIER_DEADLINE_MINUTES: Record<DecisionTier, number | null> = {
  IMMEDIATE: 5,
  FAST: 30,
  PLANNED: 120,
  MONITOR: null,
};

export function tierDeadline(detectedAt: Date, tier: DecisionTier): Date | null {
  const minutes = TIER_DEADLINE_MINUTES[tier];
  return minutes === null ? null : new Date(detectedAt.getTime() + minutes * 60_000);
}
