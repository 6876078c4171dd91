// The numbers the decision criteria compare against: the defaults, a service's override (validated
// when saved, resolved key by key when used) and how far back the rules look.
import { z } from "zod";
import { formatMultiplier, formatPercent } from "@/lib/metrics/format";

export const DEFAULT_THRESHOLDS = {
  /** IMMEDIATE: current error rate above this fraction means the service is effectively down. */
  unavailableErrorRate: 0.5,
  fastErrorRate: 0.1,
  fastErrorRateSustainMin: 5,
  fastP99Multiplier: 3,
  fastP99SustainMin: 5,
  /** FAST: at least this many critical features FAILED. */
  severalFeaturesFailed: 2,
  plannedErrorRate: 0.05,
  plannedErrorRateSustainMin: 60,
  plannedLatencyMultiplier: 2,
  plannedLatencySustainMin: 10,
};

export type Thresholds = typeof DEFAULT_THRESHOLDS;
type ThresholdKey = keyof Thresholds;

/**
 * The rules only look this far back, so a longer "sustained" duration could never be met: callers should
 * fetch at least this much history.
 */
export const DECISION_LOOKBACK_MINUTES = 120;

const fraction = (what: string) =>
  z
    .number({ error: `${what} must be a number (a fraction: 0.1 = 10%)` })
    .gt(0, `${what} must be above 0%`)
    .lt(1, `${what} must be below 100% (a fraction: 0.1 = 10%)`);

const sustainMinutes = (what: string) =>
  z
    .number({ error: `${what} must be a number of minutes` })
    .int(`${what} must be a whole number of minutes`)
    .min(1, `${what} must be at least 1 minute`)
    .max(
      DECISION_LOOKBACK_MINUTES,
      `${what} must be at most ${DECISION_LOOKBACK_MINUTES} minutes: the decision looks at the last ${DECISION_LOOKBACK_MINUTES / 60} h of metrics`,
    );

const multiplier = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .gt(1, `${what} must be greater than 1 (it multiplies the baseline)`)
    .max(100, `${what} must be at most 100`);

const fieldSchemas = {
  unavailableErrorRate: fraction("The IMMEDIATE (service unavailable) error rate"),
  fastErrorRate: fraction("The FAST error rate"),
  fastErrorRateSustainMin: sustainMinutes("The FAST error-rate duration"),
  fastP99Multiplier: multiplier("The FAST p99 multiplier"),
  fastP99SustainMin: sustainMinutes("The FAST p99 duration"),
  severalFeaturesFailed: z
    .number({ error: "The number of failed critical features must be a number" })
    .int("The number of failed critical features must be a whole number")
    .min(1, "The number of failed critical features must be at least 1")
    .max(100, "The number of failed critical features must be at most 100"),
  plannedErrorRate: fraction("The PLANNED error rate"),
  plannedErrorRateSustainMin: sustainMinutes("The PLANNED error-rate duration"),
  plannedLatencyMultiplier: multiplier("The PLANNED latency multiplier"),
  plannedLatencySustainMin: sustainMinutes("The PLANNED latency duration"),
} satisfies Record<ThresholdKey, z.ZodType<number>>;

const THRESHOLD_KEYS = Object.keys(DEFAULT_THRESHOLDS) as ThresholdKey[];

/**
 * A per-service override (Service.decisionThresholds): any subset of the keys. Unknown keys are refused so a
 * typo does not silently leave the default in force. The tiers must stay ordered once merged with the
 * defaults, otherwise a less urgent tier would fire on a smaller problem than a more urgent one.
 */
export const decisionThresholdsSchema = z
  .strictObject(
    {
      unavailableErrorRate: fieldSchemas.unavailableErrorRate.optional(),
      fastErrorRate: fieldSchemas.fastErrorRate.optional(),
      fastErrorRateSustainMin: fieldSchemas.fastErrorRateSustainMin.optional(),
      fastP99Multiplier: fieldSchemas.fastP99Multiplier.optional(),
      fastP99SustainMin: fieldSchemas.fastP99SustainMin.optional(),
      severalFeaturesFailed: fieldSchemas.severalFeaturesFailed.optional(),
      plannedErrorRate: fieldSchemas.plannedErrorRate.optional(),
      plannedErrorRateSustainMin: fieldSchemas.plannedErrorRateSustainMin.optional(),
      plannedLatencyMultiplier: fieldSchemas.plannedLatencyMultiplier.optional(),
      plannedLatencySustainMin: fieldSchemas.plannedLatencySustainMin.optional(),
    },
    {
      error: (issue) => (issue.code === "unrecognized_keys" ? `Unknown threshold: ${issue.keys.join(", ")}` : undefined),
    },
  )
  .superRefine((value, ctx) => {
    // Invalid keys were already reported; compare only what would actually be used.
    const t = resolveThresholds(value);
    const pct = formatPercent;
    if (t.fastErrorRate > t.unavailableErrorRate) {
      ctx.addIssue({
        code: "custom",
        path: ["fastErrorRate"],
        message: `The FAST error rate (${pct(t.fastErrorRate)}) cannot be above the IMMEDIATE one (${pct(t.unavailableErrorRate)})`,
      });
    }
    if (t.plannedErrorRate > t.fastErrorRate) {
      ctx.addIssue({
        code: "custom",
        path: ["plannedErrorRate"],
        message: `The PLANNED error rate (${pct(t.plannedErrorRate)}) cannot be above the FAST one (${pct(t.fastErrorRate)})`,
      });
    }
    if (t.plannedLatencyMultiplier > t.fastP99Multiplier) {
      ctx.addIssue({
        code: "custom",
        path: ["plannedLatencyMultiplier"],
        message: `The PLANNED latency multiplier (${formatMultiplier(t.plannedLatencyMultiplier)}) cannot be above the FAST p99 one (${formatMultiplier(t.fastP99Multiplier)})`,
      });
    }
  });

/**
 * Thresholds to use for a service, from whatever is stored. Each key is judged on its own: a bad or missing
 * key falls back to its default rather than discarding the whole override, because the decision must always
 * be computable during an incident. The cross-tier ordering is only enforced when saving.
 */
export function resolveThresholds(partial: unknown): Thresholds {
  const resolved: Thresholds = { ...DEFAULT_THRESHOLDS };
  if (typeof partial !== "object" || partial === null || Array.isArray(partial)) return resolved;
  const record = partial as Record<string, unknown>;
  for (const key of THRESHOLD_KEYS) {
    const parsed = fieldSchemas[key].safeParse(record[key]);
    if (parsed.success) resolved[key] = parsed.data;
  }
  return resolved;
}
