// Inputs of the post-mortem's actions, shared by the forms and the server actions.
import { z } from "zod";

/** Form checkboxes arrive as "on"/"true" or not at all; the API sends booleans. */
const checkbox = z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean());

export const generateAgendaSchema = z.object({
  incidentId: z.string().min(1),
  withinHours: z.coerce
    .number({ error: "Give the window in hours." })
    .int("Give the window in whole hours.")
    .min(4, "The window must be at least 4 hours: 2 hours' notice and the 75-minute meeting.")
    .max(336, "The window can be at most 336 hours (two weeks).")
    .default(48),
  skipWeekends: checkbox.default(false),
  /** Who runs the meeting; the person generating the agenda when not given. */
  facilitatorId: z
    .string()
    .trim()
    .max(64)
    .optional()
    .transform((v) => v || undefined),
});

export type GenerateAgendaInput = z.input<typeof generateAgendaSchema>;
