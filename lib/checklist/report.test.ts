import { describe, expect, it } from "vitest";
import { type ReportContent, renderReportMarkdown } from "./report";

const HOSTILE = "a | b <script>alert(1)</script> [x](javascript:alert(1)) *em* `code`\nsecond line";

function report(over: Partial<ReportContent> = {}): ReportContent {
  return {
    incident: {
      number: 9,
      title: "Pay | fails",
      serviceName: "pay",
      badVersion: "v2",
      previousVersion: "v1",
      status: "VERIFYING",
      resolvedAt: null,
    },
    generatedAt: "2026-12-04T10:30:00.000Z",
    rollbackEndedAt: "2026-12-04T10:00:00.000Z",
    startedAt: "2026-12-04T10:05:00.000Z",
    startedBy: "Remy",
    lockedAt: null,
    totals: { all: 2, automatic: 0, overrides: 0, PENDING: 1, PASSED: 1, FAILED: 0, NOT_APPLICABLE: 0 },
    sections: [
      {
        section: "SYSTEM_HEALTH",
        title: "System health",
        items: [
          { key: "cpu", label: "CPU usage within normal range", status: "PENDING", detail: "", note: null, by: null, at: null },
          {
            key: "pool",
            label: "Connection pool healthy",
            status: "PASSED",
            detail: "",
            note: HOSTILE,
            by: "Remy",
            at: "2026-12-04T10:10:00.000Z",
          },
        ],
      },
    ],
    signOffs: [
      {
        role: "DEVOPS",
        label: "DevOps engineer",
        by: "Dana",
        at: "2026-12-04T10:20:00.000Z",
        rollbackSuccessful: true,
        systemStable: "PARTIAL",
        outstandingIssues: "",
        comments: HOSTILE,
      },
      {
        role: "TECH_LEAD",
        label: "Technical lead",
        by: null,
        at: null,
        rollbackSuccessful: null,
        systemStable: null,
        outstandingIssues: "",
        comments: "",
      },
    ],
    waiver: null,
    ...over,
  };
}

const ESCAPED = "a \\| b \\<script>alert(1)\\</script> \\[x]\\(javascript:alert(1)) \\*em\\* \\`code\\` second line";

describe("renderReportMarkdown", () => {
  it("has the facts, a table per section and the sign-offs", () => {
    const md = renderReportMarkdown(report());
    expect(md).toContain("# Verification report — INC-9: Pay | fails");
    expect(md).toContain("- Service: pay, rolled back from v2 to v1");
    expect(md).toContain("- Items: 2 — 1 done (0 by the metrics, 0 overridden), 0 failed, 0 not applicable, 1 open");
    expect(md).toContain("## System health");
    expect(md).toContain("| CPU usage within normal range | Open | | | — |");
    expect(md).toContain("| Technical lead | not signed | | | | |");
  });

  it("keeps notes, comments and a waiver reason as text, each in its own table cell", () => {
    const md = renderReportMarkdown(report({ waiver: { reason: "<b>on holiday</b>", by: "Rita", at: "2026-12-04T11:00:00.000Z" } }));
    expect(md).toContain(`| Connection pool healthy | Done | | ${ESCAPED} | Remy, 2026-12-04 10:10:00 UTC |`);
    expect(md).toContain(`| DevOps engineer | Dana, 2026-12-04 10:20:00 UTC | Yes | Partially | | ${ESCAPED} |`);
    expect(md).toContain("**Sign-off waived** by Rita at 2026-12-04 11:00:00 UTC: \\<b>on holiday\\</b>");
    // Nothing unescaped: no tag a browser would parse, no link syntax.
    expect(md).not.toMatch(/(?<!\\)<script>|\]\(javascript:/);
  });
});
