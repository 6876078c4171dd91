// Inputs of the post-mortem's actions, shared by the forms and the server actions.
import { z } from "zod";
import { REDEPLOY_STRATEGIES, type RedeployStrategy } from "./redeploy-plan";

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

const planText = (what: string, example: string) =>
  z
    .string()
    .trim()
    .min(10, `Describe ${what} (at least 10 characters), e.g. ${example}.`)
    .max(4000, `Keep ${what} under 4,000 characters.`);

export const savePlanSchema = z.object({
  incidentId: z.string().min(1),
  /** The plan's version this one replaces (0 for the first): a plan saved since is refused as stale. */
  basedOn: z.coerce.number().int().min(0),
  fixedVersion: z.string().trim().min(1, "Name the version to re-deploy (e.g. v2.5.1).").max(100, "Keep the version under 100 characters."),
  fix: planText("the fix", "“DATABASE_POOL_SIZE set from the environment, default 20”"),
  validation: planText("the validation added", "“start-up refuses a pool smaller than 5; alert on pool saturation”"),
  stagingTest: planText("the staging test", "“load test at 2× peak for 30 min, pool at 60 %”"),
  targetDate: z.iso.date({ error: "Give the target date as a date (YYYY-MM-DD)." }),
  strategy: z.enum(Object.keys(REDEPLOY_STRATEGIES) as [RedeployStrategy, ...RedeployStrategy[]], {
    error: "Choose how it goes out again (canary, blue-green, rolling, feature flag).",
  }),
});

export type SavePlanInput = z.input<typeof savePlanSchema>;
