#!/usr/bin/env node
// DEMO flag service: the subset of Unleash's HTTP API that the demo and Backout's flag-disable step
// use, on 127.0.0.1 (default port 4103), flags in memory (every start begins with the release's flags on).
// Admin API (https://docs.getunleash.io/api/toggle-feature-environment-off and its neighbours),
// every call with `Authorization: <admin token>` (a leading "Bearer " is accepted, as by Unleash):
//   POST /api/admin/projects/{project}/features/{flag}/environments/{env}/off  -> 200 {}
//   POST /api/admin/projects/{project}/features/{flag}/environments/{env}/on   -> 200 {}
//   GET  /api/admin/projects/{project}/features/{flag}/environments/{env}      -> {"name":env,"featureName":…,"environment":env,"enabled":…}
//   GET  /api/admin/projects/{project}/features/{flag}                         -> {"name":…,"project":…,"environments":[{"name","enabled"}]}
//   401 without the right token, 404 for an unknown project, flag or environment.
// Client API, with `Authorization: <client token>` ("<project>:<env>.<secret>", as Unleash's):
//   GET  /api/client/features -> {"version":2,"features":[{"name","enabled",…}]} for the token's environment
// GET /health -> 200 {"status":"ok","demo":true}
import { timingSafeEqual } from "node:crypto";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { exitWithParent, intEnv, listen, sendJson } from "./lib/lifecycle.mjs";

/**
 * @typedef {{ name: string, project: string, type: string, description: string, environments: Record<string, boolean> }} Flag
 */

/** The demo's flags: v2.5.0 of checkout-service shipped its new order-confirmation flow behind this one, on in production. */
export const DEMO_FLAGS = Object.freeze([
  {
    name: "new-order-confirmation",
    project: "default",
    type: "release",
    description: "checkout-service v2.5.0: the new order-confirmation flow (holds its database connection longer)",
    environments: { development: true, production: true },
  },
]);

/** @param {string | undefined} given @param {string} wanted */
function sameToken(given, wanted) {
  if (!given) return false;
  const a = Buffer.from(given.replace(/^Bearer\s+/i, ""));
  const b = Buffer.from(wanted);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The flag service's HTTP server (not listening yet): the fleet runs it as a child process, the
 * executor's integration test in-process.
 * @param {{ adminToken: string, clientToken?: string, flags?: readonly Flag[], log?: (line: string) => void }} options
 * @returns {{ server: http.Server, flags: Map<string, Flag> }}
 */
export function createFlagService({ adminToken, clientToken, flags = DEMO_FLAGS, log = () => {} }) {
  if (!adminToken) throw new Error("the flag service needs an admin token");
  /** @type {Map<string, Flag>} */
  const state = new Map(flags.map((f) => [f.name, { ...f, environments: { ...f.environments } }]));
  const notFound = (/** @type {http.ServerResponse} */ res, /** @type {string} */ message) =>
    sendJson(res, 404, { name: "NotFoundError", message });

  /** @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {string[]} parts */
  const admin = (req, res, parts) => {
    if (!sameToken(req.headers.authorization, adminToken)) {
      return sendJson(res, 401, {
        name: "AuthenticationRequired",
        message: "You must provide a valid admin API token in the Authorization header.",
      });
    }
    // parts: projects, {project}, features, {flag}[, environments, {env}[, on|off]]
    const [projects, project, features, name, environments, env, action, ...rest] = parts;
    if (projects !== "projects" || features !== "features" || !project || !name || rest.length > 0)
      return notFound(res, "No such endpoint.");
    const flag = state.get(name);
    if (!flag || flag.project !== project) return notFound(res, `Could not find the feature flag ${name} in the project ${project}.`);
    if (environments === undefined) {
      if (req.method !== "GET") return sendJson(res, 405, { name: "MethodNotAllowed", message: "Use GET." });
      return sendJson(res, 200, {
        name: flag.name,
        project: flag.project,
        type: flag.type,
        description: flag.description,
        environments: Object.entries(flag.environments).map(([envName, enabled]) => ({ name: envName, enabled })),
      });
    }
    if (environments !== "environments" || !env) return notFound(res, "No such endpoint.");
    if (!(env in flag.environments)) return notFound(res, `The feature flag ${name} has no environment ${env}.`);
    if (action === undefined) {
      if (req.method !== "GET") return sendJson(res, 405, { name: "MethodNotAllowed", message: "Use GET." });
      return sendJson(res, 200, {
        name: env,
        featureName: flag.name,
        environment: env,
        type: env,
        enabled: flag.environments[env],
        strategies: [],
      });
    }
    if (action !== "on" && action !== "off") return notFound(res, "No such endpoint.");
    if (req.method !== "POST") return sendJson(res, 405, { name: "MethodNotAllowed", message: "Use POST." });
    const enabled = action === "on";
    if (flag.environments[env] !== enabled) log(`${flag.name} turned ${action} in ${env}`);
    flag.environments[env] = enabled;
    return sendJson(res, 200, {});
  };

  /** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
  const client = (req, res) => {
    // A client token names its environment: "<project>:<environment>.<secret>".
    const environment = clientToken ? /^[^:]+:([^.]+)\./.exec(clientToken)?.[1] : undefined;
    if (!clientToken || !environment || !sameToken(req.headers.authorization, clientToken)) {
      return sendJson(res, 401, {
        name: "AuthenticationRequired",
        message: "You must provide a valid client API token in the Authorization header.",
      });
    }
    const features = [...state.values()].map((f) => ({
      name: f.name,
      project: f.project,
      type: f.type,
      enabled: f.environments[environment] === true,
      strategies: [{ name: "default", parameters: {} }],
    }));
    return sendJson(res, 200, { version: 2, features });
  };

  const server = http.createServer((req, res) => {
    req.resume();
    const pathname = (req.url ?? "/").split("?")[0];
    let parts;
    try {
      parts = pathname.split("/").filter(Boolean).map(decodeURIComponent);
    } catch {
      return sendJson(res, 400, { name: "BadDataError", message: "The path is not valid URL encoding." });
    }
    if (pathname === "/health" && req.method === "GET") return sendJson(res, 200, { status: "ok", demo: true });
    if (parts[0] === "api" && parts[1] === "admin") return admin(req, res, parts.slice(2));
    if (pathname === "/api/client/features" && req.method === "GET") return client(req, res);
    return notFound(res, "No such endpoint.");
  });
  server.keepAliveTimeout = 30_000;
  return { server, flags: state };
}

// ---- `node demo/flag-service.mjs` (started by fleet.mjs) ----------------------------------------

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  exitWithParent();
  const port = intEnv(process.env.PORT, 4103);
  const adminToken = process.env.DEMO_FLAGS_ADMIN_TOKEN ?? "";
  if (!adminToken) {
    console.error("flag service: DEMO_FLAGS_ADMIN_TOKEN must be set");
    process.exit(2);
  }
  const { server } = createFlagService({ adminToken, clientToken: process.env.DEMO_FLAGS_CLIENT_TOKEN, log: console.log });
  await listen(server, port, "flag service");
  console.log(`flag service listening on http://127.0.0.1:${port}: ${DEMO_FLAGS.map((f) => `${f.name} on`).join(", ")}`);
}
