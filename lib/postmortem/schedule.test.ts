import { describe, expect, it } from "vitest";
import { MEETING_MINUTES, proposeMeeting, windowEnd } from "./schedule";

const at = (s: string) => new Date(s);
const HOUR = 3_600_000;

describe("proposeMeeting", () => {
  it("proposes the next day at 10:00 UTC, within 48 h of the sign-off", () => {
    const anchor = at("2026-12-02T15:20:00Z"); // a Wednesday
    const m = proposeMeeting(anchor, { withinHours: 48, skipWeekends: false })!;
    expect(m.start.toISOString()).toBe("2026-12-03T10:00:00.000Z");
    expect(m.end.getTime() - m.start.getTime()).toBe(MEETING_MINUTES * 60_000);
    expect(m.end.getTime() - anchor.getTime()).toBeLessThanOrEqual(48 * HOUR);
  });

  it("gives at least two hours' notice: a sign-off at 09:00 is not met at 10:00 the same day", () => {
    const m = proposeMeeting(at("2026-12-02T09:00:00Z"), { withinHours: 48, skipWeekends: false })!;
    expect(m.start.toISOString()).toBe("2026-12-03T10:00:00.000Z");
    const early = proposeMeeting(at("2026-12-02T07:30:00Z"), { withinHours: 48, skipWeekends: false })!;
    expect(early.start.toISOString()).toBe("2026-12-02T10:00:00.000Z");
  });

  it("lands on Saturday when weekends count, on Monday when they are skipped (and the window stretches over them)", () => {
    const friday = at("2026-12-04T16:00:00Z");
    expect(proposeMeeting(friday, { withinHours: 48, skipWeekends: false })!.start.toISOString()).toBe("2026-12-05T10:00:00.000Z");
    const skipped = proposeMeeting(friday, { withinHours: 48, skipWeekends: true })!;
    expect(skipped.start.toISOString()).toBe("2026-12-07T10:00:00.000Z");
    expect(skipped.deadline.toISOString()).toBe("2026-12-08T16:00:00.000Z");
  });

  it("a short window takes the first hour that fits, outside the working day if it must", () => {
    const m = proposeMeeting(at("2026-12-02T18:00:00Z"), { withinHours: 6, skipWeekends: false })!;
    expect(m.start.toISOString()).toBe("2026-12-02T20:00:00.000Z");
    expect(m.end.getTime()).toBeLessThanOrEqual(m.deadline.getTime());
    expect(proposeMeeting(at("2026-12-02T18:00:00Z"), { withinHours: 3, skipWeekends: false })).toBeNull();
  });

  it("always starts after the anchor and ends by the deadline", () => {
    for (let h = 0; h < 24 * 7; h += 5) {
      const anchor = new Date(Date.UTC(2026, 11, 1) + h * HOUR + 17 * 60_000);
      for (const skipWeekends of [false, true]) {
        const m = proposeMeeting(anchor, { withinHours: 48, skipWeekends })!;
        expect(m.start.getTime()).toBeGreaterThan(anchor.getTime());
        expect(m.end.getTime()).toBeLessThanOrEqual(m.deadline.getTime());
        if (skipWeekends) expect([0, 6]).not.toContain(m.start.getUTCDay());
      }
    }
  });
});

describe("windowEnd", () => {
  it("counts weekday hours only when skipping weekends", () => {
    expect(windowEnd(at("2026-12-05T12:00:00Z"), 10, true).toISOString()).toBe("2026-12-07T10:00:00.000Z");
    expect(windowEnd(at("2026-12-05T12:00:00Z"), 10, false).toISOString()).toBe("2026-12-05T22:00:00.000Z");
  });
});
