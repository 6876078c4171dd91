// Which timeline entries notify: every event a destination can choose is written by some kind, and
// the entries that are not events (notes, checklist ticks) notify nobody.
import { describe, expect, it } from "vitest";
import { NotificationEvent, TimelineKind } from "@/generated/prisma/enums";
import { NOTIFICATION_EVENTS, notificationEventOf } from "./events";

describe("notificationEventOf", () => {
  it("gives every event a destination can choose at least one timeline kind", () => {
    const reached = new Set(Object.values(TimelineKind).map(notificationEventOf));
    expect(NOTIFICATION_EVENTS.filter((e) => !reached.has(e))).toEqual([]);
    expect([...NOTIFICATION_EVENTS].sort()).toEqual(Object.values(NotificationEvent).sort());
  });

  it("maps failed and interrupted steps to one event, ended and aborted runs to another, and notes to none", () => {
    expect(notificationEventOf("STEP_FAILED")).toBe("STEP_NEEDS_OPERATOR");
    expect(notificationEventOf("STEP_INTERRUPTED")).toBe("STEP_NEEDS_OPERATOR");
    expect(notificationEventOf("RUN_ENDED")).toBe("ROLLBACK_FINISHED");
    expect(notificationEventOf("RUN_ABORTED")).toBe("ROLLBACK_FINISHED");
    expect(notificationEventOf("NOTE")).toBeNull();
    expect(notificationEventOf("CHECKLIST_ITEM_UPDATED")).toBeNull();
    expect(notificationEventOf("STEP_SUCCEEDED")).toBeNull();
  });
});
