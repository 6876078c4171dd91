// Inputs of the checklist's actions, shared by the forms and the server actions.
import { z } from "zod";
import { ChecklistItemStatus, SignOffRole, SystemStability } from "@/generated/prisma/enums";
import { describeTemplateIssues, type TemplateItem, templateItemsSchema } from "./template-schema";

export const startVerificationSchema = z.object({ incidentId: z.string().min(1) });

const optionalText = (max: number, what: string) =>
  z
    .string()
    .max(max, `Keep the ${what} under ${max.toLocaleString("en")} characters.`)
    .nullable()
    .optional();

/** Every update names the version of the item it was made against; a stale one is refused. */
export const updateItemSchema = z
  .object({
    itemId: z.string().min(1),
    version: z.number().int().positive(),
    status: z.enum(ChecklistItemStatus).optional(),
    value: optionalText(2000, "value"),
    note: optionalText(4000, "note"),
    testResult: optionalText(2000, "test result"),
  })
  .refine((v) => v.status !== undefined || v.value !== undefined || v.note !== undefined || v.testResult !== undefined, {
    message: "Nothing to change.",
  });

export type UpdateItemInput = z.input<typeof updateItemSchema>;

export const signOffSchema = z.object({
  checklistId: z.string().min(1),
  role: z.enum(SignOffRole, { error: "Choose which sign-off you are giving." }),
  rollbackSuccessful: z.boolean({ error: "Say whether the rollback was successful." }),
  systemStable: z.enum(SystemStability, { error: "Say whether the system is stable." }),
  outstandingIssues: z.string().trim().max(4000, "Keep outstanding issues under 4,000 characters.").default(""),
  comments: z.string().trim().max(4000, "Keep comments under 4,000 characters.").default(""),
});

export type SignOffInput = z.input<typeof signOffSchema>;

export const unlockSchema = z.object({
  checklistId: z.string().min(1),
  reason: z.string().trim().min(10, "Say why it is unlocked, in at least 10 characters: it goes on the timeline.").max(2000),
});

export const renderReportSchema = z.object({ incidentId: z.string().min(1) });

export const saveTemplateSchema = z.object({
  serviceId: z.string().min(1),
  /** The template version the admin edited; 0 when the service had none (it used the default). */
  version: z.number().int().min(0),
  /** The items as JSON text, as edited; parsed and validated by templateItemsSchema (every problem named with its item). */
  itemsJson: z
    .string()
    .max(200_000, "The template is too large.")
    .transform((text, ctx): TemplateItem[] => {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (e) {
        ctx.addIssue({ code: "custom", message: `The template is not valid JSON: ${(e as Error).message}` });
        return z.NEVER;
      }
      const parsed = templateItemsSchema.safeParse(json);
      if (parsed.success) return parsed.data;
      ctx.addIssue({ code: "custom", message: describeTemplateIssues(parsed.error).slice(0, 8).join("\n") });
      return z.NEVER;
    }),
});

export type SaveTemplateInput = z.input<typeof saveTemplateSchema>;
