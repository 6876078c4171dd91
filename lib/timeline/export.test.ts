import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import type { TimelineEntry } from "./entries";
import { CSV_COLUMNS, timelineCsv, timelineMarkdown } from "./export";
import { computeMilestones } from "./milestones";

const entry = (over: Partial<TimelineEntry>): TimelineEntry => ({
  id: "e1",
  at: "2026-12-05T12:58:00.000Z",
  recordedAt: null,
  kind: "NOTE",
  category: "notes",
  source: "web",
  sourceDetail: null,
  actor: "Remy Responder",
  message: "First customer report",
  starred: false,
  starredBy: null,
  step: null,
  link: null,
  ...over,
});

const HOSTILE = ['=HYPERLINK("http://evil.example","click")', "+1+2", "-2+3", "@SUM(A1:A2)", "\tTAB", 'quote " and, comma\nnew line'];

describe("timeline CSV", () => {
  it("is UTC ISO 8601 with a header, and turns every formula-looking cell into text", () => {
    const csv = timelineCsv([
      entry({ recordedAt: "2026-12-05T13:30:05.000Z", starred: true }),
      ...HOSTILE.map((message, i) => entry({ id: `h${i}`, message, actor: i === 0 ? "=cmd|' /C calc'!A0" : "Remy" })),
      entry({
        id: "s",
        kind: "STEP_FAILED",
        category: "rollback",
        source: "system",
        sourceDetail: "step executor",
        actor: null,
        step: { result: "failed", durationMs: 72_400 },
      }),
    ]);
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0] ?? {})).toEqual([...CSV_COLUMNS]);
    expect(rows[0]).toMatchObject({
      time_utc: "2026-12-05T12:58:00Z",
      recorded_at_utc: "2026-12-05T13:30:05Z",
      key_moment: "yes",
      source: "web",
    });
    for (const [i, message] of HOSTILE.entries()) {
      const cell = rows[i + 1]?.message ?? "";
      // Still the whole text, but never a cell a spreadsheet would evaluate.
      expect(cell.endsWith(message.slice(1))).toBe(true);
      if (/^[=+\-@\t]/.test(message)) expect(cell.startsWith("'")).toBe(true);
    }
    expect(rows[1]?.actor.startsWith("'=")).toBe(true);
    expect(rows.at(-1)).toMatchObject({ step_result: "failed", step_duration_seconds: "72", source_detail: "step executor", actor: "" });
  });
});

describe("timeline Markdown", () => {
  it('says UTC, lists milestones (absent ones "not yet" while open) and escapes entry text', () => {
    const entries = [entry({ message: "<script>alert(1)</script> | [x](javascript:alert(1)) *bold*", starred: true })];
    const md = timelineMarkdown(
      { ref: "INC-7", title: "Checkout | failing" },
      entries,
      computeMilestones({ deployedAt: "2026-12-05T12:00:00Z", detectedAt: "2026-12-05T12:10:00Z" }, []),
      new Date("2026-12-05T14:00:00Z"),
    );
    expect(md).toContain("# INC-7 timeline: Checkout | failing");
    expect(md).toContain("All times are UTC, ISO 8601.");
    expect(md).toContain("| Deployed | 2026-12-05T12:00:00Z |");
    expect(md).toContain("| Approved | not yet |");
    expect(md).toContain("| Time to roll back | not yet |");
    expect(md).not.toContain("missing");
    expect(md).toContain("| Time to detect | 10 min |");
    // Escaped: read as Markdown, it is text, not HTML and not a link.
    expect(md).toContain("\\<script>alert(1)\\</script> \\| \\[x]\\(javascript:alert(1)) \\*bold\\*");
    expect(md).toContain("2026-12-05T12:58:00Z");
  });

  it('says "missing" for what a resolved incident never had', () => {
    const md = timelineMarkdown(
      { ref: "INC-8", title: "Resolved without a rollback" },
      [],
      computeMilestones({ deployedAt: "2026-12-05T12:00:00Z", detectedAt: "2026-12-05T12:10:00Z", resolved: true }, [
        { kind: "INCIDENT_RESOLVED", at: "2026-12-05T13:00:00Z" },
      ]),
      new Date("2026-12-05T14:00:00Z"),
    );
    expect(md).toContain("| Approved | missing |");
    expect(md).toContain("| Time to roll back | missing |");
    expect(md).toContain("| Resolved | 2026-12-05T13:00:00Z |");
    expect(md).not.toContain("not yet");
  });
});
