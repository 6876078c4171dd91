// What the RCA's forms send: which section, the revision the writer read, the section's new value.
// One schema per section, shared by the form and the change.
import { z } from "zod";
import { MARKS, PRIORITIES, SECTION_KEYS, type SectionKey } from "./content";

const text = (max = 20_000) => z.string().max(max, `At most ${max.toLocaleString("en-US")} characters.`);
const list = z.array(text(5_000)).max(20, "At most 20 entries.");
/** A figure that may be unknown: blank or null is "not recorded", never 0. */
const amount = z.preprocess(
  (v) =>
    v === undefined || v === null || (typeof v === "string" && v.trim() === "") ? null : typeof v === "string" ? Number(v.trim()) : v,
  z.union([z.null(), z.number({ error: "Enter a number." }).finite("Enter a number.").min(0, "Cannot be negative.").max(1e12)]),
);
const recommendation = z.object({ priority: z.enum(PRIORITIES), text: text() });

export const SECTION_SCHEMAS = {
  summary: z.union([z.null(), text()]).transform((v) => (v?.trim() ? v : null)),
  whatHappened: text(),
  rootCause: z.object({ immediate: text(), configuration: text(), testing: text(), deployment: text(), monitoring: text() }),
  fiveWhys: list,
  outcomes: z.object({ wentWell: text(), wentWrong: text() }),
  lessons: z.object({ technical: list, process: list }),
  preventive: z.object({ technical: text(), process: text() }),
  cost: z.object({ engineeringHours: amount, hourlyRate: amount, lostRevenue: amount }),
  recommendations: z.object({ deployment: recommendation, monitoring: recommendation, testing: recommendation }),
  timelineScope: z.enum(["all", "key"]),
} satisfies Record<SectionKey, z.ZodType>;

export const saveSectionSchema = z.object({
  documentId: z.string().min(1),
  section: z.enum(SECTION_KEYS),
  /** The section's revision the writer read. */
  rev: z.coerce.number().int().min(0),
  value: z.unknown(),
});
export type SaveSectionInput = z.input<typeof saveSectionSchema>;

export const generateRcaSchema = z.object({ incidentId: z.string().min(1) });

export const markRcaSchema = z.object({
  documentId: z.string().min(1),
  /** The version the person read and is marking. */
  version: z.coerce.number().int().min(1),
});
export type MarkInput = z.input<typeof markRcaSchema>;

export { MARKS };
