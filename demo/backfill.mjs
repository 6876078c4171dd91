// SYNTHETIC history for the demo — NOT measured. On a first start Backout has no past metrics for
// checkout-service; this pushes 7 days of made-up-but-plausible samples so the charts have a
// baseline. They are drawn from the same model the live services run (lib/model.mjs: pool size,
// hold times, acquire timeout, base error rate of blue v2.4.0 and green v2.5.0), evaluated
// analytically instead of by running 12 million requests:
//   - traffic follows a daily curve (peak mid-afternoon UTC, trough at night, quieter weekends)
//     with slow random drift, scaled so that at `now` it matches the live load (~20 req/s);
//   - each step draws its requests from the model at that traffic: windows ending at or before
//     `deployedAt` use blue v2.4.0, later ones green v2.5.0 (whose pool saturates with load);
//   - the samples are aggregated like the live ones (lib/aggregate.mjs).
// Everything after the fleet starts is real: measured by the router from real requests.
import { alignDown, summarise, toSamples } from "./lib/aggregate.mjs";
import { drawRequests, normal, PROFILES, poolLoad, seededRandom, TRAFFIC } from "./lib/model.mjs";
import { MAX_BATCH_SAMPLES, postSamples } from "./lib/push.mjs";

/** @typedef {import("./lib/aggregate.mjs").Sample} Sample */

const DAY_MS = 24 * 3600_000;
export const HISTORY_MS = 7 * DAY_MS;

/** Relative traffic at `ms` (about 0.5-1.4): a daily curve and quieter weekends. @param {number} ms */
export function trafficShape(ms) {
  const d = new Date(ms);
  const hour = d.getUTCHours() + d.getUTCMinutes() / 60;
  const daily = 1 + 0.3 * Math.sin((2 * Math.PI * (hour - 9)) / 24) + 0.07 * Math.sin((4 * Math.PI * (hour - 6)) / 24);
  const weekday = d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 0.8 : 1;
  return daily * weekday;
}

/** @param {Date | number | string} d */
const toMs = (d) => (d instanceof Date ? d.getTime() : typeof d === "number" ? d : Date.parse(d));

/**
 * The synthetic samples, in time order: one per metric every `stepSeconds`, at the aligned
 * timestamps t with now - 7 days < t <= now (and t > after, when given), each summarising (t - step, t].
 * @param {{ deployedAt: Date | number | string, now?: Date | number | string, after?: Date | number | string, stepSeconds?: number, seed?: number, rps?: number }} options
 * @returns {Generator<Sample>}
 */
export function* historySamples({
  deployedAt,
  now = Date.now(),
  after,
  stepSeconds = 15,
  seed = (Math.random() * 2 ** 32) >>> 0,
  rps = TRAFFIC.rps,
}) {
  if (!Number.isInteger(stepSeconds) || stepSeconds < 1) throw new Error("stepSeconds must be a positive integer");
  const nowMs = toMs(now);
  const deployedMs = toMs(deployedAt);
  if (!Number.isFinite(nowMs) || !Number.isFinite(deployedMs)) throw new Error("now and deployedAt must be valid dates");
  const stepMs = stepSeconds * 1000;
  const rand = seededRandom(seed);
  const shapeNow = trafficShape(nowMs);
  const last = alignDown(nowMs, stepMs);
  let drift = 0;
  let buffer = new Float64Array(1024);
  const afterMs = after === undefined ? -Infinity : toMs(after);
  for (let t = alignDown(nowMs - HISTORY_MS, stepMs) + stepMs; t <= last; t += stepMs) {
    drift = 0.995 * drift + 0.004 * normal(rand);
    const relative = Math.min(1.8, Math.max(0.4, trafficShape(t) / shapeNow)) * Math.exp(drift);
    const expected = rps * relative * stepSeconds;
    const count = Math.max(0, Math.round(expected + Math.sqrt(expected) * normal(rand)));
    if (count > buffer.length) buffer = new Float64Array(count * 2);
    const profile = t <= deployedMs ? PROFILES.blue : PROFILES.green;
    const latencies = buffer.subarray(0, count);
    const errors = drawRequests(profile, poolLoad(profile, count / stepSeconds), count, rand, latencies);
    // Drawn all the same before `after`, so the random stream (and the drift) does not depend on it.
    if (t > afterMs) yield* toSamples(t, summarise(latencies, errors, stepSeconds));
  }
}

/**
 * Groups samples into batches of at most `size`.
 * @param {Iterable<Sample>} samples @param {number} size @returns {Generator<Sample[]>}
 */
export function* batches(samples, size = MAX_BATCH_SAMPLES) {
  /** @type {Sample[]} */
  let batch = [];
  for (const s of samples) {
    batch.push(s);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * Pushes 7 days of SYNTHETIC history (see the top of this file) to Backout's built-in metrics
 * provider. Call it only when asked (e.g. on a first start), before the fleet starts pushing live
 * data: `now` should not be later than the fleet's start, so the two never share a timestamp.
 * Batches of `batchSize` go out `concurrency` at a time; a batch that fails with a network error or
 * 5xx is retried 3 times, then the whole backfill rejects.
 * @param {{
 *   backoutUrl: string,
 *   token?: string,
 *   deployedAt: Date | number | string,
 *   now?: Date | number | string,
 *   after?: Date | number | string,
 *   stepSeconds?: number,
 *   batchSize?: number,
 *   concurrency?: number,
 *   seed?: number,
 * }} options
 * @returns {Promise<{ samples: number, batches: number, ms: number }>}
 */
export async function backfillHistory({
  backoutUrl,
  token,
  deployedAt,
  now = Date.now(),
  after,
  stepSeconds = 15,
  batchSize = MAX_BATCH_SAMPLES,
  concurrency = 4,
  seed,
}) {
  if (batchSize < 1 || batchSize > MAX_BATCH_SAMPLES) throw new Error(`batchSize must be between 1 and ${MAX_BATCH_SAMPLES}`);
  const t0 = performance.now();
  const source = batches(historySamples({ deployedAt, now, after, stepSeconds, seed }), batchSize);
  let samples = 0;
  let sent = 0;
  let failed = /** @type {Error | null} */ (null);

  const worker = async () => {
    while (!failed) {
      const next = source.next();
      if (next.done) return;
      const batch = next.value;
      for (let attempt = 0; ; attempt++) {
        const outcome = await postSamples({ backoutUrl, token, samples: batch, timeoutMs: 30_000 });
        if (outcome.ok) break;
        if (!outcome.retry || attempt >= 3) {
          failed ??= new Error(`metrics backfill failed: ${outcome.detail}`);
          return;
        }
        await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
      }
      samples += batch.length;
      sent++;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  if (failed) throw failed;
  return { samples, batches: sent, ms: Math.round(performance.now() - t0) };
}
