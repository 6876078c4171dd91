// The timeline as files: Markdown (the documents' builder, so entry text is escaped) and CSV
// (csv-stringify: quoting, line breaks inside cells, and `escape_formulas`, so a cell that starts
// with = + - @ is text in a spreadsheet, never a formula). Both UTC, ISO 8601, and say so. Pure.
import { stringify } from "csv-stringify/sync";
import { heading, markdownDocument, paragraph, renderMarkdown, strong, table } from "@/lib/documents/markdown";
import { formatDuration } from "@/lib/metrics/format";
import { isoUtc } from "@/lib/time/format";
import type { TimelineEntry } from "./entries";
import { CATEGORY_LABELS } from "./kinds";
import { absentText, type Milestones } from "./milestones";

export const CSV_COLUMNS = [
  "time_utc",
  "recorded_at_utc",
  "category",
  "kind",
  "source",
  "source_detail",
  "actor",
  "message",
  "key_moment",
  "step_result",
  "step_duration_seconds",
] as const;

export function timelineCsv(entries: readonly TimelineEntry[]): string {
  return stringify(
    entries.map((e) => [
      isoUtc(e.at),
      e.recordedAt ? isoUtc(e.recordedAt) : "",
      e.category,
      e.kind,
      e.source,
      e.sourceDetail ?? "",
      e.actor ?? "",
      e.message,
      e.starred ? "yes" : "",
      e.step?.result ?? "",
      e.step?.durationMs != null ? String(Math.round(e.step.durationMs / 1000)) : "",
    ]),
    { header: true, columns: [...CSV_COLUMNS], escape_formulas: true, record_delimiter: "windows" },
  );
}

export function timelineMarkdown(
  incident: { ref: string; title: string },
  entries: readonly TimelineEntry[],
  milestones: Milestones,
  generatedAt: Date,
): string {
  return renderMarkdown(
    markdownDocument([
      heading(1, `${incident.ref} timeline: ${incident.title}`),
      paragraph(`All times are UTC, ISO 8601. Exported ${isoUtc(generatedAt)}; ${entries.length} entries; ★ marks a key moment.`),
      heading(2, "Milestones"),
      table(
        ["Milestone", "Time (UTC)"],
        milestones.milestones.map((m) => [m.label, m.at ? isoUtc(m.at) : absentText(milestones)]),
      ),
      table(
        ["Duration", ""],
        milestones.durations.map((d) => [
          d.key === "total" ? "Total (deploy → resolved)" : d.label,
          d.ms === null ? absentText(milestones) : formatDuration(d.ms),
        ]),
      ),
      heading(2, "Entries"),
      entries.length === 0
        ? paragraph("Nothing recorded.")
        : table(
            ["Time (UTC)", "", "Kind", "Who", "Source", "What"],
            entries.map((e) => [
              [isoUtc(e.at), ...(e.recordedAt ? [` (noted ${isoUtc(e.recordedAt)})`] : [])],
              e.starred ? strong("★") : "",
              CATEGORY_LABELS[e.category],
              e.actor ?? "",
              e.sourceDetail ? `${e.source} (${e.sourceDetail})` : e.source,
              [
                e.message,
                ...(e.step
                  ? [` — ${e.step.result}${e.step.durationMs !== null ? ` after ${formatDuration(e.step.durationMs)}` : ""}`]
                  : []),
              ],
            ]),
          ),
    ]),
  );
}
