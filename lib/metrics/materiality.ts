// How big a change must be to count in a verdict, per metric kind: the defaults (measured on the corpus of
// bench/verdicts.bench.ts), a service's override (Service.verdictMateriality, checked when saved, resolved
// part by part when used) and the threshold they give for a baseline. Pure: no I/O.
import { z } from "zod";
import { METRIC_INFO } from "./format";
import { METRIC_KINDS, type MetricKind } from "./types";

/**
 * A change is material (worth acting on) when its size is at least `absolute` (in the metric's unit) AND at
 * least `relative` × |baseline median|. With a baseline of 0 only the absolute part applies, so 0 → 3 %
 * errors is material while 0 → 0.01 % is not.
 */
export type Materiality = { relative: number; absolute: number };

/**
 * Defaults per metric kind, chosen on the labelled corpus of bench/verdicts.bench.ts (see bench/README.md):
 * 5 % for latency and throughput (significant 5–9 % shifts matter, issue 18), half a percentage point of
 * errors (and of availability, its complement), 1 ms / 0.5 req/s so that very small services do not
 * report sub-millisecond noise.
 */
export const DEFAULT_MATERIALITY: Record<MetricKind, Materiality> = {
  ERROR_RATE: { relative: 0.1, absolute: 0.005 },
  LATENCY_P50: { relative: 0.05, absolute: 1 },
  LATENCY_P95: { relative: 0.05, absolute: 1 },
  LATENCY_P99: { relative: 0.05, absolute: 1 },
  THROUGHPUT: { relative: 0.05, absolute: 0.5 },
  AVAILABILITY: { relative: 0, absolute: 0.5 },
};

/** The materiality threshold for a baseline median: the larger of the two parts. */
export function materialThreshold(m: Materiality, baselineMedian: number): number {
  return Math.max(m.absolute, m.relative * Math.abs(baselineMedian));
}

/** The largest absolute part per kind: the whole range of a fraction or a percentage, a minute of latency. */
const ABSOLUTE_MAX: Record<MetricKind, number> = {
  ERROR_RATE: 1,
  LATENCY_P50: 60_000,
  LATENCY_P95: 60_000,
  LATENCY_P99: 60_000,
  THROUGHPUT: 1e9,
  AVAILABILITY: 100,
};

/** How the absolute part of each kind is entered: its unit in words. */
export const ABSOLUTE_UNIT: Record<MetricKind, string> = {
  ERROR_RATE: "fraction: 0.005 = 0.5 points",
  LATENCY_P50: "ms",
  LATENCY_P95: "ms",
  LATENCY_P99: "ms",
  THROUGHPUT: "req/s",
  AVAILABILITY: "percentage points",
};

const partSchemas = (metric: MetricKind) => {
  const label = METRIC_INFO[metric].label;
  return {
    // Above 10 (×11) no change a verdict could see would count: that is switching the metric off, not tuning it.
    relative: z
      .number({ error: `${label}: the relative part must be a number (a fraction: 0.05 = 5%)` })
      .min(0, `${label}: the relative part cannot be negative`)
      .max(10, `${label}: the relative part must be at most 10 (1000%)`),
    absolute: z
      .number({ error: `${label}: the absolute part must be a number (${ABSOLUTE_UNIT[metric]})` })
      .min(0, `${label}: the absolute part cannot be negative`)
      .max(ABSOLUTE_MAX[metric], `${label}: the absolute part must be at most ${ABSOLUTE_MAX[metric]} (${ABSOLUTE_UNIT[metric]})`),
  };
};

const PARTS = Object.fromEntries(METRIC_KINDS.map((m) => [m, partSchemas(m)])) as Record<MetricKind, ReturnType<typeof partSchemas>>;

/**
 * A per-service override (Service.verdictMateriality): any metric kinds, any of their two parts. Unknown keys
 * are refused so that a typo does not silently leave the default in force.
 */
export const materialityOverrideSchema = z.strictObject(
  Object.fromEntries(
    METRIC_KINDS.map((m) => [
      m,
      z.strictObject({ relative: PARTS[m].relative.optional(), absolute: PARTS[m].absolute.optional() }).optional(),
    ]),
  ) as Record<MetricKind, z.ZodOptional<z.ZodObject<{ relative: z.ZodOptional<z.ZodNumber>; absolute: z.ZodOptional<z.ZodNumber> }>>>,
  { error: (issue) => (issue.code === "unrecognized_keys" ? `Unknown metric or part: ${issue.keys.join(", ")}` : undefined) },
);

export type MaterialityOverride = z.output<typeof materialityOverrideSchema>;

/**
 * The materiality to use for a service, from whatever is stored. Each part is judged on its own: a bad or
 * missing one falls back to its default rather than discarding the whole override, because the verdicts must
 * always be computable during an incident.
 */
export function resolveMateriality(stored: unknown): Record<MetricKind, Materiality> {
  const record = typeof stored === "object" && stored !== null && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {};
  const resolved = {} as Record<MetricKind, Materiality>;
  for (const m of METRIC_KINDS) {
    const given = record[m];
    const parts = typeof given === "object" && given !== null ? (given as Record<string, unknown>) : {};
    const relative = PARTS[m].relative.safeParse(parts.relative);
    const absolute = PARTS[m].absolute.safeParse(parts.absolute);
    resolved[m] = {
      relative: relative.success ? relative.data : DEFAULT_MATERIALITY[m].relative,
      absolute: absolute.success ? absolute.data : DEFAULT_MATERIALITY[m].absolute,
    };
  }
  return resolved;
}
