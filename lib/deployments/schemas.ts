// A deploy event as a pipeline sends it (POST /api/v1/deployments); the change and the OpenAPI
// document share this schema.
import { z } from "zod";
import { pastInstant, versionSchema } from "@/lib/incidents/schemas";

export const recordDeploymentSchema = z
  .object({
    service: z
      .string({ error: "Name the service by its slug, e.g. checkout." })
      .trim()
      .min(1, "Name the service by its slug, e.g. checkout.")
      .max(100, "A service slug is under 100 characters.")
      .meta({ description: "The service's slug.", example: "checkout" }),
    version: versionSchema.meta({ description: "The version now deployed.", example: "v2.5.1" }),
    previousVersion: versionSchema.optional().meta({ description: "The version it replaced: the rollback target.", example: "v2.5.0" }),
    environment: z
      .string()
      .trim()
      .min(1, "Name the environment, e.g. production.")
      .max(64, "Keep the environment under 64 characters.")
      .regex(/^[\w.-]+$/, "Use letters, digits, dots, dashes or underscores for the environment.")
      .default("production"),
    deployedAt: pastInstant("deploy").optional().meta({ description: "When the deploy finished (ISO 8601); now when left out." }),
    commit: z
      .string()
      .trim()
      .regex(/^[\w.-]{4,100}$/, "The commit is an id such as a git SHA (letters, digits, dots, dashes).")
      .optional(),
    link: z
      .url({ protocol: /^https?$/, error: "The link must be an http or https URL." })
      .max(2000, "Keep the link under 2,000 characters.")
      .optional()
      .meta({ description: "Where to read about the deploy (the pipeline run, the release notes)." }),
  })
  .refine((v) => v.version !== v.previousVersion, {
    path: ["previousVersion"],
    message: "The previous version must differ from the deployed version.",
  });

export type RecordDeploymentInput = z.input<typeof recordDeploymentSchema>;
