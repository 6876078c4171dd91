// Outbound notifications against a real PostgreSQL and real HTTP receivers on 127.0.0.1: the
// delivery is queued in the declaring transaction, sent by the destination's job, verified by the
// receiver with the documented snippet, retried with backoff, failed with the receiver's answer,
// sent again by an admin, and kept in order per destination.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { NotificationEvent } from "@/generated/prisma/enums";
import type { Actor } from "@/lib/audit/log";
import { getDb } from "@/lib/db";
import { declareIncidentChange } from "@/lib/incidents/mutations";
import { postStatusUpdateChange } from "@/lib/status-updates/mutations";
import { makeIncident, makeService, makeUser } from "@/lib/testing/factories";
import { queuedJobs, runDueJobs } from "@/lib/testing/jobs";
import { closeServer, freePort, HOST } from "@/lib/testing/prometheus-harness";
import { addNoteChange } from "@/lib/timeline/mutations";
import { signature } from "./format";
import { createDestinationChange, disableDestinationChange, resendDeliveryChange } from "./mutations";
import { recordOverdueActionItems } from "./overdue";
import type { DeliverySettings } from "./settings";
import { slackIncomingWebhookSchema } from "./slack-schema";
import { VERIFY_SNIPPET } from "./verify-snippet";

const ROOT = path.resolve(import.meta.dirname, "../..");
const db = () => getDb();
const servers: http.Server[] = [];
const destinations: string[] = [];
const tmp = mkdtempSync(path.join(tmpdir(), "backout-notify-"));

/** Small enough for a test: three attempts, 150 ms then 300 ms apart. */
const SETTINGS: DeliverySettings = { maxAttempts: 3, backoffMs: 150, maxBackoffMs: 1_000, timeoutMs: 3_000 };

afterEach(async () => {
  await Promise.all(servers.splice(0).map(closeServer));
});

afterAll(async () => {
  // Later test files declare incidents too: nothing of this file's keeps listening to them.
  await db().notificationDestination.updateMany({ where: { id: { in: destinations } }, data: { disabledAt: new Date() } });
  rmSync(tmp, { recursive: true, force: true });
});

type Received = { path: string; headers: http.IncomingHttpHeaders; rawBody: string; at: number };

/** A receiver on 127.0.0.1 that records every request and answers with `answer(n)` (n = 0, 1, …). */
async function startReceiver(
  port = 0,
  answer: (n: number) => { status: number; body?: string; delayMs?: number } = () => ({ status: 200 }),
) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const a = answer(received.length);
      received.push({ path: req.url ?? "", headers: req.headers, rawBody: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
      setTimeout(() => {
        res.writeHead(a.status, { "content-type": "text/plain" });
        res.end(a.body ?? "ok");
      }, a.delayMs ?? 0);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, HOST, resolve));
  return { received, port: (server.address() as { port: number }).port, server };
}

/** The documented snippet, exactly, loaded as the receiver's module. */
function loadSnippet(): { verifyBackoutSignature: (secret: string, headers: Record<string, unknown>, rawBody: string) => boolean } {
  const file = path.join(tmp, "verify.cjs");
  writeFileSync(file, VERIFY_SNIPPET);
  return createRequire(import.meta.url)(file);
}

async function addDestination(
  admin: Actor,
  input: { format: "SLACK" | "SIGNED_JSON"; url: string; events: NotificationEvent[]; serviceId?: string },
) {
  const created = await createDestinationChange.runOrThrow(admin, { name: `dest ${Math.random().toString(36).slice(2, 9)}`, ...input });
  destinations.push(created.id);
  return created;
}

function declare(actor: Actor, serviceId: string, title = "Checkout fails after v2.5.1") {
  const now = Date.now();
  return declareIncidentChange.runOrThrow(actor, {
    title,
    serviceId,
    badVersion: "v2.5.1",
    previousVersion: "v2.5.0",
    severity: "SEV2",
    deployedAt: new Date(now - 30 * 60_000).toISOString(),
    detectedAt: new Date(now - 60_000).toISOString(),
  });
}

async function waitUntilDue(destinationId: string) {
  const head = await db().notificationDelivery.findFirst({
    where: { destinationId, status: { in: ["PENDING", "RETRYING"] } },
    orderBy: { sequence: "asc" },
  });
  if (head) await new Promise((r) => setTimeout(r, Math.max(0, head.nextAttemptAt.getTime() - Date.now()) + 20));
}

describe("notifications", () => {
  it("the signed JSON and the Slack message of a declared incident reach their receivers; the documented snippet verifies the signature", async () => {
    const admin = await makeUser("ADMIN");
    const responder = await makeUser("RESPONDER");
    const service = await makeService();
    const receiver = await startReceiver();
    const signed = await addDestination(admin, {
      format: "SIGNED_JSON",
      url: `http://${HOST}:${receiver.port}/hooks/backout?key=do-not-log-me`,
      events: ["INCIDENT_DECLARED", "INCIDENT_RESOLVED"],
      serviceId: service.id,
    });
    const slack = await addDestination(admin, {
      format: "SLACK",
      url: `http://${HOST}:${receiver.port}/services/T000/B000/slack-secret-path`,
      events: ["INCIDENT_DECLARED"],
      serviceId: service.id,
    });
    expect(signed.secret).toMatch(/^bo_whsec_/);
    expect(slack.secret).toBeNull();
    // The audit rows name the host, never the URL's path, query or the secret.
    const audits = await db().auditLog.findMany({
      where: { action: "notification_destination.create", entityId: { in: [signed.id, slack.id] } },
    });
    expect(audits).toHaveLength(2);
    for (const a of audits) {
      const text = JSON.stringify(a.details);
      expect(text).toContain(`${HOST}:${receiver.port}`);
      expect(text).not.toMatch(/do-not-log-me|slack-secret-path|hooks\/backout|bo_whsec_/);
    }

    const incident = await declare(responder, service.id, "Checkout <!channel> fails & more");
    // Queued with the declaration, not sent by it.
    const queued = await db().notificationDelivery.findMany({ where: { incidentId: incident.id }, orderBy: { sequence: "asc" } });
    expect(queued.map((d) => [d.destinationId, d.event, d.status])).toEqual([
      [signed.id, "INCIDENT_DECLARED", "PENDING"],
      [slack.id, "INCIDENT_DECLARED", "PENDING"],
    ]);
    expect(receiver.received).toHaveLength(0);
    const jobs = await queuedJobs("notification.deliver");
    expect(jobs.map((j) => j.queue)).toEqual(expect.arrayContaining([`notify:${signed.id}`, `notify:${slack.id}`]));

    await runDueJobs(SETTINGS);
    expect(receiver.received).toHaveLength(2);
    const json = receiver.received.find((r) => r.path.startsWith("/hooks/"));
    const slackReq = receiver.received.find((r) => r.path.startsWith("/services/"));
    if (!json || !slackReq) throw new Error("a receiver got nothing");

    // The receiver's side, with exactly the documented snippet.
    const { verifyBackoutSignature } = loadSnippet();
    expect(verifyBackoutSignature(signed.secret as string, json.headers, json.rawBody)).toBe(true);
    expect(verifyBackoutSignature(signed.secret as string, json.headers, json.rawBody.replace("Checkout", "Checkouts"))).toBe(false);
    expect(verifyBackoutSignature("bo_whsec_someone-else", json.headers, json.rawBody)).toBe(false);
    // Replay window: a correctly signed body from 10 minutes ago is refused.
    const old = Math.floor(Date.now() / 1000) - 600;
    const replayed = { "x-backout-timestamp": String(old), "x-backout-signature": signature(signed.secret as string, old, json.rawBody) };
    expect(verifyBackoutSignature(signed.secret as string, replayed, json.rawBody)).toBe(false);
    // README carries the same snippet, verbatim.
    expect(readFileSync(path.join(ROOT, "README.md"), "utf8")).toContain(VERIFY_SNIPPET.trim());

    const body = JSON.parse(json.rawBody);
    expect(body).toMatchObject({
      id: queued[0]?.id,
      event: "incident.declared",
      actor: responder.name,
      incident: {
        id: incident.id,
        number: incident.number,
        title: "Checkout <!channel> fails & more",
        severity: "SEV2",
        service: service.name,
      },
    });
    expect(json.headers["x-backout-event"]).toBe("incident.declared");
    expect(json.headers["x-backout-delivery"]).toBe(queued[0]?.id);

    // The Slack body keeps to Slack's documented schema, with people's words escaped.
    const message = JSON.parse(slackReq.rawBody);
    expect(slackIncomingWebhookSchema.safeParse(message).error?.issues ?? []).toEqual([]);
    expect(slackReq.rawBody).toContain("&lt;!channel&gt;");
    expect(slackReq.rawBody).not.toContain("<!channel>");
    expect(slackReq.headers["x-backout-signature"]).toBeUndefined();

    const sent = await db().notificationDelivery.findMany({ where: { incidentId: incident.id } });
    expect(sent.map((d) => [d.status, d.attempts, d.lastStatus])).toEqual([
      ["SENT", 1, 200],
      ["SENT", 1, 200],
    ]);
  });

  it("a dead receiver never delays the declaration; the delivery is retried, marked failed with the error, and sent again once the receiver is back", async () => {
    const admin = await makeUser("ADMIN");
    const responder = await makeUser("RESPONDER");
    const service = await makeService();
    const port = await freePort();
    const dest = await addDestination(admin, {
      format: "SIGNED_JSON",
      url: `http://${HOST}:${port}/down/secret-path-123`,
      events: ["INCIDENT_DECLARED"],
      serviceId: service.id,
    });

    const started = performance.now();
    const incident = await declare(responder, service.id);
    const took = performance.now() - started;
    // The send is the job's: the declaration takes a fraction of one attempt's time limit.
    expect(took).toBeLessThan(SETTINGS.timeoutMs / 3);

    const delivery = await db().notificationDelivery.findFirstOrThrow({ where: { incidentId: incident.id, destinationId: dest.id } });
    const seen: string[] = [];
    const waits: number[] = [];
    for (let i = 0; i < SETTINGS.maxAttempts; i++) {
      await waitUntilDue(dest.id);
      await runDueJobs(SETTINGS);
      const row = await db().notificationDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
      seen.push(`${row.status}:${row.attempts}`);
      if (row.status === "RETRYING") waits.push(row.nextAttemptAt.getTime() - (row.lastAttemptAt?.getTime() ?? 0));
    }
    expect(seen).toEqual(["RETRYING:1", "RETRYING:2", "FAILED:3"]);
    // Exponential backoff: the base, then twice the base.
    expect(waits).toEqual([SETTINGS.backoffMs, 2 * SETTINGS.backoffMs]);
    const failed = await db().notificationDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(failed.lastStatus).toBeNull();
    expect(failed.lastAnswer).toContain(`could not reach ${HOST}:${port}`);
    expect(failed.lastAnswer).not.toContain("secret-path-123");
    expect(failed.sentAt).toBeNull();

    // Nothing more happens on its own.
    await runDueJobs(SETTINGS);
    expect((await db().notificationDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).attempts).toBe(3);

    const receiver = await startReceiver(port);
    await resendDeliveryChange.runOrThrow(admin, { deliveryId: delivery.id });
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: "notification_delivery.resend", entityId: delivery.id } });
    expect(audit).toMatchObject({ outcome: "ALLOWED", actorId: admin.id, incidentId: incident.id });
    await runDueJobs(SETTINGS);
    expect(receiver.received).toHaveLength(1);
    expect(JSON.parse(receiver.received[0]?.rawBody ?? "{}").id).toBe(delivery.id);
    const sent = await db().notificationDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect([sent.status, sent.attempts, sent.lastStatus]).toEqual(["SENT", 1, 200]);
    // A delivery that is waiting or was just sent again is not queued twice over.
    const again = await resendDeliveryChange.run(admin, { deliveryId: delivery.id });
    expect(again.ok).toBe(true);
    const twice = await resendDeliveryChange.run(admin, { deliveryId: delivery.id });
    expect(twice).toMatchObject({ ok: false, code: "conflict" });
    await disableDestinationChange.runOrThrow(admin, { destinationId: dest.id });
    await runDueJobs(SETTINGS);
    expect(await db().notificationDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({
      status: "FAILED",
      lastAnswer: "The destination was disabled before this was sent.",
    });
  });

  it("a receiver that hangs costs the job one time limit per attempt, never the person declaring", async () => {
    const admin = await makeUser("ADMIN");
    const responder = await makeUser("RESPONDER");
    const service = await makeService();
    const receiver = await startReceiver(0, () => ({ status: 200, delayMs: 5_000 }));
    const dest = await addDestination(admin, {
      format: "SLACK",
      url: `http://${HOST}:${receiver.port}/slow`,
      events: ["INCIDENT_DECLARED"],
      serviceId: service.id,
    });
    const started = performance.now();
    await declare(responder, service.id);
    expect(performance.now() - started).toBeLessThan(1_000);
    const jobStarted = performance.now();
    await runDueJobs({ ...SETTINGS, timeoutMs: 300 });
    expect(performance.now() - jobStarted).toBeLessThan(3_000);
    const row = await db().notificationDelivery.findFirstOrThrow({ where: { destinationId: dest.id } });
    expect([row.status, row.attempts]).toEqual(["RETRYING", 1]);
    expect(row.lastAnswer).toBe(`${HOST}:${receiver.port} gave no answer within 300 ms`);
    await disableDestinationChange.runOrThrow(admin, { destinationId: dest.id });
  });

  it("keeps each destination's order: a failing first delivery holds back the later ones until it is through", async () => {
    const admin = await makeUser("ADMIN");
    const responder = await makeUser("RESPONDER");
    // The first request is refused (503), every later one accepted.
    const receiver = await startReceiver(0, (n) => (n === 0 ? { status: 503, body: "busy, try later" } : { status: 200 }));
    const services = [await makeService(), await makeService(), await makeService()];
    // Unfiltered (every service): disabled again in afterAll.
    const dest = await addDestination(admin, {
      format: "SIGNED_JSON",
      url: `http://${HOST}:${receiver.port}/ordered`,
      events: ["INCIDENT_DECLARED"],
    });
    const incidents = [];
    for (const s of services) incidents.push(await declare(responder, s.id, `Ordered incident on ${s.name}`));

    await runDueJobs(SETTINGS);
    // Only the first was tried; the two after it wait behind it.
    expect(receiver.received.map((r) => JSON.parse(r.rawBody).incident.id)).toEqual([incidents[0]?.id]);
    const first = await db().notificationDelivery.findFirstOrThrow({ where: { destinationId: dest.id, incidentId: incidents[0]?.id } });
    expect([first.status, first.lastStatus, first.lastAnswer]).toEqual([
      "RETRYING",
      503,
      `${HOST}:${receiver.port} answered 503: busy, try later`,
    ]);

    await waitUntilDue(dest.id);
    await runDueJobs(SETTINGS);
    expect(receiver.received.map((r) => JSON.parse(r.rawBody).incident.id)).toEqual([
      incidents[0]?.id,
      incidents[0]?.id,
      incidents[1]?.id,
      incidents[2]?.id,
    ]);
    const rows = await db().notificationDelivery.findMany({ where: { destinationId: dest.id }, orderBy: { sequence: "asc" } });
    expect(rows.map((r) => r.status)).toEqual(["SENT", "SENT", "SENT"]);
    await disableDestinationChange.runOrThrow(admin, { destinationId: dest.id });
  });

  it("any change that writes a notified timeline entry queues it (a stakeholder update), and other entries (a note) queue nothing", async () => {
    const admin = await makeUser("ADMIN");
    const responder = await makeUser("RESPONDER");
    const incident = await makeIncident();
    const dest = await addDestination(admin, {
      format: "SLACK",
      url: "https://hooks.example.com/services/T/B/x",
      events: ["STATUS_UPDATE_POSTED"],
      serviceId: incident.serviceId,
    });
    await addNoteChange.runOrThrow(responder, { incidentId: incident.id, text: "First customer report" });
    expect(await db().notificationDelivery.count({ where: { destinationId: dest.id } })).toBe(0);
    await postStatusUpdateChange.runOrThrow(responder, {
      incidentId: incident.id,
      after: 0,
      status: "Checkout works again for most people",
      impact: "About 5 % of checkouts failed",
      actions: "Verifying the rollback",
      nextUpdateInMinutes: 30,
    });
    const rows = await db().notificationDelivery.findMany({ where: { destinationId: dest.id } });
    expect(rows.map((r) => [r.event, r.incidentId, r.status])).toEqual([["STATUS_UPDATE_POSTED", incident.id, "PENDING"]]);
    expect((rows[0]?.payload as { actor?: string } | undefined)?.actor).toBe(responder.name);
    await disableDestinationChange.runOrThrow(admin, { destinationId: dest.id });
  });

  it("records an overdue action item once, and its notification with it", async () => {
    const admin = await makeUser("ADMIN");
    const incident = await makeIncident();
    const receiver = await startReceiver();
    const dest = await addDestination(admin, {
      format: "SIGNED_JSON",
      url: `http://${HOST}:${receiver.port}/overdue`,
      events: ["ACTION_ITEM_OVERDUE"],
      serviceId: incident.serviceId,
    });
    const item = await db().actionItem.create({
      data: { incidentId: incident.id, title: "Alert on pool exhaustion", dueDate: new Date(Date.now() - 3 * 86_400_000) },
    });
    const notYet = await db().actionItem.create({
      data: { incidentId: incident.id, title: "Due tomorrow", dueDate: new Date(Date.now() + 86_400_000) },
    });
    expect(await recordOverdueActionItems()).toBeGreaterThanOrEqual(1);
    expect(await recordOverdueActionItems()).toBe(0);
    expect((await db().actionItem.findUniqueOrThrow({ where: { id: item.id } })).overdueAt).not.toBeNull();
    expect((await db().actionItem.findUniqueOrThrow({ where: { id: notYet.id } })).overdueAt).toBeNull();
    const entries = await db().timelineEvent.findMany({ where: { incidentId: incident.id, kind: "ACTION_ITEM_OVERDUE" } });
    expect(entries.map((e) => e.message)).toEqual([expect.stringContaining("Alert on pool exhaustion")]);
    await runDueJobs(SETTINGS);
    expect(receiver.received.map((r) => JSON.parse(r.rawBody).event)).toEqual(["action_item.overdue"]);
    expect((await db().notificationDelivery.findFirstOrThrow({ where: { destinationId: dest.id } })).status).toBe("SENT");
  });

  it("refuses people who are not admins, from the caller's side, and audits each refusal", async () => {
    const admin = await makeUser("ADMIN");
    const service = await makeService();
    const dest = await addDestination(admin, {
      format: "SLACK",
      url: "https://hooks.example.com/T/B/x",
      events: ["INCIDENT_RESOLVED"],
      serviceId: service.id,
    });
    const incident = await makeIncident();
    const delivery = await db().notificationDelivery.create({
      data: { destinationId: dest.id, event: "INCIDENT_RESOLVED", incidentId: incident.id, payload: {}, status: "FAILED", attempts: 3 },
    });
    for (const role of ["RESPONDER", "RELEASE_MANAGER", "VIEWER"] as const) {
      const caller = await makeUser(role);
      const create = await createDestinationChange.run(caller, {
        name: `stolen ${role}`,
        format: "SLACK",
        url: "https://evil.example/hook",
        events: ["INCIDENT_DECLARED"],
      });
      const resend = await resendDeliveryChange.run(caller, { deliveryId: delivery.id });
      const disable = await disableDestinationChange.run(caller, { destinationId: dest.id });
      for (const outcome of [create, resend, disable]) expect(outcome).toMatchObject({ ok: false, code: "forbidden" });
      const denied = await db().auditLog.findMany({ where: { actorId: caller.id, outcome: "DENIED" } });
      expect(denied.map((d) => d.action).sort()).toEqual([
        "notification_delivery.resend",
        "notification_destination.create",
        "notification_destination.disable",
      ]);
    }
    expect(await db().notificationDestination.count({ where: { name: { startsWith: "stolen " } } })).toBe(0);
    expect((await db().notificationDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).status).toBe("FAILED");
    expect((await db().notificationDestination.findUniqueOrThrow({ where: { id: dest.id } })).disabledAt).toBeNull();

    // An admin's bad input: a clear message on its field, and nothing created.
    const ftp = await createDestinationChange.run(admin, {
      name: "ftp",
      format: "SLACK",
      url: "ftp://files.example/x",
      events: ["INCIDENT_DECLARED"],
    });
    expect(ftp).toMatchObject({ ok: false, code: "invalid", field: "url", message: "Only http:// and https:// URLs are accepted." });
    const none = await createDestinationChange.run(admin, { name: "no events", format: "SLACK", url: "https://x.example/", events: [] });
    expect(none).toMatchObject({ ok: false, code: "invalid", field: "events" });
    expect(await db().notificationDestination.count({ where: { name: { in: ["ftp", "no events"] } } })).toBe(0);
  });
});
