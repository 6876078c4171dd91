import { z } from "zod";
import { MetricsProvider } from "@/generated/prisma/enums";
import { decisionThresholdsSchema } from "@/lib/decision/thresholds";
import { InvalidInputError } from "@/lib/errors";
import { METRIC_INFO } from "@/lib/metrics/format";
import { materialityOverrideSchema } from "@/lib/metrics/materiality";
import { validateSelector } from "@/lib/metrics/prometheus";
import { METRIC_KINDS } from "@/lib/metrics/types";

const minutes = (label: string, max: number) =>
  z.coerce
    .number({ error: `Enter the ${label} in minutes.` })
    .int("Use whole minutes.")
    .min(1, `The ${label} must be at least 1 minute.`)
    .max(max, `The ${label} can be at most ${max} minutes.`);

export const metricsSettingsSchema = z
  .object({
    serviceId: z.string().min(1),
    version: z.coerce.number().int().min(1),
    metricsProvider: z.enum(MetricsProvider, { error: "Choose a metrics source." }),
    prometheusUrl: z.string().trim().max(500).default(""),
    prometheusSelector: z.string().trim().max(500).default(""),
    queries: z
      .object(
        Object.fromEntries(METRIC_KINDS.map((k) => [k, z.string().trim().max(2000, "Keep a query under 2,000 characters.").default("")])),
      )
      .default({}),
    baselineWindowMinutes: minutes("baseline window", 24 * 60),
    currentWindowMinutes: minutes("current window", 120),
    availabilityTarget: z.coerce
      .number({ error: "Enter a percentage." })
      .min(50, "Use a target between 50 and 100%.")
      .max(100, "Use a target between 50 and 100%."),
    retentionDays: z.coerce
      .number({ error: "Enter a number of days." })
      .int("Use whole days.")
      .min(1, "Keep samples at least 1 day.")
      .max(3650, "Keep samples at most 10 years."),
  })
  .superRefine((v, ctx) => {
    if (v.metricsProvider !== "PROMETHEUS") return;
    let url: URL | null = null;
    try {
      url = new URL(v.prometheusUrl);
    } catch {
      // reported below
    }
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
      ctx.addIssue({ code: "custom", path: ["prometheusUrl"], message: "Enter Prometheus' address, e.g. http://prometheus:9090." });
    }
    // The selector is pasted into every default query: one that could inject PromQL is refused here.
    try {
      validateSelector(v.prometheusSelector);
    } catch (e) {
      if (!(e instanceof InvalidInputError)) throw e;
      ctx.addIssue({ code: "custom", path: ["prometheusSelector"], message: e.message });
    }
  })
  .transform((v) => (v.metricsProvider === "PROMETHEUS" ? { ...v, prometheusSelector: validateSelector(v.prometheusSelector) } : v));

export const criticalFeatureSchema = z.object({
  serviceId: z.string().min(1),
  name: z.string().trim().min(2, "Name the feature (e.g. Users can log in).").max(120),
  probeUrl: z
    .string()
    .trim()
    .max(500)
    .refine((u) => u === "" || /^https?:\/\//.test(u), "Use an http:// or https:// address, or leave it empty.")
    .default(""),
  expectedStatus: z.coerce.number().int().min(100, "Use an HTTP status (100–599).").max(599, "Use an HTTP status (100–599).").default(200),
  timeoutMs: z.coerce.number().int().min(100, "At least 100 ms.").max(30_000, "At most 30 s.").default(3000),
  degradedLatencyMs: z.coerce.number().int().min(1, "At least 1 ms.").max(30_000, "At most 30 s.").default(1000),
});

export const removeFeatureSchema = z.object({ featureId: z.string().min(1) });

export const createTokenSchema = z.object({
  serviceId: z.string().min(1),
  name: z.string().trim().min(2, "Name the token after what pushes with it (e.g. checkout exporter).").max(80),
});

export const revokeTokenSchema = z.object({ tokenId: z.string().min(1) });

export const THRESHOLD_FIELDS = [
  ["unavailableErrorRate", "IMMEDIATE: service unavailable above error rate (fraction)"],
  ["fastErrorRate", "FAST: error rate above (fraction)"],
  ["fastErrorRateSustainMin", "FAST: … sustained for (min)"],
  ["fastP99Multiplier", "FAST: p99 above × baseline"],
  ["fastP99SustainMin", "FAST: … sustained for (min)"],
  ["severalFeaturesFailed", "FAST: critical features failing (count)"],
  ["plannedErrorRate", "PLANNED: error rate above (fraction)"],
  ["plannedErrorRateSustainMin", "PLANNED: … sustained for (min)"],
  ["plannedLatencyMultiplier", "PLANNED: p95/p99 × baseline"],
  ["plannedLatencySustainMin", "PLANNED: … sustained for (min)"],
] as const;

const THRESHOLD_LABELS: Record<string, string> = Object.fromEntries(THRESHOLD_FIELDS);

export const thresholdsFormSchema = z.object({
  serviceId: z.string().min(1),
  version: z.coerce.number().int().min(1),
  /** The form's text fields. Blank ones fall back to the defaults; the numbers are checked by the decision rules' schema. */
  values: z
    .record(z.string(), z.string().trim().max(20))
    .transform((values, ctx) => {
      const overrides: Record<string, number> = {};
      for (const [key, value] of Object.entries(values)) {
        if (value === "") continue;
        const n = Number(value);
        if (Number.isFinite(n)) overrides[key] = n;
        else ctx.addIssue({ code: "custom", path: [key], message: `${THRESHOLD_LABELS[key] ?? key}: enter a number.` });
      }
      return overrides;
    })
    .pipe(decisionThresholdsSchema),
});

/** The materiality form's fields: one per metric kind and part, named `${metric}.${part}`. */
export const MATERIALITY_PARTS = ["relative", "absolute"] as const;

export const materialityFormSchema = z.object({
  serviceId: z.string().min(1),
  version: z.coerce.number().int().min(1),
  /** The form's text fields. Blank ones fall back to the defaults; the numbers are checked by the verdict's own schema. */
  values: z
    .record(z.string(), z.string().trim().max(20))
    .transform((values, ctx) => {
      const override: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(values)) {
        if (value === "") continue;
        const [metric = "", part, ...rest] = key.split(".");
        const n = Number(value);
        if (!Number.isFinite(n)) {
          const label = (METRIC_INFO as Record<string, { label: string } | undefined>)[metric]?.label ?? metric;
          ctx.addIssue({ code: "custom", path: [key], message: `${label}: enter a number for the ${part ?? ""} part.` });
          continue;
        }
        // A key that is not "metric.part" goes through as it is, for the schema below to refuse by name.
        if (part === undefined || rest.length > 0) override[key] = n;
        else override[metric] = { ...(override[metric] as object | undefined), [part]: n };
      }
      return override;
    })
    .pipe(materialityOverrideSchema),
});
