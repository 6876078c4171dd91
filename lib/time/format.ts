// The one place instants become text. Pure (no I/O, no "current zone"): the zone is always given,
// so the server and the browser, given the same zone, write the same characters — the page never
// changes its times after it loads. Pages show the viewer's zone, named ("17:02:41 EST"); documents
// and exports are UTC and say so.

export const UTC = "UTC";

/**
 * - "datetime": 5 Dec 2026, 17:02:41 EST — the default; seconds, because order matters
 * - "time": 17:02:41 EST — within one incident's day
 * - "date": 5 Dec 2026
 * - "clock": 17:02 — chart axes only, where the zone is named once beside the chart
 */
export type TimeStyle = "datetime" | "time" | "date" | "clock";

type Instant = Date | string | number;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    // en-US for the parts: it is the locale whose short zone names are abbreviations people know
    // (EST, PDT); the text is assembled below in a fixed 24-hour, day-month-year order.
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** An IANA zone name this runtime knows ("America/New_York", "UTC"). */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== "string" || zone.length === 0 || zone.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(zone)) return false;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

type Parts = { year: string; month: string; day: string; hour: string; minute: string; second: string; zoneName: string };

function partsOf(at: Instant, zone: string): Parts {
  const date = at instanceof Date ? at : new Date(at);
  const out: Record<string, string> = {};
  for (const p of formatterFor(zone).formatToParts(date)) out[p.type] = p.value;
  return {
    year: out.year ?? "",
    month: out.month ?? "",
    day: out.day ?? "",
    hour: out.hour === "24" ? "00" : (out.hour ?? ""),
    minute: out.minute ?? "",
    second: out.second ?? "",
    zoneName: out.timeZoneName ?? zone,
  };
}

/** An instant as a page shows it, in `zone`. */
export function formatInstant(at: Instant, zone: string, style: TimeStyle = "datetime"): string {
  const p = partsOf(at, zone);
  const date = `${p.day} ${p.month} ${p.year}`;
  const clock = `${p.hour}:${p.minute}`;
  const time = `${clock}:${p.second} ${p.zoneName}`;
  switch (style) {
    case "date":
      return date;
    case "time":
      return time;
    case "clock":
      return clock;
    default:
      return `${date}, ${time}`;
  }
}

/** The zone's short name at an instant ("EST" in winter, "EDT" in summer). */
export function zoneAbbreviation(zone: string, at: Instant = Date.now()): string {
  return partsOf(at, zone).zoneName;
}

/**
 * Documents and exports are in UTC and say so (a document is read later, elsewhere, by anyone):
 * - "datetime": 2026-12-05 22:02:41 UTC — the default
 * - "minute": 2026-12-05 22:02 UTC — meeting times, an agenda's timeline, a PDF's header
 * - "clock": 22:02 UTC — the end of a span whose start names the day
 */
export type UtcStyle = "datetime" | "minute" | "clock";

/** An instant in documents and exports, in UTC and saying so. */
export function formatUtc(at: Instant, style: UtcStyle = "datetime"): string {
  const date = at instanceof Date ? at : new Date(at);
  const iso = date.toISOString();
  if (style === "clock") return `${iso.slice(11, 16)} UTC`;
  return `${iso.slice(0, style === "minute" ? 16 : 19).replace("T", " ")} UTC`;
}

/** As formatUtc, or "—" where a document has no instant to show (not yet, never). */
export function formatUtcOrDash(at: Instant | null | undefined, style: UtcStyle = "datetime"): string {
  return at === null || at === undefined ? "—" : formatUtc(at, style);
}

/** ISO 8601 in UTC with seconds, no milliseconds: "2026-12-05T22:02:41Z" (CSV exports). */
export function isoUtc(at: Instant): string {
  const date = at instanceof Date ? at : new Date(at);
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** Milliseconds `zone`'s wall clock is ahead of UTC at `utcMs`. */
function offsetMs(utcMs: number, zone: string): number {
  const p = partsOf(utcMs, zone);
  const wall = Date.UTC(Number(p.year), MONTHS.indexOf(p.month), Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return wall - Math.floor(utcMs / 1000) * 1000;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * A wall-clock time typed in `zone` (an `<input type="datetime-local">` value, "2026-12-05T07:58"
 * or with seconds) as the instant it names; null when it is not such a value. In the hour a clock
 * goes back, the earlier of the two instants.
 */
export function wallTimeToInstant(local: string, zone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, Number.isNaN(s) ? 0 : s);
  const check = new Date(asUtc);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) return null;
  const first = asUtc - offsetMs(asUtc, zone);
  const second = asUtc - offsetMs(first, zone);
  return new Date(Math.min(first, second));
}

/** The `<input type="datetime-local">` value for an instant in `zone` ("2026-12-05T07:58:00"). */
export function instantToWallTime(at: Instant, zone: string): string {
  const p = partsOf(at, zone);
  const month = String(MONTHS.indexOf(p.month) + 1).padStart(2, "0");
  return `${p.year}-${month}-${p.day.padStart(2, "0")}T${p.hour}:${p.minute}:${p.second}`;
}

/** How far `zone`'s wall clock is ahead of UTC at an instant, in ms (−5 h in New York in winter). */
export function zoneOffsetMs(at: Instant, zone: string): number {
  const date = at instanceof Date ? at : new Date(at);
  const p = partsOf(date, zone);
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const wall = Date.UTC(Number(p.year), months.indexOf(p.month), Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return wall - Math.floor(date.getTime() / 1000) * 1000;
}
