// Turns measured requests into Backout's metric samples (units as in lib/metrics/types.ts).

/** A measured request: when it completed (epoch ms), how long it took, its HTTP status (0 = no response). */
/** @typedef {{ endMs: number, latencyMs: number, status: number }} RequestRecord */
/** @typedef {{ metric: string, ts: string, value: number }} Sample */
/**
 * @typedef {{
 *   count: number,
 *   errors: number,
 *   error_rate: number | null,
 *   latency_p50: number | null,
 *   latency_p95: number | null,
 *   latency_p99: number | null,
 *   throughput: number,
 *   availability: number | null,
 * }} WindowSummary
 */

export const METRICS = /** @type {const} */ (["error_rate", "latency_p50", "latency_p95", "latency_p99", "throughput", "availability"]);

/** Failed = a server error (status >= 500) or no response at all. @param {number} status */
export function isFailure(status) {
  return !(status > 0 && status < 500);
}

/** Index (0-based) of the nearest-rank p-th percentile among n ascending values. @param {number} n @param {number} p */
function rankIndex(n, p) {
  return Math.min(n, Math.max(1, Math.ceil(p * n))) - 1;
}

/**
 * Nearest-rank percentile of ascending values: the smallest value with at least p of them at or below it.
 * @param {ArrayLike<number>} sorted ascending @param {number} p in (0, 1]
 */
export function percentile(sorted, p) {
  return sorted.length === 0 ? Number.NaN : sorted[rankIndex(sorted.length, p)];
}

/**
 * Moves the k-th smallest of a[lo..hi] to a[k], smaller-or-equal ones before it and
 * greater-or-equal ones after it (quickselect: much cheaper than sorting for a few percentiles).
 * @param {Float64Array} a @param {number} k @param {number} lo @param {number} hi
 */
function select(a, k, lo, hi) {
  while (hi > lo) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

const round = (/** @type {number} */ v, /** @type {number} */ digits) => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * Summarises the requests of one window of `windowSeconds`. Latency percentiles cover every
 * request, failed ones included (a timeout is slow for the user too). Without requests only
 * throughput (0) is known; the other values are null.
 * @param {readonly RequestRecord[]} records @param {number} windowSeconds
 * @returns {WindowSummary}
 */
export function aggregate(records, windowSeconds) {
  const errors = records.reduce((n, r) => n + (isFailure(r.status) ? 1 : 0), 0);
  return summarise(
    Float64Array.from(records, (r) => r.latencyMs),
    errors,
    windowSeconds,
  );
}

/**
 * The same from the latencies of the window's requests (in any order; reordered in place) and
 * how many of them failed.
 * @param {Float64Array} latencies @param {number} errors @param {number} windowSeconds @returns {WindowSummary}
 */
export function summarise(latencies, errors, windowSeconds) {
  const count = latencies.length;
  const throughput = round(count / windowSeconds, 3);
  if (count === 0) {
    return { count, errors, error_rate: null, latency_p50: null, latency_p95: null, latency_p99: null, throughput, availability: null };
  }
  // Largest percentile first, each selection narrowing the range for the next.
  const i99 = rankIndex(count, 0.99);
  const i95 = rankIndex(count, 0.95);
  const i50 = rankIndex(count, 0.5);
  const p99 = select(latencies, i99, 0, count - 1);
  const p95 = select(latencies, i95, 0, i99);
  const p50 = select(latencies, i50, 0, i95);
  return {
    count,
    errors,
    error_rate: round(errors / count, 5),
    latency_p50: round(p50, 1),
    latency_p95: round(p95, 1),
    latency_p99: round(p99, 1),
    throughput,
    availability: round((100 * (count - errors)) / count, 3),
  };
}

/**
 * The samples of a summary at timestamp `ts` (values that are null are left out).
 * @param {Date | number} ts @param {Omit<WindowSummary, "count" | "errors">} summary @returns {Sample[]}
 */
export function toSamples(ts, summary) {
  const iso = new Date(ts).toISOString();
  /** @type {Sample[]} */
  const out = [];
  for (const metric of METRICS) {
    const value = summary[metric];
    if (value !== null && Number.isFinite(value)) out.push({ metric, ts: iso, value });
  }
  return out;
}

/** Start of the window of `windowMs` that contains `ms` (windows are aligned to the epoch). @param {number} ms @param {number} windowMs */
export function alignDown(ms, windowMs) {
  return Math.floor(ms / windowMs) * windowMs;
}
