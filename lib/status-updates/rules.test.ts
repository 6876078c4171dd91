import { describe, expect, it } from "vitest";
import { nextUpdateAt, overdueBy } from "./rules";

const at = (iso: string) => new Date(iso);

describe("overdueBy", () => {
  const latest = { nextUpdateAt: at("2026-12-05T10:30:00Z") };

  it("is null before the promised time and at it", () => {
    expect(overdueBy(latest, at("2026-12-05T10:29:59Z"), false)).toBeNull();
    expect(overdueBy(latest, at("2026-12-05T10:30:00Z"), false)).toBeNull();
  });

  it("says how late once the promised time has passed", () => {
    expect(overdueBy(latest, at("2026-12-05T10:42:00Z"), false)).toBe(12 * 60_000);
  });

  it("is null when no update was posted, none was promised, or the incident is resolved", () => {
    expect(overdueBy(null, at("2026-12-05T12:00:00Z"), false)).toBeNull();
    expect(overdueBy({ nextUpdateAt: null }, at("2026-12-05T12:00:00Z"), false)).toBeNull();
    expect(overdueBy(latest, at("2026-12-05T12:00:00Z"), true)).toBeNull();
  });
});

describe("nextUpdateAt", () => {
  it("is the posting time plus the chosen minutes, or none for 0", () => {
    expect(nextUpdateAt(at("2026-12-05T10:00:00Z"), 30)?.toISOString()).toBe("2026-12-05T10:30:00.000Z");
    expect(nextUpdateAt(at("2026-12-05T10:00:00Z"), 0)).toBeNull();
  });
});
