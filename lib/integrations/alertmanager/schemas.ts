// Alertmanager's webhook payload, format version 4 (prometheus.io/docs/alerting/latest/configuration/#webhook_config),
// and the admin's integration form. Shared by the receiver, the changes and the form.
import { z } from "zod";
import { Severity } from "@/generated/prisma/enums";

const labelSet = z.record(z.string().max(1000), z.string().max(10_000), { error: "Labels and annotations are objects of strings." });
const rfc3339 = z.iso.datetime({ offset: true, error: "Times are RFC 3339, e.g. 2026-12-05T23:00:00Z." });

export const alertSchema = z.object({
  status: z.enum(["firing", "resolved"], { error: 'An alert\'s status is "firing" or "resolved".' }),
  labels: labelSet,
  annotations: labelSet.default({}),
  startsAt: rfc3339,
  // Alertmanager sends 0001-01-01T00:00:00Z while an alert has no end.
  endsAt: rfc3339.optional(),
  generatorURL: z.string().max(4000).default(""),
  fingerprint: z.string().regex(/^[\w-]{1,128}$/, "An alert's fingerprint is its hex id as Alertmanager computes it."),
});
export type WebhookAlert = z.output<typeof alertSchema>;

export const webhookSchema = z.object({
  version: z.literal("4", { error: 'Only Alertmanager\'s webhook format version "4" is accepted.' }),
  groupKey: z.string().max(10_000),
  truncatedAlerts: z.number().int().min(0).optional(),
  status: z.enum(["firing", "resolved"], { error: 'status is "firing" or "resolved".' }),
  receiver: z.string().max(1000),
  groupLabels: labelSet,
  commonLabels: labelSet,
  commonAnnotations: labelSet,
  externalURL: z.string().max(4000),
  alerts: z.array(alertSchema).min(1, "The payload has no alerts.").max(1000, "At most 1,000 alerts in one payload."),
});
export type WebhookPayload = z.output<typeof webhookSchema>;

/** The receiver's 200 answer: what became of each alert (lib/integrations/alertmanager/receive.ts, documented in lib/api/openapi.ts). */
const alertResultBase = { fingerprint: z.string(), status: z.enum(["firing", "resolved"]) };
export const webhookAnswerSchema = z.object({
  integration: z.string().meta({ description: "The integration the token belongs to." }),
  alerts: z.array(
    z.discriminatedUnion("result", [
      z.object({
        ...alertResultBase,
        result: z.enum(["opened", "joined", "noted"]),
        incident: z.string().meta({ description: "The incident it opened, joined or was noted on, e.g. INC-12." }),
      }),
      z.object({ ...alertResultBase, result: z.enum(["duplicate", "no_incident"]) }),
      z.object({
        ...alertResultBase,
        result: z.enum(["ignored", "refused"]),
        reason: z.string().meta({ description: "Why: no service label, no such service, or the refusal's message." }),
      }),
    ]),
  ),
});
export type WebhookAnswer = z.input<typeof webhookAnswerSchema>;

export const SUSPECT_WINDOW_CHOICES = [15, 30, 60, 120, 240] as const;

export const createIntegrationSchema = z.object({
  name: z.string().trim().min(1, "Name the integration (which Alertmanager).").max(100, "Keep the name under 100 characters."),
  serviceLabel: z
    .string()
    .trim()
    .regex(/^[a-zA-Z_][a-zA-Z0-9_]{0,99}$/, "A Prometheus label name: letters, digits and underscores, e.g. service.")
    .default("service"),
  defaultSeverity: z.enum(Severity, { error: "Choose the severity of incidents it opens." }),
  suspectWindowMinutes: z.coerce
    .number({ error: "Choose the suspect window." })
    .int()
    .min(1, "The suspect window is 1 to 1,440 minutes.")
    .max(1440, "The suspect window is 1 to 1,440 minutes."),
});
export type CreateIntegrationInput = z.input<typeof createIntegrationSchema>;

export const revokeIntegrationSchema = z.object({ integrationId: z.string().min(1) });
