#!/usr/bin/env node
// DEMO fleet for checkout-service: starts, as child processes of the caller,
//   blue   checkout-service v2.4.0, healthy              (127.0.0.1:4101)
//   green  checkout-service v2.5.0, pool exhausted       (127.0.0.1:4102)
//   router blue/green switch, measures and pushes metrics (127.0.0.1:4100), green active
//   flags  the flag service (Unleash admin/client API subset), new-order-confirmation on (127.0.0.1:4103)
//   load   ~20 req/s of shopper traffic to the router
// Used by `npm start`; also runnable by itself: `node demo/fleet.mjs [--backfill]`
// (env: BACKOUT_URL, BACKOUT_INGEST_TOKEN, DEMO_ROUTER_TOKEN, DEMO_FLAGS_TOKEN, DEMO_ROUTER_PORT, DEMO_BLUE_PORT,
// DEMO_GREEN_PORT, DEMO_FLAGS_PORT).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import net from "node:net";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PROFILES } from "./lib/model.mjs";

/** @typedef {import("node:child_process").ChildProcess} ChildProcess */
/** @typedef {"router" | "blue" | "green" | "flags" | "load"} Member */

const DEMO_DIR = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_PORTS = Object.freeze({ router: 4100, blue: 4101, green: 4102, flags: 4103 });
const HEALTH_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 3000;

/** @param {string} line */
const defaultLog = (line) => console.log(line);

/** The flag service's admin token when none is given: Unleash's admin tokens look like "*:*.<secret>". */
export function newFlagsToken() {
  return `*:*.${randomBytes(16).toString("hex")}`;
}

/**
 * Starts the demo fleet and resolves once blue, green, the flag service and the router answer GET /health.
 * On any failure the processes already started are stopped and the promise rejects.
 * @param {{
 *   backoutUrl?: string,
 *   ingestToken?: string,
 *   routerToken?: string,
 *   flagsToken?: string,
 *   ports?: Partial<{ router: number, blue: number, green: number, flags: number }>,
 *   log?: (line: string) => void,
 *   loadRps?: number,
 * }} [options]
 * @returns {Promise<{ routerUrl: string, flagsUrl: string, flagsToken: string, urls: Record<"blue" | "green", string>, pids: Record<Member, number>, stop: () => Promise<void>, stopMember: (name: "blue" | "green") => Promise<void>, startMember: (name: "blue" | "green") => Promise<void> }>}
 */
export async function startFleet({ backoutUrl, ingestToken, routerToken, flagsToken, ports: portsIn, log = defaultLog, loadRps } = {}) {
  const ports = { ...DEFAULT_PORTS, ...portsIn };
  // A port still held (another fleet, or one that is still exiting) would let a health check reach
  // a process that is not ours while ours fails to bind: wait a moment for it, then say so.
  for (const [name, port] of Object.entries(ports)) await portFree(name, port);
  const url = (/** @type {number} */ port) => `http://127.0.0.1:${port}`;
  const routerUrl = url(ports.router);
  const flagsUrl = url(ports.flags);
  const flagsAdminToken = flagsToken || newFlagsToken();
  // Green reads its flag with a client token of the production environment (Unleash's "<project>:<env>.<secret>").
  const flagsClientToken = `default:production.${randomBytes(16).toString("hex")}`;
  /** @type {Map<Member, ChildProcess>} */
  const children = new Map();
  let stopping = false;

  /** How each member was started, so that one can be stopped and started again (stopMember / startMember). */
  /** @type {Map<Member, { script: string, env: Record<string, string | undefined> }>} */
  const recipes = new Map();
  /** Members stopped on purpose: their exit is not "unexpected". */
  const stoppedOnPurpose = new Set();

  /** @param {Member} name @param {string} script @param {Record<string, string | undefined>} env */
  const start = (name, script, env) => {
    recipes.set(name, { script, env });
    stoppedOnPurpose.delete(name);
    /** @type {Record<string, string>} */
    const childEnv = { DEMO_PARENT_PID: String(process.pid) };
    // A minimal environment: no loaders from NODE_OPTIONS, none of Backout's own secrets.
    for (const key of ["PATH", "TZ", "LANG"]) if (process.env[key]) childEnv[key] = /** @type {string} */ (process.env[key]);
    for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== "") childEnv[k] = v;
    const child = spawn(process.execPath, [path.join(DEMO_DIR, script)], {
      cwd: DEMO_DIR,
      env: childEnv,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    children.set(name, child);
    /** @type {string[]} */
    const recent = [];
    const relay = (/** @type {import("node:stream").Readable} */ stream) =>
      readline.createInterface({ input: stream }).on("line", (line) => {
        recent.push(line);
        if (recent.length > 5) recent.shift();
        log(`[demo:${name}] ${line}`);
      });
    if (child.stdout) relay(child.stdout);
    if (child.stderr) relay(child.stderr);
    const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
    exited.then(({ code, signal }) => {
      if (!stopping && !stoppedOnPurpose.has(name)) log(`[demo] ${name} exited unexpectedly (${signal ?? `code ${code}`})`);
    });
    return { child, exited: /** @type {Promise<{ code: number | null, signal: string | null }>} */ (exited), recent };
  };

  /** SIGTERM, then SIGKILL after a grace period; resolves once the child has exited. @param {Member} name */
  const kill = async (name) => {
    const child = children.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  /** Kills every child and waits until all have exited. */
  const killAll = async () => {
    stopping = true;
    process.off("exit", killOnExit);
    const order = /** @type {Member[][]} */ ([["load"], ["router", "blue", "green", "flags"]]);
    for (const group of order) await Promise.all(group.map(kill));
  };
  // If our process exits without stop(), take the children with us (they would also notice the
  // closed IPC channel and exit by themselves).
  const killOnExit = () => {
    for (const child of children.values()) if (child.exitCode === null) child.kill("SIGKILL");
  };
  process.on("exit", killOnExit);

  try {
    const flags = start("flags", "flag-service.mjs", {
      PORT: String(ports.flags),
      DEMO_FLAGS_ADMIN_TOKEN: flagsAdminToken,
      DEMO_FLAGS_CLIENT_TOKEN: flagsClientToken,
    });
    const blue = start("blue", "checkout-service.mjs", { DEMO_COLOUR: "blue", PORT: String(ports.blue) });
    const green = start("green", "checkout-service.mjs", {
      DEMO_COLOUR: "green",
      PORT: String(ports.green),
      DEMO_FLAGS_URL: flagsUrl,
      DEMO_FLAGS_CLIENT_TOKEN: flagsClientToken,
    });
    const router = start("router", "router.mjs", {
      PORT: String(ports.router),
      DEMO_BLUE_URL: url(ports.blue),
      DEMO_GREEN_URL: url(ports.green),
      DEMO_ACTIVE: "green",
      DEMO_ROUTER_TOKEN: routerToken,
      BACKOUT_URL: backoutUrl,
      BACKOUT_INGEST_TOKEN: ingestToken,
    });
    await Promise.all([
      waitForHealth("blue", url(ports.blue), blue),
      waitForHealth("green", url(ports.green), green),
      waitForHealth("router", routerUrl, router),
      waitForHealth("flags", flagsUrl, flags),
    ]);
    const load = start("load", "load.mjs", {
      DEMO_TARGET_URL: routerUrl,
      DEMO_LOAD_RPS: loadRps === undefined ? undefined : String(loadRps),
    });
    await new Promise((resolve, reject) => {
      load.child.once("spawn", resolve);
      load.child.once("error", reject);
    });
  } catch (e) {
    await killAll();
    throw e;
  }

  const pid = (/** @type {Member} */ name) => children.get(name)?.pid ?? -1;
  const pids = { router: pid("router"), blue: pid("blue"), green: pid("green"), flags: pid("flags"), load: pid("load") };
  const colourPort = { blue: ports.blue, green: ports.green };
  let stopped = /** @type {Promise<void> | null} */ (null);
  return {
    routerUrl,
    flagsUrl,
    flagsToken: flagsAdminToken,
    urls: { blue: url(ports.blue), green: url(ports.green) },
    pids,
    stop: () => {
      stopped ??= killAll();
      return stopped;
    },
    /** Stops one colour (an environment going down); the router keeps running and answers 502 for it. */
    stopMember: async (/** @type {"blue" | "green"} */ name) => {
      stoppedOnPurpose.add(name);
      await kill(name);
      log(`[demo] ${name} stopped`);
    },
    /** Starts a stopped colour again, on its port; resolves once it answers /health. */
    startMember: async (/** @type {"blue" | "green"} */ name) => {
      const recipe = recipes.get(name);
      const current = children.get(name);
      if (!recipe || stopping) throw new Error(`demo ${name} cannot be started: the fleet is stopping`);
      if (current && current.exitCode === null && current.signalCode === null) return;
      const started = start(name, recipe.script, recipe.env);
      await waitForHealth(name, url(colourPort[name]), started);
      pids[name] = pid(name);
      log(`[demo] ${name} started again`);
    },
  };
}

/**
 * @param {string} name @param {string} baseUrl
 * @param {{ exited: Promise<{ code: number | null, signal: string | null }>, recent: string[] }} proc
 */
/** Resolves once nothing listens on 127.0.0.1:port (within 10 s), else rejects naming the member. */
async function portFree(/** @type {string} */ name, /** @type {number} */ port) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const free = await new Promise((resolve) => {
      const probe = net.createServer();
      probe.once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
    if (free) return;
    if (Date.now() > deadline)
      throw new Error(`demo ${name}: port ${port} on 127.0.0.1 is already in use (another demo fleet or Backout running?)`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function waitForHealth(name, baseUrl, proc) {
  let exit = /** @type {{ code: number | null, signal: string | null } | null} */ (null);
  proc.exited.then((e) => {
    exit = e;
  });
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exit) {
      const why = proc.recent.join(" / ") || `exit ${exit.signal ?? exit.code}`;
      throw new Error(`demo ${name} did not start: ${why}`);
    }
    try {
      const res = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`demo ${name} did not answer ${baseUrl}/health within ${HEALTH_TIMEOUT_MS / 1000}s`);
}

// ---- `node demo/fleet.mjs` ---------------------------------------------------------------------

async function main() {
  const env = process.env;
  const log = (/** @type {string} */ line) => console.log(line);
  const port = (/** @type {string | undefined} */ v, /** @type {number} */ d) => (v ? Number(v) : d);
  const ports = {
    router: port(env.DEMO_ROUTER_PORT, DEFAULT_PORTS.router),
    blue: port(env.DEMO_BLUE_PORT, DEFAULT_PORTS.blue),
    green: port(env.DEMO_GREEN_PORT, DEFAULT_PORTS.green),
    flags: port(env.DEMO_FLAGS_PORT, DEFAULT_PORTS.flags),
  };
  const backoutUrl = env.BACKOUT_URL;
  if (process.argv.includes("--backfill")) {
    if (!backoutUrl) throw new Error("--backfill needs BACKOUT_URL");
    const { backfillHistory } = await import("./backfill.mjs");
    const now = new Date();
    const deployedAt = env.DEMO_DEPLOYED_AT ? new Date(env.DEMO_DEPLOYED_AT) : new Date(now.getTime() - 25 * 60_000);
    log(`[demo] backfilling 7 days of SYNTHETIC history (v2.5.0 deployed at ${deployedAt.toISOString()})…`);
    const r = await backfillHistory({ backoutUrl, token: env.BACKOUT_INGEST_TOKEN, deployedAt, now });
    log(`[demo] backfill: ${r.samples} samples in ${r.batches} batches, ${(r.ms / 1000).toFixed(1)}s`);
  }
  const fleet = await startFleet({
    backoutUrl,
    ingestToken: env.BACKOUT_INGEST_TOKEN,
    routerToken: env.DEMO_ROUTER_TOKEN,
    flagsToken: env.DEMO_FLAGS_TOKEN,
    ports,
    log,
  });
  log(`[demo] DEMO checkout-service fleet is up: router ${fleet.routerUrl} -> green ${PROFILES.green.version} (the bad release is live)`);
  log(`[demo]   blue ${PROFILES.blue.version} ${fleet.urls.blue}, green ${PROFILES.green.version} ${fleet.urls.green}`);
  const auth = env.DEMO_ROUTER_TOKEN ? ' -H "Authorization: Bearer $DEMO_ROUTER_TOKEN"' : "";
  log(`[demo]   roll back: curl -X POST${auth} -H 'content-type: application/json' -d '{"to":"blue"}' ${fleet.routerUrl}/admin/switch`);
  log(
    `[demo]   or turn the flag off: curl -X POST -H 'Authorization: ${env.DEMO_FLAGS_TOKEN ? "$DEMO_FLAGS_TOKEN" : fleet.flagsToken}' ${fleet.flagsUrl}/api/admin/projects/default/features/new-order-confirmation/environments/production/off`,
  );
  log(
    `[demo]   pids: ${Object.entries(fleet.pids)
      .map(([name, pid]) => `${name} ${pid}`)
      .join(", ")}`,
  );
  if (!backoutUrl) log("[demo]   BACKOUT_URL is not set: metrics are measured but not pushed");
  const shutdown = async () => {
    await fleet.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown());
  process.once("SIGTERM", () => void shutdown());
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((e) => {
    console.error(`[demo] ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  });
}
