// The metric vocabulary, in one place: what each metric is called, which way is worse, and how its
// values, changes and durations read. Pages, charts, the decision rules, the checklist and both
// documents (rollback summary, verification report) format through here, so the same incident
// reads the same everywhere. Pure, and safe in the browser.
import type { MetricKind } from "./types";

export type MetricInfo = {
  /** Heading and table label: "Error rate", "Latency p99". */
  label: string;
  /** Inside a sentence: "error rate 14.8%", "p99 1,840 ms". */
  word: string;
  unit: string;
  /** Which way is worse: error rate and latency up, throughput and availability down. */
  higherIsWorse: boolean;
  /** The name in POST /api/v1/metrics. */
  apiName: string;
};

/** Units: ERROR_RATE is a fraction 0..1, latencies are milliseconds, THROUGHPUT is requests/s, AVAILABILITY is percent 0..100. */
export const METRIC_INFO: Record<MetricKind, MetricInfo> = {
  ERROR_RATE: { label: "Error rate", word: "error rate", unit: "%", higherIsWorse: true, apiName: "error_rate" },
  LATENCY_P50: { label: "Latency p50", word: "p50", unit: "ms", higherIsWorse: true, apiName: "latency_p50" },
  LATENCY_P95: { label: "Latency p95", word: "p95", unit: "ms", higherIsWorse: true, apiName: "latency_p95" },
  LATENCY_P99: { label: "Latency p99", word: "p99", unit: "ms", higherIsWorse: true, apiName: "latency_p99" },
  THROUGHPUT: { label: "Throughput", word: "throughput", unit: "req/s", higherIsWorse: false, apiName: "throughput" },
  AVAILABILITY: { label: "Availability", word: "availability", unit: "%", higherIsWorse: false, apiName: "availability" },
};

/** Shown for a value that is missing or not a number. */
export const NO_VALUE = "—";

// A fixed locale so the server-rendered text and the browser agree.
const LOCALE = "en-US";

const isNumber = (value: number | null | undefined): value is number => typeof value === "number" && Number.isFinite(value);

// One formatter per pair of decimals: `toLocaleString` with options builds a new Intl.NumberFormat on
// every call, ~0.1 ms each — some 20 ms of the incident page's render in the browser (its charts'
// readable tables alone format ~150 values).
const formatters = new Map<string, Intl.NumberFormat>();

export function formatNumber(value: number, maxDecimals: number, minDecimals = 0): string {
  const key = `${minDecimals}:${maxDecimals}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: minDecimals, maximumFractionDigits: maxDecimals });
    formatters.set(key, f);
  }
  return f.format(value);
}

/**
 * A fraction as a percentage with at most two decimals and no trailing zeros: "10%", "14.8%", "1.23%".
 * Two decimals because a healthy error rate lives around 1%, where "1.2%" and "1.23%" differ.
 */
export function formatPercent(fraction: number): string {
  return `${formatNumber(fraction * 100, 2)}%`;
}

/** A value in its metric's unit as people read it: "1.23%", "1,840 ms", "4.5 ms", "1,234.5 req/s", "99.95%". */
export function formatMetricValue(kind: MetricKind, value: number | null | undefined): string {
  if (!isNumber(value)) return NO_VALUE;
  switch (kind) {
    case "ERROR_RATE":
      return formatPercent(value);
    case "LATENCY_P50":
    case "LATENCY_P95":
    case "LATENCY_P99":
      // Tenths matter only for very fast services.
      return `${formatNumber(value, Math.abs(value) < 10 ? 1 : 0)} ms`;
    case "THROUGHPUT":
      return `${formatNumber(value, 1)} req/s`;
    case "AVAILABILITY":
      // Three decimals: SLOs like 99.95% and 99.995% must stay apart.
      return `${formatNumber(value, 3)}%`;
  }
}

/**
 * A relative change (0.25 = 25% higher than the baseline), signed: "+25.0%", "-4.2%", "0.0%", and whole
 * percents from 100% on ("+250%"), where a tenth means nothing.
 */
export function formatChange(change: number | null | undefined): string {
  if (!isNumber(change)) return NO_VALUE;
  const pct = change * 100;
  const digits = Math.abs(pct) >= 100 ? 0 : 1;
  const rounded = Math.round(pct * 10 ** digits) / 10 ** digits;
  const sign = rounded > 0 ? "+" : rounded < 0 ? "-" : "";
  return `${sign}${formatNumber(Math.abs(rounded), digits, digits)}%`;
}

/** "3×", "2.5×": how many times the baseline. */
export function formatMultiplier(m: number): string {
  return `${formatNumber(m, 2)}×`;
}

/**
 * A duration in its two largest units, floored so a running clock never shows time not yet passed:
 * "45 s", "4 min 05 s", "12 min", "2 h 05 min", "3 d 4 h". Negative durations get a minus sign.
 */
export function formatDuration(ms: number | null | undefined): string {
  if (!isNumber(ms)) return NO_VALUE;
  if (ms < 0) return `-${formatDuration(-ms)}`;
  const s = Math.floor(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  const two = (big: number, bigUnit: string, small: number, smallUnit: string, padded = true) =>
    small === 0 ? `${big} ${bigUnit}` : `${big} ${bigUnit} ${padded ? pad(small) : small} ${smallUnit}`;
  if (s < 60) return `${s} s`;
  if (s < 3600) return two(Math.floor(s / 60), "min", s % 60, "s");
  if (s < 86_400) return two(Math.floor(s / 3600), "h", Math.floor(s / 60) % 60, "min");
  return two(Math.floor(s / 86_400), "d", Math.floor(s / 3600) % 24, "h", false);
}

/**
 * A number of minutes as formatDuration reads it, floored to whole minutes: a 4 min 30 s run that falls
 * short of a 5-min rule must not read "5 min", and runs are compared with thresholds set in minutes.
 */
export function formatMinutes(minutes: number): string {
  return minutes < 1 ? "under 1 min" : formatDuration(Math.floor(minutes) * 60_000);
}
