// The axes of a metric chart, chosen once and given to both drawings of it: the static SVG the
// server sends with the page (components/charts/static-chart.tsx) and the recharts chart that takes
// over in the browser. Both draw the same ticks on the same domain, so the hand-over moves nothing.
// Neither knows the chart's width on the server, so the tick counts suit the narrowest chart (a
// phone): at most 5 values, and at most 5 times (4 dates).
import { formatInstant, zoneOffsetMs } from "@/lib/time/format";

/** recharts' margins and axis sizes (metric-chart.tsx passes them to recharts; the static chart draws with them). */
export const PLOT = { top: 8, right: 8, bottom: 30, left: 52, tick: 6 } as const;

const NICE = [1, 2, 2.5, 5, 10];

/** A round step near `rough` (1, 2, 2.5 or 5 × a power of ten). */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  return (NICE.find((n) => n * power >= rough - 1e-12 * power) ?? 10) * power;
}

/**
 * The value axis: from 0 (or a round value below a negative minimum) to the first round value at or
 * above the maximum, in 4 equal steps or fewer. `fixed` pins the domain (availability: 0–100 %).
 */
export function valueAxis(values: readonly number[], fixed?: readonly [number, number]): { domain: [number, number]; ticks: number[] } {
  if (fixed) {
    const step = (fixed[1] - fixed[0]) / 4;
    return { domain: [fixed[0], fixed[1]], ticks: [0, 1, 2, 3, 4].map((i) => fixed[0] + i * step) };
  }
  let lo = 0;
  let hi = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi === lo) hi = lo + 1;
  // The smallest round step that spans [lo, hi] in at most 4 steps once both ends are rounded out.
  let step = niceStep((hi - lo) / 4);
  while (Math.ceil(hi / step - 1e-9) - Math.floor(lo / step + 1e-9) > 4) step = niceStep(step * 1.01);
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(round(i * step, step));
  return { domain: [ticks[0], ticks[ticks.length - 1]], ticks };
}

/** Removes float noise (0.30000000000000004 → 0.3) at the step's precision. */
function round(v: number, step: number): number {
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  return Number(v.toFixed(Math.min(digits, 12)));
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TIME_STEPS = [1, 2, 5, 10, 15, 30]
  .map((m) => m * MINUTE)
  .concat(
    [1, 2, 3, 6, 12].map((h) => h * HOUR),
    [1, 2, 7, 14, 28].map((d) => d * DAY),
  );

/**
 * The time axis of [from, to]: ticks on round wall-clock times in `zone` (whole hours, midnights),
 * labelled "14:30", or "5 Dec" when the range is longer than a day and a half.
 */
export function timeAxis(from: number, to: number, zone: string): { ticks: number[]; days: boolean; label: (t: number) => string } {
  const days = (to - from) / DAY > 1.5;
  const most = days ? 4 : 5;
  const span = Math.max(to - from, MINUTE);
  const step = TIME_STEPS.find((s) => Math.floor(span / s) + 1 <= most) ?? TIME_STEPS[TIME_STEPS.length - 1];
  // Round in the zone's wall clock: a tick where the wall clock is a multiple of the step.
  const offset = zoneOffsetMs(from, zone);
  const ticks: number[] = [];
  for (let wall = Math.ceil((from + offset) / step) * step; wall - offset <= to; wall += step) ticks.push(wall - offset);
  const label = (t: number) => (days ? formatInstant(t, zone, "date").replace(/ \d{4}$/, "") : formatInstant(t, zone, "clock"));
  return { ticks, days, label };
}
