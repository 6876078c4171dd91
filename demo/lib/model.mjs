// The one model of checkout-service behind the demo: the live processes run it for real
// (checkout-service.mjs), and the synthetic history (backfill.mjs) draws from its analytic
// approximation below, so both show the same kind of numbers.
//
// Every request needs a database connection from a small in-process pool:
//   latency = app work before + wait for a connection + hold time (the "query") + app work after
// blue  v2.4.0: pool of 10, connections held 15-45 ms  -> the pool is nearly idle (~6% busy).
// green v2.5.0: pool of 2 ("connection pool settings changed"), and the new order-confirmation
//   flow holds the connection for 90-190 ms -> at ~20 req/s it is offered ~120% of what it can
//   serve. The excess waits in the pool's queue and gives up after the 1.2 s acquire timeout with
//   an HTTP 500: ~15-18% errors, p95/p99 at about 1.2 s, while the median stays near 190 ms.
// Both versions also fail 0.3% of requests for an unrelated reason (an upstream error).
// v2.5.0's new flow is behind the feature flag `new-order-confirmation` (demo/flag-service.mjs), on
// at start. Turned off, green's checkout holds its connection as v2.4.0's did (15-45 ms): at ~20 req/s
// the pool of 2 is then ~27% busy, nobody times out, and green is back at the baseline error rate.

/**
 * @typedef {"blue" | "green"} Colour
 * @typedef {{
 *   colour: Colour,
 *   version: string,
 *   poolSize: number,
 *   acquireTimeoutMs: number,
 *   checkoutHoldMs: [number, number],
 *   loginHoldMs: [number, number],
 *   beforeMs: [number, number],
 *   afterMs: [number, number],
 *   baseErrorRate: number,
 *   flag?: { name: string, offCheckoutHoldMs: [number, number] },
 * }} Profile
 */

/** @type {Record<Colour, Profile>} */
export const PROFILES = {
  blue: {
    colour: "blue",
    version: "v2.4.0",
    poolSize: 10,
    acquireTimeoutMs: 1200,
    checkoutHoldMs: [15, 45],
    loginHoldMs: [5, 15],
    beforeMs: [2, 6],
    afterMs: [1, 4],
    baseErrorRate: 0.003,
  },
  green: {
    colour: "green",
    version: "v2.5.0",
    poolSize: 2,
    acquireTimeoutMs: 1200,
    checkoutHoldMs: [90, 190],
    loginHoldMs: [5, 15],
    beforeMs: [2, 6],
    afterMs: [1, 4],
    baseErrorRate: 0.003,
    flag: { name: "new-order-confirmation", offCheckoutHoldMs: [15, 45] },
  },
};

/** The traffic the load generator sends: requests/s and the share of them that are GET /login. */
export const TRAFFIC = { rps: 20, loginShare: 0.15 };

/** @param {string | undefined} s @returns {s is Colour} */
export function isColour(s) {
  return s === "blue" || s === "green";
}

/** Uniform draw in [lo, hi). @param {[number, number]} range @param {() => number} rand */
export function uniform([lo, hi], rand = Math.random) {
  return lo + (hi - lo) * rand();
}

/** A small, fast, seedable PRNG (mulberry32). @param {number} seed @returns {() => number} */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draw (Box-Muller). @param {() => number} rand */
export function normal(rand = Math.random) {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

// ---- Analytic approximation, used for the synthetic history ----------------------------------

const mid = (/** @type {[number, number]} */ [lo, hi]) => (lo + hi) / 2;

/** Mean time a request holds a connection, in ms, for the traffic mix. @param {Profile} p */
export function meanHoldMs(p, loginShare = TRAFFIC.loginShare) {
  return (1 - loginShare) * mid(p.checkoutHoldMs) + loginShare * mid(p.loginHoldMs);
}

/** Offered load of the pool (1 = exactly its capacity) at `rps` requests/s. @param {Profile} p @param {number} rps */
export function poolLoad(p, rps) {
  const capacityRps = p.poolSize / (meanHoldMs(p) / 1000);
  return rps / capacityRps;
}

/**
 * Fraction of requests that time out waiting for a connection at pool load `rho`. Above
 * capacity the excess (1 - 1/rho) times out; just below it, bursts cause a few timeouts.
 * Calibrated against a discrete-event simulation of the pool and the live green service.
 * @param {number} rho
 */
export function timeoutFraction(rho) {
  const burst = 0.01;
  if (rho >= 1) return burst + (1 - burst) * (1 - 1 / rho);
  if (rho <= 0.6) return 0;
  return burst * ((rho - 0.6) / 0.4) ** 3;
}

/** Mean wait for a connection of the requests that get one, in ms. @param {Profile} p @param {number} rho */
export function meanWaitMs(p, rho) {
  return 0.5 * (meanHoldMs(p) / p.poolSize) * Math.min(rho, 1.5) ** 3;
}

/**
 * Draws `count` synthetic requests from the model at pool load `rho` into `latencies` (ms) and
 * returns how many of them failed (pool timeout or the base error rate).
 * @param {Profile} p @param {number} rho @param {number} count @param {() => number} rand @param {Float64Array} latencies
 */
export function drawRequests(p, rho, count, rand, latencies) {
  const timeoutP = timeoutFraction(rho);
  const waitMean = meanWaitMs(p, rho);
  const [b0, b1] = p.beforeMs;
  const [a0, a1] = p.afterMs;
  const [c0, c1] = p.checkoutHoldMs;
  const [l0, l1] = p.loginHoldMs;
  let failed = 0;
  for (let i = 0; i < count; i++) {
    const overhead = b0 + (b1 - b0) * rand() + a0 + (a1 - a0) * rand();
    if (rand() < timeoutP) {
      latencies[i] = overhead + p.acquireTimeoutMs;
      failed++;
      continue;
    }
    const hold = rand() < TRAFFIC.loginShare ? l0 + (l1 - l0) * rand() : c0 + (c1 - c0) * rand();
    latencies[i] = overhead - Math.log(1 - rand()) * waitMean + hold;
    if (rand() < p.baseErrorRate) failed++;
  }
  return failed;
}
