#!/usr/bin/env node
// DEMO load generator: a steady ~20 requests/s of shopper traffic to the router (GET /checkout,
// 15% GET /login), with bounded concurrency, until it is killed. It only generates traffic; the
// router measures it.
import http from "node:http";
import { exitWithParent, intEnv } from "./lib/lifecycle.mjs";
import { TRAFFIC } from "./lib/model.mjs";

const target = process.env.DEMO_TARGET_URL ?? "http://127.0.0.1:4100";
const rps = intEnv(process.env.DEMO_LOAD_RPS, TRAFFIC.rps);
const maxInFlight = intEnv(process.env.DEMO_LOAD_CONCURRENCY, 64);

exitWithParent();

const agent = new http.Agent({ keepAlive: true, maxSockets: maxInFlight });
let inFlight = 0;
let skipped = 0;
/** @type {string | null} */
let lastProblem = null;

/** @param {string | null} problem */
function report(problem) {
  if (problem === lastProblem) return;
  if (problem) console.log(`load: ${problem}`);
  else if (lastProblem) console.log("load: requests reach the router again");
  lastProblem = problem;
}

function fire() {
  if (inFlight >= maxInFlight) {
    skipped++;
    report(`${maxInFlight} requests in flight, skipping requests to stay bounded (${skipped} so far)`);
    return;
  }
  const path = Math.random() < TRAFFIC.loginShare ? "/login" : "/checkout";
  inFlight++;
  const req = http.get(new URL(path, target), { agent, headers: { "user-agent": "backout-demo-load/1" } }, (res) => {
    res.resume();
    res.on("end", () => {
      inFlight--;
      report(null);
    });
  });
  req.setTimeout(30_000, () => req.destroy(new Error("timeout")));
  req.on("error", (/** @type {NodeJS.ErrnoException} */ e) => {
    inFlight--;
    report(`cannot reach ${target} (${e.code ?? e.message}), still trying`);
  });
}

// Evenly paced with ±30% jitter, scheduled against a clock so the rate does not drift.
let next = performance.now();
function tick() {
  fire();
  next += (1000 / rps) * (0.7 + 0.6 * Math.random());
  // After a stall (suspended laptop, busy machine) resume the pace instead of bursting to catch up.
  if (next < performance.now() - 1000) next = performance.now();
  setTimeout(tick, Math.max(0, next - performance.now()));
}
console.log(
  `load: ~${rps} req/s to ${target} (/checkout, ${Math.round(TRAFFIC.loginShare * 100)}% /login), at most ${maxInFlight} in flight`,
);
tick();
