// The OpenAPI 3.1 document of the REST API, generated (zod-openapi) from the very schemas the
// router validates with and the handlers answer with (lib/api/routes.ts): it cannot drift from
// what the API does. Served at /api/v1/openapi.json and rendered at /api-reference.
import "server-only";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from "zod-openapi";
import { webhookAnswerSchema, webhookSchema } from "@/lib/integrations/alertmanager/schemas";
import { problemSchema } from "./problem";
import type { ApiRoute } from "./router";
import { API_ROUTES } from "./routes";

const PROBLEM_TEXT: Record<number, string> = {
  400: "The path or query is not valid.",
  401: "No token, or an unknown, revoked or expired one.",
  403: "The token is read-only, or its role may not do this.",
  404: "No such incident or record.",
  405: "The path exists, the method does not.",
  409: "The record's state does not allow it, or it changed since you read it (stale: `current` holds it now).",
  413: "The body is over 1 MB.",
  415: "The body is not sent as application/json.",
  422: "The input breaks a rule: `field` and `errors` say which.",
};

const problemResponse = (status: number, description = PROBLEM_TEXT[status] ?? "A problem.") => ({
  description,
  content: { "application/problem+json": { schema: problemSchema } },
});

/** Alertmanager's webhook receiver: its own route (app/api/v1/integrations/alertmanager) and token, not an API_ROUTES entry. */
export const ALERTMANAGER_PATH = "/integrations/alertmanager";

const alertmanagerOperation: ZodOpenApiOperationObject = {
  operationId: "receiveAlertmanagerWebhook",
  summary: "Receive Alertmanager alerts (webhook format version 4)",
  description:
    "Point an Alertmanager `webhook_config` here, with `http_config.authorization.credentials` set to the integration's " +
    "token (an admin makes one under Integrations; `bo_am_…`, not an API token). Each alert is mapped to a service by the " +
    "integration's label: a firing alert opens an incident on that service or joins the one open, a resolved one is noted " +
    "on it. Resent alerts are counted once. Alerts that name no known service are answered `ignored`, not refused, so " +
    "Alertmanager does not retry them.",
  tags: ["Integrations"],
  "x-backout-scope": "write",
  "x-backout-change": "alertmanager.alert",
  security: [{ alertmanagerToken: [] }],
  requestBody: { required: true, content: { "application/json": { schema: webhookSchema } } },
  responses: {
    200: {
      description: "What became of each alert of the payload.",
      content: { "application/json": { schema: webhookAnswerSchema } },
    },
    400: problemResponse(400, "Not a webhook payload of format version 4 (not JSON, not an object, or a field is wrong)."),
    401: problemResponse(401, "No token, or not a live integration's: unknown, revoked, or its account disabled."),
    413: problemResponse(413),
    415: problemResponse(415),
  },
};

function operation(route: ApiRoute): ZodOpenApiOperationObject {
  const statuses = new Set<number>([400, 401, 403, ...route.problems, ...(route.body ? [413, 415, 422] : [])]);
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.tag],
    ...(route.change ? { "x-backout-scope": "write", "x-backout-change": route.change.action } : { "x-backout-scope": "read" }),
    requestParams: {
      ...(route.params ? { path: route.params } : {}),
      ...(route.query ? { query: route.query } : {}),
    },
    ...(route.body ? { requestBody: { required: true, content: { "application/json": { schema: route.body } } } } : {}),
    responses: {
      [route.status]: { description: route.responseDescription, content: { "application/json": { schema: route.response } } },
      ...Object.fromEntries([...statuses].sort().map((s) => [s, problemResponse(s)])),
    },
  };
}

export function buildOpenApiDocument(routes: readonly ApiRoute[] = API_ROUTES) {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route) };
  }
  paths[ALERTMANAGER_PATH] = { post: alertmanagerOperation };
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Backout API",
      version: "1.0.0",
      description:
        "Read and drive Backout's incidents from scripts and tools. Authenticate with an API token an admin created " +
        "(`Authorization: Bearer bo_api_…`): a read token reads, a write token also changes, each acting with its user's role. " +
        "Every change goes through the same checks and audit as the web UI. Lists are paged with `cursor` and `limit`; " +
        "errors are RFC 9457 problem details.",
    },
    servers: [{ url: "/api/v1" }],
    security: [{ bearerAuth: [] }],
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "A Backout API token (bo_api_…)." },
        alertmanagerToken: {
          type: "http",
          scheme: "bearer",
          description: "An Alertmanager integration's token (bo_am_…): it only delivers alerts.",
        },
      },
    },
    paths,
  });
}
