// The metric vocabulary as people read it: values in their unit, thresholds, multipliers, minutes.
import type { MetricKind } from "./types";

// A fixed locale so the server-rendered text and the browser agree.
const LOCALE = "en-US";

export function formatNumber(value: number, maxDecimals: number, minDecimals = 0): string {
  return value.toLocaleString(LOCALE, { minimumFractionDigits: minDecimals, maximumFractionDigits: maxDecimals });
}

/** A value in its metric's unit as people read it: "14.8%", "1,840 ms", "1,234.5 req/s", "99.95%". */
export function formatMetricValue(kind: MetricKind, value: number): string {
  if (!Number.isFinite(value)) return "—";
  switch (kind) {
    case "ERROR_RATE":
      return `${formatNumber(value * 100, 1, 1)}%`;
    case "LATENCY_P50":
    case "LATENCY_P95":
    case "LATENCY_P99":
      return `${formatNumber(Math.round(value), 0)} ms`;
    case "THROUGHPUT":
      return `${formatNumber(value, 1)} req/s`;
    case "AVAILABILITY":
      return `${formatNumber(value, 3, 1)}%`;
  }
}

/** Thresholds are round numbers people typed: "10%", not "10.0%". */
export function formatThresholdPercent(fraction: number): string {
  return `${formatNumber(fraction * 100, 2)}%`;
}

export function formatMultiplier(m: number): string {
  return `${formatNumber(m, 2)}×`;
}

export function formatMinutes(minutes: number): string {
  // Floored: a 4 min 30 s run that falls short of a 5-min rule must not read "5 min".
  return minutes < 1 ? "under 1 min" : `${Math.floor(minutes)} min`;
}
