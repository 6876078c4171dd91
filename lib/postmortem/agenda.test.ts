import { describe, expect, it } from "vitest";
import { type AgendaFacts, attendeesOf, buildAgenda, renderAgendaMarkdown } from "./agenda";

const facts = (over: Partial<AgendaFacts> = {}): AgendaFacts => ({
  incident: {
    number: 7,
    title: "Checkout <script>alert(1)</script> fails",
    service: "checkout",
    severity: "SEV2",
    status: "VERIFYING",
    badVersion: "v2",
    previousVersion: "v1",
    deployedAt: "2026-12-02T12:00:00.000Z",
    detectedAt: "2026-12-02T12:05:00.000Z",
    declaredAt: "2026-12-02T12:06:00.000Z",
    resolvedAt: null,
    summary: "",
  },
  impact: { usersAffected: 1200, supportTickets: null, complaints: null, failedTransactions: 40 },
  signedOffAt: "2026-12-02T15:20:00.000Z",
  decision: { tier: "FAST", strategy: "BLUE_GREEN", reason: "errors [x](javascript:alert(1))", decidedAt: "2026-12-02T12:15:00.000Z" },
  run: { status: "SUCCEEDED", startedAt: "2026-12-02T12:20:00.000Z", endedAt: "2026-12-02T12:26:00.000Z", failedSteps: [] },
  people: [
    { id: "a", name: "Ann", email: "ann@x", did: ["proposed the rollback"], releaseManager: false, technicalLead: false },
    { id: "r", name: "Rita", email: "rita@x", did: ["approved the rollback"], releaseManager: true, technicalLead: false },
    { id: "t", name: "Tom", email: "tom@x", did: ["signed off as technical lead"], releaseManager: false, technicalLead: true },
  ],
  timeline: [{ at: "2026-12-02T12:06:00.000Z", kind: "NOTE", message: "*pool* exhausted | <b>", actor: "Ann" }],
  actionItems: [{ title: "Set the pool size", owner: "Ann", dueDate: "2026-12-09T00:00:00.000Z", priority: "HIGH", status: "NOT_STARTED" }],
  rca: {
    rootCause: "DATABASE_POOL_SIZE missing",
    wentWell: "The alert fired in 4 minutes",
    wentWrong: "",
    lessons: ["Check config at start-up"],
  },
  ...over,
});

describe("agenda", () => {
  it("orders attendees facilitator, release manager, technical lead, then the rest; a facilitator who took part keeps their roles", () => {
    expect(attendeesOf(facts().people, { name: "Fay", email: "fay@x" }).map((a) => [a.name, a.roles[0]])).toEqual([
      ["Fay", "Facilitator"],
      ["Rita", "Release manager"],
      ["Tom", "Technical lead"],
      ["Ann", "proposed the rollback"],
    ]);
    const self = attendeesOf(facts().people, { name: "Ann", email: "ann@x" });
    expect(self[0]).toEqual({ name: "Ann", email: "ann@x", roles: ["Facilitator", "proposed the rollback"] });
    expect(self).toHaveLength(3);
  });

  it("has no date without a sign-off", () => {
    expect(
      buildAgenda(
        facts({ signedOffAt: null }),
        { withinHours: 48, skipWeekends: false, facilitator: { name: "F", email: "f@x" } },
        new Date(),
      ),
    ).toBeNull();
  });

  it("fills the sections from the facts and keeps what people typed as text in the Markdown", () => {
    const agenda = buildAgenda(
      facts(),
      { withinHours: 48, skipWeekends: false, facilitator: { name: "F", email: "f@x" } },
      new Date("2026-12-02T16:00:00Z"),
    )!;
    expect(agenda.sections[2]!.points.join("\n")).toContain("1,200 users affected, 40 failed transactions");
    expect(agenda.sections[3]!.points.join("\n")).toContain("From detection to decision: 10 min");
    expect(agenda.sections[2]!.points).toContain("Root cause (RCA): DATABASE_POOL_SIZE missing");
    expect(agenda.sections[3]!.points).toContain("From the RCA: The alert fired in 4 minutes");
    expect(agenda.sections[4]!.points).toContain("Lesson (RCA): Check config at start-up");
    // An RCA part nobody wrote yet adds nothing.
    expect(agenda.sections[4]!.points.filter((p) => p.startsWith("From the RCA"))).toEqual([]);
    expect(agenda.sections[5]!.points[0]).toBe("Draft: Set the pool size — HIGH, not started, owner Ann, due 2026-12-09.");
    const md = renderAgendaMarkdown(agenda);
    expect(md).toContain("\\*pool\\* exhausted | \\<b>");
    expect(md).not.toMatch(/(^|[^\\])<script/);
    expect(md).not.toContain("](javascript:");
  });
});
