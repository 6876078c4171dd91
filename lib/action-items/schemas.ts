// Shared by the action-item forms (inline messages) and the changes (the real check).
import { z } from "zod";
import { DUE_DAY, dueDayToDate, HORIZONS, linkUrlProblem, PRIORITIES, STATUSES } from "./rules";

const id = z.string().trim().min(1).max(64);

const dueDay = z
  .string({ error: "Choose a due date." })
  .trim()
  .regex(DUE_DAY, "Choose a due date.")
  .refine((d) => dueDayToDate(d) !== null, "Choose a due date that exists.");

/** One optional link: a runbook, a service, or an http(s) URL. */
export const actionItemLinkSchema = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("none") }),
    z.object({
      kind: z.literal("url"),
      url: z
        .string()
        .trim()
        .min(1, "Enter the link's address.")
        .max(2000, "Keep the link under 2,000 characters.")
        .superRefine((u, ctx) => {
          const problem = linkUrlProblem(u);
          if (problem) ctx.addIssue({ code: "custom", message: problem });
        }),
    }),
    z.object({ kind: z.literal("runbook"), runbookId: id }),
    z.object({ kind: z.literal("service"), serviceId: id }),
  ])
  .default({ kind: "none" });

export type ActionItemLink = z.output<typeof actionItemLinkSchema>;

const fields = {
  title: z.string().trim().min(3, "Say what needs doing in at least 3 characters.").max(200, "Keep the title under 200 characters."),
  ownerId: z.string({ error: "Choose an owner." }).trim().min(1, "Choose an owner.").max(64),
  dueDay,
  priority: z.enum(PRIORITIES, { error: "Choose a priority." }),
  horizon: z.enum(HORIZONS, { error: "Choose a horizon." }),
  verification: z.string().trim().min(3, "Say how completion will be verified.").max(2000, "Keep the verification under 2,000 characters."),
  link: actionItemLinkSchema,
};

export const createActionItemSchema = z.object({ incidentId: id, ...fields });
export type CreateActionItemInput = z.input<typeof createActionItemSchema>;

export const updateActionItemSchema = z.object({ id, version: z.coerce.number().int().min(1), ...fields });

export const setActionItemStatusSchema = z
  .object({
    id,
    version: z.coerce.number().int().min(1),
    status: z.enum(STATUSES, { error: "Choose a status." }),
    completionNote: z.string().trim().max(2000, "Keep the note under 2,000 characters.").default(""),
  })
  .refine((v) => v.status !== "DONE" || v.completionNote.length >= 3, {
    path: ["completionNote"],
    message: "Say how you verified it is done.",
  });
export type SetActionItemStatusInput = z.input<typeof setActionItemStatusSchema>;

/** The global page's URL: a view, filters and a grouping; anything else falls back to the default. */
export const actionItemPageSchema = z.object({
  view: z.enum(["mine", "overdue", "open", "all"]).default("mine").catch("mine"),
  priority: z.enum(PRIORITIES).optional().catch(undefined),
  incident: z.coerce.number().int().min(1).max(999_999_999).optional().catch(undefined),
  group: z.enum(["none", "incident", "priority"]).default("none").catch("none"),
});
export type ActionItemPageParams = z.output<typeof actionItemPageSchema>;
