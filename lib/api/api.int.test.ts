// The REST API against the real database, from the caller's side: the route handler Next.js calls
// (app/api/v1/[...path]/route.ts) with real Requests and real tokens made by the admin's change.
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import * as catchAll from "@/app/api/v1/[...path]/route";
import { POST as receiveAlertmanager } from "@/app/api/v1/integrations/alertmanager/route";
import { GET as getOpenApi } from "@/app/api/v1/openapi.json/route";
import type { Actor } from "@/lib/audit/log";
import { setClock } from "@/lib/clock";
import { getDb } from "@/lib/db";
import { alertmanagerPayload } from "@/lib/testing/alertmanager-payload";
import { makeIncident, makeIntegration, makeService, makeUser } from "@/lib/testing/factories";
import { createApiTokenChange, revokeApiTokenChange } from "./mutations";
import { ALERTMANAGER_PATH } from "./openapi";
import { PROBLEM_CONTENT_TYPE, problemSchema } from "./problem";
import { API_ROUTES } from "./routes";
import type { CreateApiTokenInput } from "./schemas";

type Call = { token?: string | null; body?: unknown; raw?: string; headers?: Record<string, string>; query?: Record<string, string> };

async function call(method: string, path: string, options: Call = {}): Promise<Response> {
  const url = new URL(`http://backout.test/api/v1${path}`);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const handler = (catchAll as unknown as Record<string, (r: Request, c: unknown) => Promise<Response>>)[method];
  const segments = path.split("/").filter(Boolean).map(decodeURIComponent);
  return handler(new Request(url, { method, headers, body }), { params: Promise.resolve({ path: segments }) });
}

async function expectProblem(res: Response, status: number) {
  expect(res.status, await res.clone().text()).toBe(status);
  expect(res.headers.get("content-type")).toBe(PROBLEM_CONTENT_TYPE);
  const body = problemSchema.parse(await res.json());
  expect(body.status).toBe(status);
  expect(body.detail.length).toBeGreaterThan(5);
  return body;
}

let admin: Actor;
let responder: Actor;

async function makeToken(input: Partial<CreateApiTokenInput> & Pick<CreateApiTokenInput, "kind" | "scope">) {
  const outcome = await createApiTokenChange.run(admin, { name: "test token", expiresInDays: 0, ...input });
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.value;
}

const note = (text: string) => ({ text });

beforeAll(async () => {
  admin = await makeUser("ADMIN");
  responder = await makeUser("RESPONDER");
});

afterEach(() => setClock(null));

describe("API tokens", () => {
  it("shows the token once and stores only its hash; the audit row has neither", async () => {
    const { id, token, prefix } = await makeToken({ kind: "PERSONAL", userId: responder.id, scope: "READ" });
    expect(token).toMatch(/^bo_api_[\w-]{43}$/);
    expect(token.startsWith(prefix)).toBe(true);
    const row = await getDb().apiToken.findUniqueOrThrow({ where: { id }, select: { tokenHash: true } });
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.tokenHash).not.toContain(token);
    const audit = await getDb().auditLog.findFirstOrThrow({ where: { action: "api_token.create", entityId: id } });
    expect(JSON.stringify(audit.details)).not.toContain(token);
    expect(JSON.stringify(audit.details)).not.toContain(row.tokenHash);
  });

  it("only admins create or revoke tokens (refused and audited)", async () => {
    const refused = await createApiTokenChange.run(responder, {
      name: "mine",
      kind: "SERVICE",
      role: "ADMIN",
      scope: "WRITE",
      expiresInDays: 0,
    });
    expect(refused).toMatchObject({ ok: false, code: "forbidden" });
    expect(await getDb().auditLog.count({ where: { action: "api_token.create", outcome: "DENIED", actorId: responder.id } })).toBe(1);
  });

  it("a read token reads but cannot write: 403 problem, nothing written, the refusal audited with the token", async () => {
    const incident = await makeIncident();
    const { id, token } = await makeToken({ kind: "PERSONAL", userId: responder.id, scope: "READ" });
    const read = await call("GET", `/incidents/${incident.number}`, { token });
    expect(read.status).toBe(200);
    expect((await read.json()).ref).toBe(`INC-${incident.number}`);
    const before = await getDb().timelineEvent.count({ where: { incidentId: incident.id } });
    const problem = await expectProblem(
      await call("POST", `/incidents/${incident.number}/timeline`, { token, body: note("from a read token") }),
      403,
    );
    expect(problem.detail).toMatch(/read-only/);
    expect(await getDb().timelineEvent.count({ where: { incidentId: incident.id } })).toBe(before);
    const denied = await getDb().auditLog.findFirstOrThrow({
      where: { action: "timeline.add_note", outcome: "DENIED", actorId: responder.id },
      orderBy: { id: "desc" },
    });
    expect(denied.details).toMatchObject({ via: "API", apiToken: id, code: "forbidden" });
  });

  it("a write token's note goes through the change path: its entry comes from the API, its audit row names the token", async () => {
    const incident = await makeIncident();
    const { id, token } = await makeToken({ kind: "PERSONAL", userId: responder.id, scope: "WRITE" });
    const res = await call("POST", `/incidents/${incident.number}/timeline`, { token, body: note("Rolled the canary back by hand") });
    expect(res.status).toBe(201);
    const { id: eventId } = await res.json();
    const event = await getDb().timelineEvent.findUniqueOrThrow({ where: { id: eventId } });
    expect(event).toMatchObject({ source: "API", actorId: responder.id, kind: "NOTE", message: "Rolled the canary back by hand" });
    const allowed = await getDb().auditLog.findFirstOrThrow({
      where: { action: "timeline.add_note", outcome: "ALLOWED", entityId: eventId },
    });
    expect(allowed.details).toMatchObject({ via: "API", apiToken: id });
    expect(allowed.actorId).toBe(responder.id);
    // The timeline read back through the API says where the entry came from.
    const page = await (await call("GET", `/incidents/${incident.number}/timeline`, { token, query: { categories: "notes" } })).json();
    expect(page.items.map((e: { source: string; message: string }) => [e.source, e.message])).toEqual([
      ["API", "Rolled the canary back by hand"],
    ]);
    expect((await getDb().apiToken.findUniqueOrThrow({ where: { id } })).lastUsedAt).not.toBeNull();
  });

  it("the same authorisation as the UI: a stakeholder's write token is refused by role (403, audited)", async () => {
    const incident = await makeIncident();
    const viewer = await makeUser("VIEWER");
    const { token } = await makeToken({ kind: "PERSONAL", userId: viewer.id, scope: "WRITE" });
    const problem = await expectProblem(await call("POST", `/incidents/${incident.number}/timeline`, { token, body: note("nope") }), 403);
    expect(problem.code).toBe("forbidden");
    expect(await getDb().auditLog.count({ where: { action: "timeline.add_note", outcome: "DENIED", actorId: viewer.id } })).toBe(1);
    expect(await getDb().timelineEvent.count({ where: { incidentId: incident.id, kind: "NOTE" } })).toBe(0);
  });

  it("a service token acts as its own account with the role the admin chose", async () => {
    const incident = await makeIncident();
    const { id, token } = await makeToken({ kind: "SERVICE", role: "RESPONDER", scope: "WRITE", name: "deploy bot" });
    const res = await call("POST", `/incidents/${incident.number}/timeline`, { token, body: note("deploy bot paused the pipeline") });
    expect(res.status).toBe(201);
    const owner = await getDb().apiToken.findUniqueOrThrow({
      where: { id },
      select: { user: { select: { serviceAccount: true, role: true, name: true } } },
    });
    expect(owner.user).toEqual({ serviceAccount: true, role: "RESPONDER", name: "deploy bot (service token)" });
  });

  it("a revoked token is refused on its very next request", async () => {
    const incident = await makeIncident();
    const { id, token } = await makeToken({ kind: "PERSONAL", userId: responder.id, scope: "WRITE" });
    expect((await call("GET", `/incidents/${incident.number}`, { token })).status).toBe(200);
    const revoked = await revokeApiTokenChange.run(admin, { tokenId: id });
    expect(revoked.ok).toBe(true);
    const problem = await expectProblem(await call("GET", `/incidents/${incident.number}`, { token }), 401);
    expect(problem.detail).toMatch(/revoked/);
    await expectProblem(await call("POST", `/incidents/${incident.number}/timeline`, { token, body: note("after revoke") }), 401);
    expect(await getDb().auditLog.count({ where: { action: "api.authenticate", outcome: "DENIED", entityId: id } })).toBe(2);
    // Revoking twice is refused, not silently repeated.
    expect(await revokeApiTokenChange.run(admin, { tokenId: id })).toMatchObject({ ok: false, code: "conflict" });
  });

  it("an expired token is refused the moment it expires", async () => {
    const incident = await makeIncident();
    const { token } = await makeToken({ kind: "PERSONAL", userId: responder.id, scope: "READ", expiresInDays: 7 });
    const start = Date.now();
    setClock(() => start + 7 * 86_400_000 - 5_000);
    expect((await call("GET", `/incidents/${incident.number}`, { token })).status).toBe(200);
    setClock(() => start + 7 * 86_400_000 + 5_000);
    expect((await expectProblem(await call("GET", `/incidents/${incident.number}`, { token }), 401)).detail).toMatch(/expired/);
  });

  it("a personal token of a disabled person is refused; unknown and malformed tokens are refused without an audit row", async () => {
    const person = await makeUser("RESPONDER");
    const { token } = await makeToken({ kind: "PERSONAL", userId: person.id, scope: "READ" });
    await getDb().user.update({ where: { id: person.id }, data: { disabledAt: new Date() } });
    await expectProblem(await call("GET", "/incidents", { token }), 401);
    const auditsBefore = await getDb().auditLog.count();
    await expectProblem(await call("GET", "/incidents", { token: `bo_api_${"x".repeat(43)}` }), 401);
    await expectProblem(await call("GET", "/incidents", { token: null }), 401);
    await expectProblem(await call("GET", "/incidents", { headers: { authorization: "Basic dXNlcjpwdw==" } }), 401);
    expect(await getDb().auditLog.count()).toBe(auditsBefore);
  });

  it("a session cookie is not a credential for the API", async () => {
    await expectProblem(await call("GET", "/incidents", { headers: { cookie: "authjs.session-token=anything" } }), 401);
  });
});

describe("every route", () => {
  let token: string;
  let incident: { id: string; number: number; serviceId: string };

  beforeAll(async () => {
    incident = await makeIncident();
    token = (await makeToken({ kind: "PERSONAL", userId: responder.id, scope: "WRITE" })).token;
  });

  const dueDay = () => new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  const actionItemBody = () => ({
    title: "Alert on checkout error rate",
    ownerId: responder.id,
    dueDay: dueDay(),
    priority: "HIGH",
    horizon: "SHORT_TERM",
    verification: "The alert fires in staging",
  });
  /** The incident's newest action item (the walk creates one before reading it). */
  const anItem = async () =>
    getDb().actionItem.findFirstOrThrow({
      where: { incidentId: incident.id },
      orderBy: { createdAt: "desc" },
      select: { id: true, version: true, status: true },
    });

  /** A request each documented operation answers with its success status. */
  const valid = (
    serviceId: string,
    latestUpdate: () => Promise<number>,
  ): Record<string, () => Promise<{ path: string; body?: unknown; query?: Record<string, string> }>> => ({
    recordDeployment: async () => ({
      path: "/deployments",
      body: {
        service: (await getDb().service.findUniqueOrThrow({ where: { id: serviceId } })).slug,
        version: "v9.0.0",
        previousVersion: "v8.9.0",
      },
    }),
    listIncidents: async () => ({ path: "/incidents", query: { limit: "2" } }),
    declareIncident: async () => ({
      path: "/incidents",
      body: {
        title: "Checkout errors after v9",
        serviceId,
        badVersion: "v9.0.0",
        previousVersion: "v8.9.0",
        severity: "SEV2",
        deployedAt: new Date(Date.now() - 600_000).toISOString(),
        detectedAt: new Date(Date.now() - 300_000).toISOString(),
      },
    }),
    getIncident: async () => ({ path: `/incidents/${incident.number}` }),
    getTimeline: async () => ({ path: `/incidents/${incident.number}/timeline`, query: { order: "newest" } }),
    addTimelineNote: async () => ({ path: `/incidents/${incident.number}/timeline`, body: note("walked") }),
    listDecisions: async () => ({ path: `/incidents/${incident.number}/decisions` }),
    listRuns: async () => ({ path: `/incidents/${incident.number}/runs` }),
    getChecklist: async () => ({ path: `/incidents/${incident.number}/checklist` }),
    listDocuments: async () => ({ path: `/incidents/${incident.number}/documents` }),
    listIncidentActionItems: async () => ({ path: `/incidents/${incident.number}/action-items` }),
    listStatusUpdates: async () => ({ path: `/incidents/${incident.number}/status-updates` }),
    createActionItem: async () => ({ path: `/incidents/${incident.number}/action-items`, body: actionItemBody() }),
    getActionItem: async () => ({ path: `/action-items/${(await anItem()).id}` }),
    updateActionItem: async () => {
      const item = await anItem();
      return { path: `/action-items/${item.id}`, body: { ...actionItemBody(), title: `Renamed ${item.version}`, version: item.version } };
    },
    setActionItemStatus: async () => {
      const item = await anItem();
      return {
        path: `/action-items/${item.id}/status`,
        body: {
          version: item.version,
          status: item.status === "DONE" ? "IN_PROGRESS" : "DONE",
          completionNote: "Checked the alert fired in staging",
        },
      };
    },
    postStatusUpdate: async () => ({
      path: `/incidents/${incident.number}/status-updates`,
      body: {
        after: await latestUpdate(),
        status: "Rolling back",
        impact: "Checkout slow",
        actions: "Switching to blue",
        nextUpdateInMinutes: 30,
      },
    }),
  });

  it("the served OpenAPI document validates, and every operation in it answers as documented", async () => {
    const res = getOpenApi();
    expect(res.status).toBe(200);
    const doc = await res.json();
    const validation = await new Validator().validate(doc);
    expect(validation.errors ?? []).toEqual([]);
    expect(validation.valid).toBe(true);
    expect(doc.openapi).toBe("3.1.0");

    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(doc, "openapi");
    const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");
    const service = await makeService();
    const requests = valid(service.id, async () => await getDb().statusUpdate.count({ where: { incidentId: incident.id } }));
    // Alertmanager's receiver is its own route with its own token (an integration's), documented beside the API's.
    const integration = await makeIntegration(admin, { defaultSeverity: "SEV3" });
    const alertmanager = (body: unknown, token: string | null = integration.token) =>
      receiveAlertmanager(
        new Request(`http://backout.test/api/v1${ALERTMANAGER_PATH}`, {
          method: "POST",
          headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(body),
        }),
      );
    const { slug } = await getDb().service.findUniqueOrThrow({ where: { id: service.id }, select: { slug: true } });
    const one = alertmanagerPayload(slug, { status: "firing", fingerprint: "a1b2c3", startsAt: "2026-12-05T23:00:00Z" });
    // With an alert that names no service (answered "ignored") and one with the optional fields left out.
    const amPayload = {
      ...one,
      alerts: [
        ...one.alerts,
        { status: "firing", labels: { alertname: "Other" }, startsAt: "2026-12-05T23:00:00Z", fingerprint: "d4e5f6" },
      ],
    };
    requests.receiveAlertmanagerWebhook = async () => ({ path: ALERTMANAGER_PATH, body: amPayload });
    const walked: string[] = [];
    for (const [path, item] of Object.entries(
      doc.paths as Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>,
    )) {
      for (const [method, op] of Object.entries(item)) {
        const make = requests[op.operationId];
        expect(make, `a request for ${op.operationId}`).toBeDefined();
        const request = await make();
        const answer =
          path === ALERTMANAGER_PATH
            ? await alertmanager(request.body)
            : await call(method.toUpperCase(), request.path, { token, body: request.body, query: request.query });
        const success = Object.keys(op.responses).find((s) => s.startsWith("2"));
        expect(String(answer.status), `${op.operationId}: ${await answer.clone().text()}`).toBe(success);
        expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
        const check = ajv.compile({
          $ref: `openapi#/${pointer("paths", path, method, "responses", success as string, "content", "application/json", "schema")}`,
        });
        const body = await answer.json();
        expect(check(body), `${op.operationId}: ${JSON.stringify(check.errors)}`).toBe(true);
        walked.push(op.operationId);
      }
    }
    expect(walked.sort()).toEqual([...API_ROUTES.map((r) => r.operationId), "receiveAlertmanagerWebhook"].sort());

    // The receiver as documented: its own token, the v4 payload it takes (and not another version), its answers.
    const receiver = doc.paths[ALERTMANAGER_PATH].post;
    expect(receiver.security).toEqual([{ alertmanagerToken: [] }]);
    expect(doc.components.securitySchemes.alertmanagerToken).toMatchObject({ type: "http", scheme: "bearer" });
    expect(Object.keys(receiver.responses).sort()).toEqual(["200", "400", "401", "413", "415"]);
    const payloadCheck = ajv.compile({
      $ref: `openapi#/${pointer("paths", ALERTMANAGER_PATH, "post", "requestBody", "content", "application/json", "schema")}`,
    });
    expect(payloadCheck(amPayload), JSON.stringify(payloadCheck.errors)).toBe(true);
    expect(payloadCheck({ ...amPayload, version: "3" })).toBe(false);
    expect(payloadCheck({ ...amPayload, alerts: [{ ...amPayload.alerts[0], fingerprint: undefined }] })).toBe(false);
    for (const [status, answer] of [
      ["400", await alertmanager({ ...amPayload, version: "3" })],
      ["401", await alertmanager(amPayload, null)],
      ["401", await alertmanager(amPayload, token)],
    ] as const) {
      expect(answer.status).toBe(Number(status));
      const check = ajv.compile({
        $ref: `openapi#/${pointer("paths", ALERTMANAGER_PATH, "post", "responses", status, "content", "application/problem+json", "schema")}`,
      });
      expect(check(await answer.json())).toBe(true);
    }
  });

  it("every route rejects bad input with a 4xx problem+json, and changes nothing", async () => {
    const item = await getDb().actionItem.create({
      data: { incidentId: incident.id, title: "Existing item", ownerId: responder.id, verification: "checked" },
      select: { id: true },
    });
    const counts = () =>
      Promise.all([
        getDb().incident.count(),
        getDb().timelineEvent.count(),
        getDb().statusUpdate.count(),
        getDb().actionItem.count(),
        getDb().release.count(),
        getDb().actionItem.findUniqueOrThrow({ where: { id: item.id } }),
      ]);
    const countsBefore = await counts();
    const fill = (template: string, values: { number?: string; id?: string }) =>
      template.replace("{number}", values.number ?? String(incident.number)).replace("{id}", values.id ?? item.id);
    for (const route of API_ROUTES) {
      const real = fill(route.path, {});
      const label = `${route.method} ${route.path}`;
      const send = (path: string, extra: Call = {}) => call(route.method, path, { token, body: route.body ? {} : undefined, ...extra });
      // No token, a bad path, a missing record, a bad query.
      await expectProblem(await send(real, { token: null }), 401);
      if (route.path.includes("{number}")) {
        await expectProblem(await send(fill(route.path, { number: "abc" })), 400);
        await expectProblem(await send(fill(route.path, { number: "1.5" })), 400);
        await expectProblem(await send(fill(route.path, { number: "999999998" }), route.body ? { body: { anything: 1 } } : {}), 404);
      }
      if (route.path.includes("{id}")) {
        await expectProblem(await send(fill(route.path, { id: "a.b" })), 400);
        await expectProblem(await send(fill(route.path, { id: "x".repeat(65) })), 400);
        await expectProblem(await send(fill(route.path, { id: "no-such-item" }), route.body ? { body: { anything: 1 } } : {}), 404);
      }
      if (route.query) {
        await expectProblem(await send(real, { query: { limit: "0" } }), 400);
        await expectProblem(await send(real, { query: { limit: "many" } }), 400);
        await expectProblem(await send(real, { query: { cursor: "%%%" } }), 400);
      }
      if (route.body) {
        await expectProblem(await send(real, { raw: "{}", headers: { "content-type": "text/plain" } }), 415);
        await expectProblem(await send(real, { raw: "{not json", headers: { "content-type": "application/json" } }), 400);
        await expectProblem(await send(real, { raw: "[1,2]", headers: { "content-type": "application/json" } }), 422);
        await expectProblem(
          await send(real, { raw: JSON.stringify({ text: "x".repeat(1024 * 1024) }), headers: { "content-type": "application/json" } }),
          413,
        );
        const empty = await expectProblem(await send(real, { body: {} }), 422);
        expect(empty.code, label).toBe("invalid");
        expect(empty.errors?.length, label).toBeGreaterThan(0);
        const wrongTypes = await expectProblem(
          await send(real, { body: { text: 7, title: 7, after: "x", severity: "SEV9", version: "x", status: "LOST", ownerId: 3 } }),
          422,
        );
        expect(wrongTypes.field, label).toBeTruthy();
      }
    }
    // Unknown paths and methods are problems too.
    await expectProblem(await call("GET", "/nothing-here", { token }), 404);
    await expectProblem(await call("DELETE", `/incidents/${incident.number}`, { token }), 405);
    expect(await counts()).toEqual(countsBefore);
  });

  it("pages with a cursor: every incident once, in order", async () => {
    for (let i = 0; i < 3; i++) await makeIncident();
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await call("GET", "/incidents", { token, query: { limit: "2", ...(cursor ? { cursor } : {}) } });
      expect(res.status).toBe(200);
      const page = (await res.json()) as { items: { number: number }[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.number));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(await getDb().incident.count());
  });

  it("action items made and changed through the API: timeline entries from the API, a stale update refused with the item now", async () => {
    const fresh = await makeIncident();
    const created = await call("POST", `/incidents/${fresh.number}/action-items`, { token, body: actionItemBody() });
    expect(created.status, await created.clone().text()).toBe(201);
    const item = await created.json();
    expect(item).toMatchObject({ title: "Alert on checkout error rate", owner: { id: responder.id }, status: "NOT_STARTED", version: 1 });
    const update = { ...actionItemBody(), title: "Alert on checkout p99 too", version: 1 };
    expect((await call("PUT", `/action-items/${item.id}`, { token, body: update })).status).toBe(200);
    const stale = await expectProblem(
      await call("PUT", `/action-items/${item.id}`, { token, body: { ...update, title: "Lost update" } }),
      409,
    );
    expect(stale.code).toBe("stale");
    expect(stale.current).toMatchObject({ title: "Alert on checkout p99 too" });
    const entries = await getDb().timelineEvent.findMany({
      where: { incidentId: fresh.id, kind: { in: ["ACTION_ITEM_ADDED", "ACTION_ITEM_UPDATED"] } },
      orderBy: { recordedAt: "asc" },
      select: { kind: true, source: true },
    });
    expect(entries).toEqual([
      { kind: "ACTION_ITEM_ADDED", source: "API" },
      { kind: "ACTION_ITEM_UPDATED", source: "API" },
    ]);
  });

  it("a stale stakeholder update is refused with 409 and the newer update", async () => {
    const fresh = await makeIncident();
    const body = { after: 0, status: "Investigating", impact: "Some users", actions: "Looking", nextUpdateInMinutes: 30 };
    expect((await call("POST", `/incidents/${fresh.number}/status-updates`, { token, body })).status).toBe(201);
    const stale = await expectProblem(await call("POST", `/incidents/${fresh.number}/status-updates`, { token, body }), 409);
    expect(stale.code).toBe("stale");
    expect(stale.current).toMatchObject({ sequence: 1 });
  });
});
