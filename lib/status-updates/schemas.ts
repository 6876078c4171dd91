// A stakeholder update's form and change share this schema (lib/status-updates/mutations.ts).
import { z } from "zod";

/** When the next update is promised, in minutes from posting; 0: no further update planned. */
export const NEXT_UPDATE_CHOICES = [
  { minutes: 15, label: "In 15 minutes" },
  { minutes: 30, label: "In 30 minutes" },
  { minutes: 60, label: "In 1 hour" },
  { minutes: 120, label: "In 2 hours" },
  { minutes: 240, label: "In 4 hours" },
  { minutes: 0, label: "No further update planned" },
] as const;

export const DEFAULT_NEXT_UPDATE_MINUTES = 30;

const text = (label: string, max: number) =>
  z
    .string({ error: `Say ${label}.` })
    .trim()
    .min(1, `Say ${label}.`)
    .max(max, `Keep ${label} under ${max} characters.`);

export const postStatusUpdateSchema = z.object({
  incidentId: z.string().min(1),
  /** The number of the latest update the author saw (0: none): a post over a newer one is refused as stale. */
  after: z.coerce.number().int().min(0),
  status: text("where things stand", 500),
  impact: text("the impact so far", 1000),
  actions: text("what is being done", 1000),
  nextUpdateInMinutes: z.coerce
    .number()
    .int()
    .refine((m) => NEXT_UPDATE_CHOICES.some((c) => c.minutes === m), "Choose when the next update is due."),
});

export type PostStatusUpdateInput = z.input<typeof postStatusUpdateSchema>;
