// The wire format of POST /api/v1/metrics. A batch is validated as a whole: one bad sample
// rejects the batch and nothing is stored.
import { z } from "zod";
import { METRIC_INFO } from "./format";
import { METRIC_KINDS, type MetricKind } from "./types";

export const MAX_BATCH_SAMPLES = 5000;
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

// Own properties only: `"__proto__" in API_NAMES` (or "toString") is true through the prototype
// chain, and such a name used to reach the database as a metric and end in a 500.
const API_NAMES: ReadonlyMap<string, MetricKind> = new Map(METRIC_KINDS.map((k) => [METRIC_INFO[k].apiName, k]));

/**
 * What a value of each metric can be. Beyond a ceiling a value is a unit mistake or an attack, and
 * one such sample would flatten every chart of the service and skew its baselines: a day of latency,
 * a billion requests a second.
 */
export const VALUE_BOUNDS: Record<MetricKind, { min: number; max: number; words: string }> = {
  ERROR_RATE: { min: 0, max: 1, words: "error_rate is a fraction between 0 and 1" },
  LATENCY_P50: { min: 0, max: 86_400_000, words: "latency_p50 is milliseconds between 0 and 86,400,000 (a day)" },
  LATENCY_P95: { min: 0, max: 86_400_000, words: "latency_p95 is milliseconds between 0 and 86,400,000 (a day)" },
  LATENCY_P99: { min: 0, max: 86_400_000, words: "latency_p99 is milliseconds between 0 and 86,400,000 (a day)" },
  THROUGHPUT: { min: 0, max: 1e9, words: "throughput is requests per second between 0 and 1,000,000,000" },
  AVAILABILITY: { min: 0, max: 100, words: "availability is a percent between 0 and 100" },
};

const sampleSchema = z
  .object({
    metric: z.string().refine((m) => API_NAMES.has(m), { message: `metric must be one of ${[...API_NAMES.keys()].join(", ")}` }),
    /** ISO 8601 or epoch milliseconds. */
    ts: z.union([z.number().int().nonnegative(), z.iso.datetime({ offset: true })]),
    value: z.number().refine(Number.isFinite, { message: "value must be a finite number" }),
  })
  .strict()
  .transform((s) => ({ metric: API_NAMES.get(s.metric) as MetricKind, ts: new Date(s.ts), value: s.value }))
  .superRefine((s, ctx) => {
    // A clock far ahead would put samples where no chart looks; a little skew is tolerated. An
    // instant JavaScript cannot represent (8.64e15 + 1 ms) is not a date at all.
    if (Number.isNaN(s.ts.getTime()) || s.ts.getTime() > Date.now() + MAX_CLOCK_SKEW_MS)
      ctx.addIssue({ code: "custom", path: ["ts"], message: "ts is more than 5 minutes in the future" });
    const bounds = VALUE_BOUNDS[s.metric];
    if (s.value < bounds.min || s.value > bounds.max) ctx.addIssue({ code: "custom", path: ["value"], message: bounds.words });
  });

/**
 * Samples older than the service's retention: the retention job would delete them within minutes,
 * and dates like 1970 or 1900 are a broken clock, not history. Pure: now and the retention are given.
 */
export function samplesBeyondRetention(
  samples: readonly IngestSample[],
  retentionDays: number,
  now = Date.now(),
): { path: string; message: string }[] {
  const oldest = now - retentionDays * 86_400_000;
  return samples.flatMap((s, i) =>
    s.ts.getTime() < oldest
      ? [{ path: `samples.${i}.ts`, message: `ts is older than the service's retention of ${retentionDays} days` }]
      : [],
  );
}

export const ingestBatchSchema = z
  .object({
    samples: z
      .array(sampleSchema)
      .min(1, "samples must not be empty")
      .max(MAX_BATCH_SAMPLES, `at most ${MAX_BATCH_SAMPLES} samples per batch`),
  })
  .strict();

export type IngestSample = z.output<typeof sampleSchema>;
