import { describe, expect, it } from "vitest";
import { dueDayToDate, isOverdue, linkUrlProblem, proposeDueDay, readinessOf } from "./rules";

describe("horizon", () => {
  it("proposes the end of its range as the due day", () => {
    const now = new Date("2026-12-05T22:00:00Z");
    expect(proposeDueDay("IMMEDIATE", now)).toBe("2026-12-12");
    expect(proposeDueDay("SHORT_TERM", now)).toBe("2027-01-02");
    expect(proposeDueDay("LONG_TERM", now)).toBe("2027-03-05");
  });
});

describe("due days", () => {
  it("reads a calendar day as its 00:00 UTC and refuses days that do not exist", () => {
    expect(dueDayToDate("2026-12-12")?.toISOString()).toBe("2026-12-12T00:00:00.000Z");
    expect(dueDayToDate("2026-02-30")).toBeNull();
    expect(dueDayToDate("12/12/2026")).toBeNull();
  });

  it("is overdue only once the due day has ended, and never when done", () => {
    const dueDate = new Date("2026-12-12T00:00:00Z");
    expect(isOverdue({ status: "NOT_STARTED", dueDate }, new Date("2026-12-12T23:59:59Z"))).toBe(false);
    expect(isOverdue({ status: "IN_PROGRESS", dueDate }, new Date("2026-12-13T00:00:00Z"))).toBe(true);
    expect(isOverdue({ status: "DONE", dueDate }, new Date("2027-01-01T00:00:00Z"))).toBe(false);
    expect(isOverdue({ status: "NOT_STARTED", dueDate: null }, new Date("2027-01-01T00:00:00Z"))).toBe(false);
  });
});

describe("readinessOf", () => {
  it("is ready only when every HIGH item is DONE; other priorities do not block", () => {
    const open = { priority: "HIGH", status: "IN_PROGRESS" } as const;
    const done = { priority: "HIGH", status: "DONE" } as const;
    const low = { priority: "LOW", status: "NOT_STARTED" } as const;
    expect(readinessOf([open, done, low])).toEqual({ ready: false, highTotal: 2, highDone: 1, blocking: [open] });
    expect(readinessOf([done, low])).toEqual({ ready: true, highTotal: 1, highDone: 1, blocking: [] });
    expect(readinessOf([])).toMatchObject({ ready: true, highTotal: 0 });
  });
});

describe("linkUrlProblem", () => {
  it("accepts http(s) links and refuses other schemes, relative links and credentials", () => {
    expect(linkUrlProblem("https://wiki.example.com/a?b=c")).toBeNull();
    expect(linkUrlProblem("http://grafana.internal:3000/d/x")).toBeNull();
    expect(linkUrlProblem("javascript:alert(1)")).toMatch(/http/);
    expect(linkUrlProblem("data:text/html,hi")).toMatch(/http/);
    expect(linkUrlProblem("/runbooks/1")).toMatch(/full address/);
    expect(linkUrlProblem("https:example.com")).toMatch(/full address/);
    expect(linkUrlProblem("https://me:token@example.com")).toMatch(/password/);
  });
});
