// The REST API's one entry point: every `/api/v1/…` route is an entry of lib/api/routes.ts, matched
// here, which authenticates the bearer token, checks its scope and the role, parses the path,
// query and body with the route's zod schemas (the same ones the OpenAPI document is generated
// from) and turns every refusal into a problem+json answer. Writes go through the change path,
// so they are authorised, refused and audited exactly as in the UI.
import "server-only";
import { z } from "zod";
import type { Permission } from "@/lib/auth/roles";
import { can } from "@/lib/auth/roles";
import { now as clockNow } from "@/lib/clock";
import { getDb } from "@/lib/db";
import { Refusal } from "@/lib/errors";
import { readBodyLimited } from "@/lib/http/body";
import { auditRefusal, type Change } from "@/lib/incidents/change";
import { problem, refusalProblem, zodProblem } from "./problem";
import { type ApiCaller, authenticateApiToken } from "./tokens";

/** The same limit as a server action's body (proxy.ts). */
export const API_BODY_LIMIT_BYTES = 1024 * 1024;

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH";

export type ApiContext<P, Q> = {
  caller: ApiCaller;
  params: P;
  query: Q;
  /** The JSON body of a write (an object), as sent. */
  body: Record<string, unknown>;
  now: Date;
  /** Runs a change as the token's user, through the API channel; a refusal is thrown (and becomes a problem). */
  run<T>(change: Change<z.ZodType, T>, raw: unknown): Promise<T>;
};

type AnyObject = z.ZodObject<z.ZodRawShape>;

export type ApiRoute<P extends AnyObject = AnyObject, Q extends AnyObject = AnyObject> = {
  method: HttpMethod;
  /** OpenAPI path template under /api/v1, e.g. "/incidents/{number}". */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** Reads need the role's `permission`; writes also a WRITE token, and name the change they run. */
  permission: Permission;
  change?: Change<z.ZodType, unknown>;
  params?: P;
  query?: Q;
  /** The documented request body (derived from the change's schema). */
  body?: z.ZodType;
  status: 200 | 201;
  response: z.ZodType;
  responseDescription: string;
  /** Statuses besides 400/401/403/405 this route may answer with a problem (404, 409, 422, …). */
  problems: readonly number[];
  handle(ctx: ApiContext<z.output<P>, z.output<Q>>): Promise<unknown>;
};

/** Keeps each route's handler typed by its own schemas while the list holds them all. */
export function defineRoute<P extends AnyObject, Q extends AnyObject>(route: ApiRoute<P, Q>): ApiRoute {
  return route as unknown as ApiRoute;
}

function matchPath(template: string, segments: readonly string[]): Record<string, string> | null {
  const parts = template.split("/").filter(Boolean);
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    const m = /^\{(\w+)\}$/.exec(part);
    if (m) params[m[1]] = segments[i];
    else if (part !== segments[i]) return null;
  }
  return params;
}

async function readJsonObject(request: Request): Promise<Record<string, unknown> | Response> {
  const type = request.headers.get("content-type")?.split(";")[0].trim().toLowerCase();
  if (type !== "application/json") return problem(415, "Send the body as JSON: `Content-Type: application/json`.");
  const tooLarge = () => problem(413, "The body is too large: at most 1 MB.");
  if (Number(request.headers.get("content-length") ?? 0) > API_BODY_LIMIT_BYTES) return tooLarge();
  const { bytes, truncated } = await readBodyLimited(request.body, API_BODY_LIMIT_BYTES);
  if (truncated) return tooLarge();
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return problem(400, "The body is not valid JSON.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return problem(422, "The body must be a JSON object.", { code: "invalid" });
  return body as Record<string, unknown>;
}

/** Answers one request to `/api/v1/<segments>` from `routes`. */
export async function dispatch(routes: readonly ApiRoute[], request: Request, segments: readonly string[]): Promise<Response> {
  const method = request.method.toUpperCase();
  const matching = routes.flatMap((route) => {
    const params = matchPath(route.path, segments);
    return params ? [{ route, params }] : [];
  });
  if (matching.length === 0) return problem(404, `There is no API route /api/v1/${segments.join("/")}: see /api/v1/openapi.json.`);
  const found = matching.find((m) => m.route.method === method);
  if (!found) {
    const allow = matching.map((m) => m.route.method).join(", ");
    return problem(405, `/api/v1/${segments.join("/")} answers ${allow}.`, {}, { allow });
  }
  const { route, params: rawParams } = found;

  const db = getDb();
  const now = clockNow();
  const auth = await authenticateApiToken(db, request.headers.get("authorization"), now);
  if (!auth.ok) return problem(401, auth.reason, {}, { "www-authenticate": 'Bearer realm="backout"' });
  const { caller } = auth;
  const via = { source: "API" as const, tokenId: caller.tokenId };

  try {
    if (route.change && caller.scope !== "WRITE") {
      const refusal = new Refusal("forbidden", "This API token is read-only: a change needs a token with the write scope.", {
        details: { scope: caller.scope },
      });
      await auditRefusal(db, caller.actor, route.change.action, { entityType: "ApiToken", entityId: caller.tokenId }, refusal, via);
      throw refusal;
    }
    if (!route.change && !can(caller.actor.role, route.permission)) {
      throw new Refusal("forbidden", `This token's role cannot read this (${route.permission}).`);
    }
    const params = (route.params ?? z.object({})).safeParse(rawParams);
    if (!params.success) return zodProblem(400, "The path is not valid", params.error);
    const query = (route.query ?? z.object({})).safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!query.success) return zodProblem(400, "The query is not valid", query.error);
    let body: Record<string, unknown> = {};
    if (route.body) {
      const read = await readJsonObject(request);
      if (read instanceof Response) return read;
      body = read;
    }
    const value = await route.handle({
      caller,
      params: params.data,
      query: query.data,
      body,
      now,
      run: (change, raw) => change.runOrThrow(caller.actor, raw, { via, now }),
    });
    return Response.json(value, { status: route.status, headers: { "cache-control": "no-store" } });
  } catch (e) {
    if (e instanceof Refusal) return refusalProblem(e);
    console.error("[api] unexpected error", e);
    return problem(500, "Something went wrong on the server and nothing was changed. Try again; if it keeps happening, tell an admin.");
  }
}
