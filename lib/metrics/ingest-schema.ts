// The wire format of POST /api/v1/metrics. A batch is validated as a whole: one bad sample
// rejects the batch and nothing is stored.
import { z } from "zod";
import { METRIC_INFO } from "./format";
import { METRIC_KINDS, type MetricKind } from "./types";

export const MAX_BATCH_SAMPLES = 5000;
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

const API_NAMES = Object.fromEntries(METRIC_KINDS.map((k) => [METRIC_INFO[k].apiName, k])) as Record<string, MetricKind>;

const sampleSchema = z
  .object({
    metric: z.string().refine((m) => m in API_NAMES, { message: `metric must be one of ${Object.keys(API_NAMES).join(", ")}` }),
    /** ISO 8601 or epoch milliseconds. */
    ts: z.union([z.number().int().nonnegative(), z.iso.datetime({ offset: true })]),
    value: z.number().refine(Number.isFinite, { message: "value must be a finite number" }),
  })
  .strict()
  .transform((s) => ({ metric: API_NAMES[s.metric], ts: new Date(s.ts), value: s.value }))
  .superRefine((s, ctx) => {
    // A clock far ahead would put samples where no chart looks; a little skew is tolerated.
    if (s.ts.getTime() > Date.now() + MAX_CLOCK_SKEW_MS)
      ctx.addIssue({ code: "custom", message: "ts is more than 5 minutes in the future" });
    if (s.metric === "ERROR_RATE" && (s.value < 0 || s.value > 1))
      ctx.addIssue({ code: "custom", message: "error_rate is a fraction between 0 and 1" });
    if (s.metric === "AVAILABILITY" && (s.value < 0 || s.value > 100))
      ctx.addIssue({ code: "custom", message: "availability is a percent between 0 and 100" });
    if (s.metric !== "ERROR_RATE" && s.metric !== "AVAILABILITY" && s.value < 0)
      ctx.addIssue({ code: "custom", message: `${s.metric.toLowerCase()} cannot be negative` });
  });

export const ingestBatchSchema = z
  .object({
    samples: z
      .array(sampleSchema)
      .min(1, "samples must not be empty")
      .max(MAX_BATCH_SAMPLES, `at most ${MAX_BATCH_SAMPLES} samples per batch`),
  })
  .strict();

export type IngestSample = z.output<typeof sampleSchema>;
