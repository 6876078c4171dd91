#!/usr/bin/env node
// DEMO router for checkout-service: the blue/green switch in front of the two versions, and the
// one place where the demo's live metrics are measured and pushed to Backout.
//
// GET  /health        200 {"status":"ok","active":...}
// GET  /admin/active  {"active":"green","version":"v2.5.0","targets":{...}}
// POST /admin/switch  {"to":"blue"} -> switches atomically, answers the new state
// POST /admin/notify  {"text":"…"} -> a stand-in chat webhook: prints the message
//                     (needs "Authorization: Bearer $DEMO_ROUTER_TOKEN" when that is set)
// anything else       proxied to the active colour, and measured (status and latency)
//
// Every 5 s the requests completed in the window that just ended are aggregated (lib/aggregate.mjs)
// and pushed to $BACKOUT_URL/api/v1/metrics, timestamped with the end of the window.
import { timingSafeEqual } from "node:crypto";
import http from "node:http";
import { aggregate, alignDown, toSamples } from "./lib/aggregate.mjs";
import { exitWithParent, intEnv, listen, sendJson } from "./lib/lifecycle.mjs";
import { isColour, PROFILES } from "./lib/model.mjs";
import { MetricsPusher } from "./lib/push.mjs";

/** @typedef {import("./lib/model.mjs").Colour} Colour */
/** @typedef {import("./lib/aggregate.mjs").RequestRecord} RequestRecord */

const env = process.env;
const port = intEnv(env.PORT, 4100);
const windowMs = intEnv(env.DEMO_WINDOW_MS, 5000);
const routerToken = env.DEMO_ROUTER_TOKEN || undefined;
const upstreamTimeoutMs = 15_000;

/** @type {Record<Colour, { url: string, version: string }>} */
const targets = {
  blue: { url: env.DEMO_BLUE_URL ?? "http://127.0.0.1:4101", version: env.DEMO_BLUE_VERSION ?? PROFILES.blue.version },
  green: { url: env.DEMO_GREEN_URL ?? "http://127.0.0.1:4102", version: env.DEMO_GREEN_VERSION ?? PROFILES.green.version },
};
/** @type {{ active: Colour, switchedAt: string | null }} */
const state = { active: isColour(env.DEMO_ACTIVE) ? env.DEMO_ACTIVE : "green", switchedAt: null };

exitWithParent();

const routerState = () => ({ active: state.active, version: targets[state.active].version, switchedAt: state.switchedAt, targets });

// ---- Measurement -------------------------------------------------------------------------------

/** @type {RequestRecord[]} */
let records = [];
/** When the first proxied request arrived: windows that began earlier would show partial traffic. */
let measuringSince = Number.POSITIVE_INFINITY;
const pusher = env.BACKOUT_URL
  ? new MetricsPusher({ backoutUrl: env.BACKOUT_URL, token: env.BACKOUT_INGEST_TOKEN, log: console.log })
  : null;
if (!pusher) console.log("BACKOUT_URL is not set: measuring, but not pushing metrics");

let nextWindowEnd = alignDown(Date.now(), windowMs) + windowMs;

function closeWindows() {
  const now = Date.now();
  /** @type {import("./lib/aggregate.mjs").Sample[]} */
  const samples = [];
  while (nextWindowEnd <= now) {
    const end = nextWindowEnd;
    const start = end - windowMs;
    const inWindow = records.filter((r) => r.endMs < end);
    records = records.filter((r) => r.endMs >= end);
    // Skip windows that began before traffic did (the first one): their numbers would be partial.
    if (start >= measuringSince) samples.push(...toSamples(end, aggregate(inWindow, windowMs / 1000)));
    nextWindowEnd += windowMs;
  }
  if (pusher && samples.length > 0) void pusher.push(samples);
  setTimeout(closeWindows, nextWindowEnd - Date.now() + 20);
}
setTimeout(closeWindows, nextWindowEnd - Date.now() + 20);

// ---- Proxy -------------------------------------------------------------------------------------

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "host"]);

/** @param {http.IncomingHttpHeaders} headers */
function forwardable(headers) {
  /** @type {http.OutgoingHttpHeaders} */
  const out = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

/** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
function proxy(req, res) {
  const colour = state.active; // read once: a switch affects new requests only
  if (measuringSince === Number.POSITIVE_INFINITY) measuringSince = Date.now();
  const target = new URL(req.url ?? "/", targets[colour].url);
  const t0 = performance.now();
  let recorded = false;
  const record = (/** @type {number} */ status) => {
    if (recorded) return;
    recorded = true;
    records.push({ endMs: Date.now(), latencyMs: performance.now() - t0, status });
  };
  const headers = forwardable(req.headers);
  headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
  const upstream = http.request(target, { method: req.method, headers, agent }, (ures) => {
    res.writeHead(ures.statusCode ?? 502, {
      ...forwardable(ures.headers),
      "x-demo-colour": colour,
      "x-demo-version": targets[colour].version,
    });
    ures.pipe(res);
    ures.on("end", () => record(ures.statusCode ?? 502));
    ures.on("error", () => record(0));
  });
  upstream.setTimeout(upstreamTimeoutMs, () => upstream.destroy(Object.assign(new Error("upstream timeout"), { code: "ETIMEDOUT" })));
  upstream.on("error", (/** @type {NodeJS.ErrnoException} */ e) => {
    const status = e.code === "ETIMEDOUT" ? 504 : 502;
    record(status);
    if (!res.headersSent) sendJson(res, status, { error: `checkout-service ${colour} ${targets[colour].version}: ${e.code ?? e.message}` });
    else res.destroy();
  });
  req.pipe(upstream);
}

// ---- Admin -------------------------------------------------------------------------------------

/** @param {http.IncomingMessage} req */
function authorised(req) {
  if (!routerToken) return true;
  const given = Buffer.from(req.headers.authorization ?? "");
  const wanted = Buffer.from(`Bearer ${routerToken}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** @param {http.IncomingMessage} req @returns {Promise<string>} */
function readBody(req, limit = 16_384) {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => {
      body += chunk;
      if (body.length > limit) reject(new Error("body too large"));
    });
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}

/** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
async function switchColour(req, res) {
  if (!authorised(req)) return sendJson(res, 401, { error: "missing or wrong bearer token (Authorization: Bearer $DEMO_ROUTER_TOKEN)" });
  let to;
  try {
    to = JSON.parse(await readBody(req))?.to;
  } catch {
    return sendJson(res, 400, { error: 'body must be JSON like {"to":"blue"}' });
  }
  if (!isColour(to)) return sendJson(res, 400, { error: `"to" must be "blue" or "green", not ${JSON.stringify(to)}` });
  if (to !== state.active) {
    const from = state.active;
    state.active = to;
    state.switchedAt = new Date().toISOString();
    console.log(`switched ${from} ${targets[from].version} -> ${to} ${targets[to].version}`);
  }
  return sendJson(res, 200, routerState());
}

const server = http.createServer((req, res) => {
  const path = (req.url ?? "/").split("?")[0];
  if (path === "/health" && req.method === "GET") return sendJson(res, 200, { status: "ok", active: state.active, demo: true });
  if (path === "/admin/active") {
    if (req.method !== "GET") return sendJson(res, 405, { error: "use GET" });
    return sendJson(res, 200, routerState());
  }
  if (path === "/admin/switch") {
    if (req.method !== "POST") return sendJson(res, 405, { error: "use POST" });
    return void switchColour(req, res).catch(() => sendJson(res, 400, { error: "could not read the request body" }));
  }
  if (path === "/admin/notify") {
    // A stand-in chat webhook for Backout's notify steps: prints what it receives.
    if (req.method !== "POST") return sendJson(res, 405, { error: "use POST" });
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => {
      if (body.length < 16_384) body += chunk;
    });
    req.on("end", () => {
      let text = body;
      try {
        text = JSON.parse(body).text ?? body;
      } catch {}
      console.log(`notification received: ${String(text).split("\n")[0].slice(0, 300)}`);
      sendJson(res, 200, { received: true });
    });
    return;
  }
  if (path.startsWith("/admin/")) return sendJson(res, 404, { error: "not found" });
  proxy(req, res);
});
server.keepAliveTimeout = 30_000;

await listen(server, port, "router");
console.log(`router listening on http://127.0.0.1:${port}: active ${state.active} ${targets[state.active].version}`);
