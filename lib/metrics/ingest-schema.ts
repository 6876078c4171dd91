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

const isoTimestamp = z.iso.datetime({ offset: true });

/**
 * The common case of a large batch without zod's per-object machinery: plain objects with exactly
 * metric, ts and value, all within bounds. Accepts only what ingestBatchSchema accepts, with the same
 * output (tested against it in ingest-schema.test.ts); anything else — an issue, an unusual shape —
 * returns null and the batch goes through the schema, which words the refusal.
 */
export function parseValidBatch(body: unknown, now: number): IngestSample[] | null {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return null;
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== "samples") return null;
  const samples = (body as { samples: unknown }).samples;
  if (!Array.isArray(samples) || samples.length < 1 || samples.length > MAX_BATCH_SAMPLES) return null;
  const latest = now + MAX_CLOCK_SKEW_MS;
  const out: IngestSample[] = new Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s: unknown = samples[i];
    if (typeof s !== "object" || s === null || Array.isArray(s)) return null;
    const { metric: name, ts, value } = s as { metric: unknown; ts: unknown; value: unknown };
    // Exactly the three own keys (strict): three keys, and each of the three present as its own.
    if (Object.keys(s).length !== 3 || !Object.hasOwn(s, "metric") || !Object.hasOwn(s, "ts") || !Object.hasOwn(s, "value")) return null;
    if (typeof name !== "string") return null;
    const metric = API_NAMES.get(name);
    if (metric === undefined) return null;
    let date: Date;
    if (typeof ts === "number") {
      if (!Number.isSafeInteger(ts) || ts < 0) return null;
      date = new Date(ts);
    } else if (typeof ts === "string" && isoTimestamp.safeParse(ts).success) {
      date = new Date(ts);
    } else return null;
    const t = date.getTime();
    if (Number.isNaN(t) || t > latest) return null;
    if (typeof value !== "number" || !Number.isFinite(value)) return null;
    const bounds = VALUE_BOUNDS[metric];
    if (value < bounds.min || value > bounds.max) return null;
    out[i] = { metric, ts: date, value };
  }
  return out;
}

export type BatchIssue = { path: string; message: string };

/** A batch validated as ingestBatchSchema does; large valid batches take the fast path above. */
export function parseIngestBatch(
  body: unknown,
  now = Date.now(),
): { samples: IngestSample[]; issues: null } | { samples: null; issues: BatchIssue[] } {
  const fast = parseValidBatch(body, now);
  if (fast) return { samples: fast, issues: null };
  const parsed = ingestBatchSchema.safeParse(body);
  if (parsed.success) return { samples: parsed.data.samples, issues: null };
  return { samples: null, issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) };
}
