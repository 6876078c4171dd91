// Shared by the declare form (inline messages) and the server action (the real check).
import { z } from "zod";
import { IncidentStatus, Severity } from "@/generated/prisma/enums";

export const SEVERITIES = Object.values(Severity);
export const INCIDENT_STATUSES = Object.values(IncidentStatus);
export const ONGOING_STATUSES = INCIDENT_STATUSES.filter((s) => s !== "RESOLVED");

export const SEVERITY_HINTS: Record<Severity, string> = {
  SEV1: "SEV1 — critical: outage or data at risk",
  SEV2: "SEV2 — major: key feature broken for many users",
  SEV3: "SEV3 — minor: degraded, workaround exists",
  SEV4: "SEV4 — low: cosmetic or few users",
};

export const versionSchema = z
  .string()
  .trim()
  .min(1, "Enter a version.")
  .max(64, "Keep the version under 64 characters.")
  .regex(/^[\w.+-]+$/, "Use letters, digits, dots, dashes, plus or underscore (e.g. v2.5.0).");

export const pastInstant = (label: string) =>
  z.coerce
    .date({ error: `Enter when the ${label} happened.` })
    .refine((d) => !Number.isNaN(d.getTime()), `Enter when the ${label} happened.`)
    .refine((d) => d.getTime() <= Date.now() + 60_000, `The ${label} time cannot be in the future.`);

export const declareIncidentSchema = z
  .object({
    title: z.string().trim().min(5, "Describe the incident in at least 5 characters.").max(200, "Keep the title under 200 characters."),
    serviceId: z.string().trim().min(1, "Choose the affected service."),
    badVersion: versionSchema,
    previousVersion: versionSchema,
    severity: z.enum(Severity, { error: "Choose a severity." }),
    deployedAt: pastInstant("deploy"),
    detectedAt: pastInstant("detection"),
    summary: z.string().trim().max(5000, "Keep the summary under 5,000 characters.").default(""),
  })
  .refine((v) => v.badVersion !== v.previousVersion, {
    path: ["previousVersion"],
    message: "The previous version must differ from the bad version.",
  })
  .refine((v) => v.detectedAt.getTime() >= v.deployedAt.getTime(), {
    path: ["detectedAt"],
    message: "Detection cannot be before the deploy.",
  });

export type DeclareIncidentInput = z.input<typeof declareIncidentSchema>;

export const incidentFiltersSchema = z.object({
  status: z
    .enum(["ongoing", "resolved", ...INCIDENT_STATUSES])
    .optional()
    .catch(undefined),
  severity: z.enum(Severity).optional().catch(undefined),
  service: z.string().max(100).optional().catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});

export type IncidentFilters = z.infer<typeof incidentFiltersSchema>;

export function incidentRef(number: number): string {
  return `INC-${number}`;
}

/**
 * An impact figure: a count, or null for "not recorded". Blank, whitespace, null and a missing
 * field are all "not recorded" — never 0 (z.coerce.number alone turns null and " " into 0, and a
 * stakeholder would read that 0 as measured).
 */
const impactCount = z
  .preprocess(
    (v) => {
      if (v === undefined || v === null || (typeof v === "string" && v.trim() === "")) return null;
      // Only text that reads as a number becomes one ("lots" and true stay themselves, and are refused).
      return typeof v === "string" && /^[-+]?\d+(\.\d+)?$/.test(v.trim()) ? Number(v.trim()) : v;
    },
    z.union([
      z.null(),
      z.number({ error: "Enter a whole number." }).int("Enter a whole number.").min(0, "Cannot be negative.").max(1_000_000_000),
    ]),
  )
  .transform((v) => v ?? null);

export const updateImpactSchema = z.object({
  incidentId: z.string().min(1),
  version: z.coerce.number().int().min(1),
  usersAffected: impactCount,
  supportTickets: impactCount,
  complaints: impactCount,
  failedTransactions: impactCount,
});

export type UpdateImpactInput = z.input<typeof updateImpactSchema>;
