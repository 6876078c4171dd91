import { describe, expect, it } from "vitest";
import {
  formatInstant,
  formatUtc,
  formatUtcOrDash,
  instantToWallTime,
  isoUtc,
  isTimeZone,
  wallTimeToInstant,
  zoneAbbreviation,
} from "./format";

const AT = "2026-12-05T22:02:41.123Z";

describe("formatInstant", () => {
  it("shows seconds and names the zone", () => {
    expect(formatInstant(AT, "America/New_York", "time")).toBe("17:02:41 EST");
    expect(formatInstant(AT, "America/New_York")).toBe("5 Dec 2026, 17:02:41 EST");
    expect(formatInstant(AT, "UTC")).toBe("5 Dec 2026, 22:02:41 UTC");
    expect(formatInstant(AT, "UTC", "date")).toBe("5 Dec 2026");
    expect(formatInstant(AT, "UTC", "clock")).toBe("22:02");
  });

  it("follows daylight saving time and writes midnight as 00", () => {
    expect(formatInstant("2026-07-01T04:00:00Z", "America/New_York", "time")).toBe("00:00:00 EDT");
    expect(zoneAbbreviation("America/New_York", "2026-07-01T04:00:00Z")).toBe("EDT");
  });

  it("keeps events a second apart in order", () => {
    const a = formatInstant("2026-12-05T22:02:41Z", "Europe/Berlin", "time");
    const b = formatInstant("2026-12-05T22:02:42Z", "Europe/Berlin", "time");
    expect(a).not.toBe(b);
    expect(a < b).toBe(true);
  });
});

describe("isTimeZone", () => {
  it("accepts IANA names and refuses anything else", () => {
    expect(isTimeZone("America/New_York")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(isTimeZone("<script>")).toBe(false);
    expect(isTimeZone("")).toBe(false);
    expect(isTimeZone(undefined)).toBe(false);
  });
});

describe("documents and exports", () => {
  it("are UTC and say so", () => {
    expect(formatUtc(AT)).toBe("2026-12-05 22:02:41 UTC");
    expect(formatUtc(AT, "minute")).toBe("2026-12-05 22:02 UTC");
    expect(formatUtc(AT, "clock")).toBe("22:02 UTC");
    // An ISO string and epoch milliseconds name the same instant.
    expect(formatUtc(new Date(AT).toISOString(), "minute")).toBe("2026-12-05 22:02 UTC");
    expect(formatUtc(new Date(AT).getTime())).toBe("2026-12-05 22:02:41 UTC");
    expect(isoUtc(AT)).toBe("2026-12-05T22:02:41Z");
  });

  it("show a dash where there is no instant", () => {
    expect(formatUtcOrDash(null)).toBe("—");
    expect(formatUtcOrDash(undefined, "minute")).toBe("—");
    expect(formatUtcOrDash(AT, "minute")).toBe("2026-12-05 22:02 UTC");
  });
});

describe("wall time typed in a zone", () => {
  it("names the instant in that zone", () => {
    expect(wallTimeToInstant("2026-12-05T07:58", "America/New_York")?.toISOString()).toBe("2026-12-05T12:58:00.000Z");
    expect(wallTimeToInstant("2026-07-05T07:58:30", "America/New_York")?.toISOString()).toBe("2026-07-05T11:58:30.000Z");
    expect(wallTimeToInstant("2026-12-05T07:58", "UTC")?.toISOString()).toBe("2026-12-05T07:58:00.000Z");
  });

  it("takes the earlier instant in the hour the clock goes back", () => {
    expect(wallTimeToInstant("2026-11-01T01:30", "America/New_York")?.toISOString()).toBe("2026-11-01T05:30:00.000Z");
  });

  it("refuses what is not a wall time", () => {
    expect(wallTimeToInstant("yesterday", "UTC")).toBeNull();
    expect(wallTimeToInstant("2026-02-30T10:00", "UTC")).toBeNull();
  });

  it("round-trips with the input's value", () => {
    expect(instantToWallTime(AT, "America/New_York")).toBe("2026-12-05T17:02:41");
    expect(wallTimeToInstant(instantToWallTime(AT, "Asia/Kolkata"), "Asia/Kolkata")?.toISOString()).toBe("2026-12-05T22:02:41.000Z");
  });
});
