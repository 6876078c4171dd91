#!/usr/bin/env node
// DEMO checkout-service: one version of the service as a real HTTP server on 127.0.0.1.
// Started twice by fleet.mjs: DEMO_COLOUR=blue (v2.4.0, healthy) and DEMO_COLOUR=green (v2.5.0,
// exhausted connection pool). The behaviour comes from PROFILES in lib/model.mjs; failures and
// slowness come from real contention for the slots of lib/pool.mjs, not from a coin flip (except
// the 0.3% "upstream error" both versions share).
//
// Green's new order-confirmation flow is behind the flag `new-order-confirmation`: with DEMO_FLAGS_URL and
// DEMO_FLAGS_CLIENT_TOKEN it reads the flag from the demo flag service (Unleash's client API) every
// second; off, checkout holds its connection as v2.4.0 did. Until the flag service answers, the flag
// is on (the release shipped with it on).
//
// GET /checkout   takes a connection, holds it for the "query", answers 200 (or 500 on pool timeout);
//                 POST works the same (the body is ignored)
// GET /login      same, with a short hold
// GET /api/ping   200 without touching the pool
// GET /health     200 {"status":"ok","version":...}
// GET /debug/pool the pool's counters
import { randomUUID } from "node:crypto";
import http from "node:http";
import { exitWithParent, intEnv, listen, sendJson } from "./lib/lifecycle.mjs";
import { isColour, PROFILES, uniform } from "./lib/model.mjs";
import { ConnectionPool, PoolTimeoutError } from "./lib/pool.mjs";

const colourEnv = process.env.DEMO_COLOUR;
if (!isColour(colourEnv)) {
  console.error(`checkout-service: DEMO_COLOUR must be "blue" or "green", not ${JSON.stringify(colourEnv)}`);
  process.exit(2);
}
const profile = { ...PROFILES[colourEnv] };
if (process.env.DEMO_VERSION) profile.version = process.env.DEMO_VERSION;
const port = intEnv(process.env.PORT, colourEnv === "blue" ? 4101 : 4102);
const name = `checkout-service ${profile.version} (${profile.colour})`;

exitWithParent();

const flags = { url: process.env.DEMO_FLAGS_URL, token: process.env.DEMO_FLAGS_CLIENT_TOKEN };
let flagOn = true;
if (profile.flag && flags.url && flags.token) {
  const flagName = profile.flag.name;
  const poll = async () => {
    try {
      const res = await fetch(`${flags.url}/api/client/features`, {
        headers: { authorization: /** @type {string} */ (flags.token) },
        signal: AbortSignal.timeout(2000),
      });
      const body = /** @type {{ features?: { name: string, enabled: boolean }[] }} */ (await res.json());
      const feature = res.ok ? body.features?.find((f) => f.name === flagName) : undefined;
      if (feature && feature.enabled !== flagOn) {
        flagOn = feature.enabled;
        console.log(`flag ${flagName} is now ${flagOn ? "on" : "off"}`);
      }
    } catch {
      // The flag service is not up yet or gone: keep the last known state, as Unleash's SDKs do.
    }
    setTimeout(poll, 1000).unref();
  };
  void poll();
}
/** Checkout's hold time: the new flow's unless its flag is off. */
const checkoutHoldMs = () => (profile.flag && !flagOn ? profile.flag.offCheckoutHoldMs : profile.checkoutHoldMs);

const pool = new ConnectionPool({ size: profile.poolSize, acquireTimeoutMs: profile.acquireTimeoutMs });
const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Simulated request work: some app code, a database query on a pooled connection, more app code.
 * @param {[number, number]} holdMs @returns {Promise<{ waitedMs: number }>}
 */
async function work(holdMs) {
  await sleep(uniform(profile.beforeMs));
  const lease = await pool.acquire();
  try {
    await sleep(uniform(holdMs));
  } finally {
    lease.release();
  }
  await sleep(uniform(profile.afterMs));
  return { waitedMs: lease.waitedMs };
}

/** @param {http.ServerResponse} res @param {[number, number]} holdMs @param {() => object} ok */
async function handle(res, holdMs, ok) {
  try {
    const { waitedMs } = await work(holdMs);
    if (Math.random() < profile.baseErrorRate) {
      sendJson(res, 500, { error: "upstream payment provider error", version: profile.version });
      return;
    }
    sendJson(res, 200, { ...ok(), version: profile.version, poolWaitMs: Math.round(waitedMs) });
  } catch (e) {
    if (e instanceof PoolTimeoutError) {
      await sleep(uniform(profile.afterMs));
      sendJson(res, 500, { error: e.message, version: profile.version });
      return;
    }
    sendJson(res, 500, { error: "internal error", version: profile.version });
  }
}

const server = http.createServer((req, res) => {
  const path = (req.url ?? "/").split("?")[0];
  if (req.method !== "GET" && req.method !== "HEAD" && req.method !== "POST") return sendJson(res, 405, { error: "method not allowed" });
  req.resume(); // a POST body (a real checkout form, a probe) is accepted and ignored
  switch (path) {
    case "/health":
      return sendJson(res, 200, {
        status: "ok",
        version: profile.version,
        colour: profile.colour,
        demo: true,
        ...(profile.flag ? { flags: { [profile.flag.name]: flagOn } } : {}),
      });
    case "/api/ping":
      return sendJson(res, 200, { pong: true, version: profile.version });
    case "/debug/pool":
      return sendJson(res, 200, { version: profile.version, pool: pool.snapshot() });
    case "/checkout":
      return void handle(res, checkoutHoldMs(), () => ({ order: `ord_${randomUUID().slice(0, 8)}`, status: "confirmed" }));
    case "/login":
      return void handle(res, profile.loginHoldMs, () => ({ session: "demo", user: "demo-shopper" }));
    default:
      return sendJson(res, 404, { error: "not found" });
  }
});
server.keepAliveTimeout = 30_000;

await listen(server, port, name);
console.log(`${name} listening on http://127.0.0.1:${port} (pool of ${profile.poolSize}, acquire timeout ${profile.acquireTimeoutMs} ms)`);
