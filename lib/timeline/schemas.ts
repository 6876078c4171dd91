// Shared by the timeline's forms and its changes (lib/timeline/mutations.ts).
import { z } from "zod";
import { TIMELINE_CATEGORIES, type TimelineCategory } from "./kinds";

export const NOTE_MAX = 2000;

export const addNoteSchema = z.object({
  incidentId: z.string().min(1),
  text: z
    .string()
    .trim()
    .min(1, "Write the note.")
    .max(NOTE_MAX, `Keep the note under ${NOTE_MAX.toLocaleString("en-US")} characters.`),
  /**
   * When what the note says happened, if earlier than now (ISO 8601 with zone; the form converts
   * the wall time typed in the page's zone). Empty: now. The change refuses a time in the future.
   */
  at: z
    .union([z.literal(""), z.iso.datetime({ offset: true, error: "Enter when it happened, or leave it empty for now." })])
    .optional()
    .transform((v) => (v ? new Date(v) : undefined)),
});
export type AddNoteInput = z.input<typeof addNoteSchema>;

export const starEventSchema = z.object({
  eventId: z.string().min(1),
  starred: z.boolean(),
});
export type StarEventInput = z.input<typeof starEventSchema>;

export const TIMELINE_ORDERS = ["oldest", "newest"] as const;
export type TimelineOrder = (typeof TIMELINE_ORDERS)[number];

/** What a timeline view shows: the URL's `kinds` and `starred`, the remembered order. */
export type TimelineQuery = { order: TimelineOrder; categories: TimelineCategory[]; starredOnly: boolean };

/** Reads the filter from URL parameters; anything unknown is ignored, never an error. */
export function parseTimelineQuery(params: { kinds?: string | null; starred?: string | null; order?: string | null }): TimelineQuery {
  const wanted = (params.kinds ?? "")
    .split(",")
    .filter((c): c is TimelineCategory => (TIMELINE_CATEGORIES as readonly string[]).includes(c));
  return {
    order: params.order === "newest" ? "newest" : "oldest",
    categories: wanted.length === TIMELINE_CATEGORIES.length ? [] : [...new Set(wanted)],
    starredOnly: params.starred === "1",
  };
}
