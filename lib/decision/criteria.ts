// The criteria of the rollback decision framework: what the evaluation takes and returns, and the
// catalogue of criteria by tier (the automatic ones judged from metrics and probes, the manual ones
// ticked by responders).
import { formatMinutes, formatMultiplier, formatPercent } from "@/lib/metrics/format";
// Type only: the probes themselves are server code, the rules stay pure.
import type { FeatureStatus } from "@/lib/metrics/probes";
import type { MetricKind, Point } from "@/lib/metrics/types";
import type { Thresholds } from "./thresholds";
import type { DecisionTier } from "./tiers";

export type ManualTick = { checked: boolean; note?: string; by?: string };

export type DecisionInput = {
  /** Epoch milliseconds. */
  now: number;
  /** Recent samples, ascending t, covering at least DECISION_LOOKBACK_MINUTES at ≤ 1 min resolution. */
  series: Partial<Record<MetricKind, Point[]>>;
  /** Baseline medians. */
  baseline: Partial<Record<MetricKind, number | null>>;
  features: { name: string; status: FeatureStatus }[];
  /** Keyed by manual criterion id (Incident.manualCriteria). */
  manual: Partial<Record<string, ManualTick>>;
  thresholds?: Partial<Thresholds>;
};

export type CriterionResult = {
  id: string;
  tier: DecisionTier;
  label: string;
  kind: "auto" | "manual";
  met: boolean;
  /** False when the data cannot answer (missing, stale, too short); such a criterion never counts as met. */
  evaluable: boolean;
  detail: string;
};

export type DecisionEvaluation = {
  recommendedTier: DecisionTier;
  criteria: CriterionResult[];
  metCriteria: CriterionResult[];
};

type CriterionDefinition = {
  id: string;
  tier: DecisionTier;
  kind: "auto" | "manual";
  /** Takes the thresholds so the label states the numbers this service actually uses. */
  label: (t: Thresholds) => string;
};

/**
 * Every criterion of the framework, most urgent tier first. The ids are stored (Incident.manualCriteria,
 * evidence snapshots): never rename one.
 */
export const CRITERIA = [
  {
    id: "service-unavailable",
    tier: "IMMEDIATE",
    kind: "auto",
    label: (t) => `Service unavailable (error rate above ${formatPercent(t.unavailableErrorRate)} now)`,
  },
  { id: "data-corruption", tier: "IMMEDIATE", kind: "manual", label: () => "Data corruption detected" },
  { id: "security-breach", tier: "IMMEDIATE", kind: "manual", label: () => "Security breach identified" },
  {
    id: "critical-functionality-broken",
    tier: "IMMEDIATE",
    kind: "auto",
    label: () => "Critical functionality broken (every critical feature failing)",
  },
  { id: "database-integrity-compromised", tier: "IMMEDIATE", kind: "manual", label: () => "Database integrity compromised" },
  {
    id: "error-rate-high",
    tier: "FAST",
    kind: "auto",
    label: (t) => `Error rate above ${formatPercent(t.fastErrorRate)} for ${formatMinutes(t.fastErrorRateSustainMin)}`,
  },
  {
    id: "p99-latency-high",
    tier: "FAST",
    kind: "auto",
    label: (t) => `p99 latency above ${formatMultiplier(t.fastP99Multiplier)} baseline for ${formatMinutes(t.fastP99SustainMin)}`,
  },
  {
    id: "critical-features-failing",
    tier: "FAST",
    kind: "auto",
    label: (t) => `${t.severalFeaturesFailed} or more critical features failing`,
  },
  { id: "database-performance-degraded", tier: "FAST", kind: "manual", label: () => "Database performance severely degraded" },
  {
    id: "error-rate-elevated",
    tier: "PLANNED",
    kind: "auto",
    label: (t) => `Error rate above ${formatPercent(t.plannedErrorRate)} for ${formatMinutes(t.plannedErrorRateSustainMin)} or more`,
  },
  {
    id: "performance-degraded",
    tier: "PLANNED",
    kind: "auto",
    label: (t) =>
      `p95 or p99 latency ${formatMultiplier(t.plannedLatencyMultiplier)} baseline or worse for ${formatMinutes(t.plannedLatencySustainMin)}`,
  },
  { id: "business-metrics-down", tier: "PLANNED", kind: "manual", label: () => "Business metrics significantly down" },
  { id: "medium-issues-accumulating", tier: "PLANNED", kind: "manual", label: () => "Medium-severity issues accumulating" },
] as const satisfies readonly CriterionDefinition[];

export type CriterionId = (typeof CRITERIA)[number]["id"];
export type ManualCriterionId = Extract<(typeof CRITERIA)[number], { kind: "manual" }>["id"];

/** The criteria responders tick by hand: what the metrics cannot tell. */
export const MANUAL_CRITERION_IDS = CRITERIA.filter((c) => c.kind === "manual").map((c) => c.id) as ManualCriterionId[];
