// The Alertmanager receiver from Alertmanager's side: real webhook format v4 payloads, sent as raw
// requests to the route Next.js calls, with tokens an admin made.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/integrations/alertmanager/route";
import type { Actor } from "@/lib/audit/log";
import { getDb } from "@/lib/db";
import { alertmanagerPayload } from "@/lib/testing/alertmanager-payload";
import { makeIntegration, makeService, makeUser } from "@/lib/testing/factories";
import { createIntegrationChange, revokeIntegrationChange } from "./mutations";

let admin: Actor;

function send(token: string | null, body: unknown, raw?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  return POST(
    new Request("http://backout.test/api/v1/integrations/alertmanager", { method: "POST", headers, body: raw ?? JSON.stringify(body) }),
  );
}

const fingerprint = () => randomBytes(8).toString("hex");

beforeAll(async () => {
  admin = await makeUser("ADMIN");
});

describe("POST /api/v1/integrations/alertmanager", () => {
  it("firing, the same again, then resolved: one incident with three timeline entries, the deploy its suspect", async () => {
    const service = await makeService();
    const { token } = await makeIntegration(admin, { suspectWindowMinutes: 30 });
    const deployedAt = new Date(Date.now() - 15 * 60_000);
    const release = await getDb().release.create({
      data: { serviceId: service.id, version: "v2.5.0", previousVersion: "v2.4.0", deployedAt, environment: "production", source: "API" },
    });
    const startsAt = new Date(Date.now() - 5 * 60_000).toISOString();
    const fp = fingerprint();
    const firing = alertmanagerPayload(service.name, { status: "firing", fingerprint: fp, startsAt });

    const first = await send(token, firing);
    expect(first.status, await first.clone().text()).toBe(200);
    const [opened] = (await first.json()).alerts;
    expect(opened).toMatchObject({ result: "opened", status: "firing" });
    const again = await send(token, firing);
    expect((await again.json()).alerts[0]).toMatchObject({ result: "duplicate" });
    const resolved = await send(
      token,
      alertmanagerPayload(service.name, { status: "resolved", fingerprint: fp, startsAt, endsAt: new Date().toISOString() }),
    );
    expect((await resolved.json()).alerts[0]).toMatchObject({ result: "noted", incident: opened.incident });

    const incidents = await getDb().incident.findMany({ where: { serviceId: service.id } });
    expect(incidents).toHaveLength(1);
    const [incident] = incidents;
    expect(incident).toMatchObject({
      source: "ALERTMANAGER",
      status: "DECLARED", // a resolved alert never resolves the incident
      severity: "SEV1", // the alert's severity=critical
      badVersion: "v2.5.0",
      previousVersion: "v2.4.0",
      releaseId: release.id,
    });
    expect(incident.deployedAt.toISOString()).toBe(deployedAt.toISOString());
    expect((await getDb().release.findUniqueOrThrow({ where: { id: release.id } })).suspectedAt).not.toBeNull();

    const timeline = await getDb().timelineEvent.findMany({ where: { incidentId: incident.id }, orderBy: { at: "asc" } });
    // In the order things happened: the alert started before it was received and declared.
    expect(timeline.map((e) => [e.kind, e.source])).toEqual([
      ["ALERT_FIRING", "ALERTMANAGER"],
      ["INCIDENT_DECLARED", "ALERTMANAGER"],
      ["ALERT_RESOLVED", "ALERTMANAGER"],
    ]);
    const firingEntry = timeline[0];
    expect(firingEntry.at.toISOString()).toBe(startsAt);
    expect(firingEntry.payload).toMatchObject({
      labels: { alertname: "HighErrorRate", service: service.name },
      annotations: { summary: "5xx ratio above 5% for 2 minutes" },
      startsAt,
      generatorURL: expect.stringContaining("http://prometheus.example:9090/graph"),
    });
    // Audited as a declaration, like one from the form, naming the channel.
    const declared = await getDb().auditLog.findFirstOrThrow({ where: { action: "incident.declare", entityId: incident.id } });
    expect(declared).toMatchObject({ outcome: "ALLOWED" });
    expect(declared.details).toMatchObject({ via: "ALERTMANAGER" });
  });

  it("another alert for the same service joins the open incident; concurrent deliveries open exactly one", async () => {
    const service = await makeService();
    const { token } = await makeIntegration(admin);
    const startsAt = new Date(Date.now() - 60_000).toISOString();
    const payload = alertmanagerPayload(service.name, { status: "firing", fingerprint: fingerprint(), startsAt });
    const answers = await Promise.all(Array.from({ length: 4 }, () => send(token, payload)));
    const results = await Promise.all(answers.map(async (a) => (await a.json()).alerts[0].result));
    expect(results.sort()).toEqual(["duplicate", "duplicate", "duplicate", "opened"]);
    const other = alertmanagerPayload(service.name, { status: "firing", fingerprint: fingerprint(), startsAt, alertname: "HighLatency" });
    expect((await (await send(token, other)).json()).alerts[0]).toMatchObject({ result: "joined" });
    const incidents = await getDb().incident.findMany({ where: { serviceId: service.id }, select: { id: true, badVersion: true } });
    expect(incidents).toHaveLength(1);
    // No deploy recorded: the versions say so, for responders to correct.
    expect(incidents[0].badVersion).toBe("unknown");
    expect(await getDb().timelineEvent.count({ where: { incidentId: incidents[0].id, kind: "ALERT_FIRING" } })).toBe(2);
  });

  it("anything not v4, malformed, or with a wrong or revoked token changes nothing", async () => {
    const service = await makeService();
    const { token, id } = await makeIntegration(admin);
    const good = alertmanagerPayload(service.name, { status: "firing", fingerprint: fingerprint(), startsAt: new Date().toISOString() });
    const counts = () => Promise.all([getDb().incident.count(), getDb().timelineEvent.count(), getDb().alertmanagerAlert.count()]);
    const before = await counts();
    const bad: [unknown, RegExp][] = [
      [{ ...good, version: "3" }, /version "4"/],
      [{ ...good, version: 4 }, /version "4"/],
      [{ ...good, alerts: [] }, /no alerts/],
      [{ ...good, alerts: [{ ...good.alerts[0], startsAt: "yesterday" }] }, /RFC 3339/],
      [{ ...good, alerts: [{ ...good.alerts[0], status: "pending" }] }, /firing/],
      [{ ...good, alerts: [{ ...good.alerts[0], fingerprint: "../../etc" }] }, /fingerprint/],
      [{ hello: "world" }, /version/],
    ];
    for (const [body, reason] of bad) {
      const res = await send(token, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect((await res.json()).detail).toMatch(reason);
    }
    expect((await send(token, null, "{not json")).status).toBe(400);
    expect((await send(token, null, "[1]")).status).toBe(400);
    expect((await send(null, good)).status).toBe(401);
    expect((await send(`bo_am_${"x".repeat(43)}`, good)).status).toBe(401);
    expect((await send(`bo_api_${"x".repeat(43)}`, good)).status).toBe(401);
    expect((await revokeIntegrationChange.run(admin, { integrationId: id })).ok).toBe(true);
    const revoked = await send(token, good);
    expect(revoked.status).toBe(401);
    expect((await revoked.json()).detail).toMatch(/revoked/);
    expect(await counts()).toEqual(before);
  });

  it("only admins create or revoke integrations; the token is stored only as its hash", async () => {
    const responder = await makeUser("RESPONDER");
    expect(
      await createIntegrationChange.run(responder, {
        name: "x",
        serviceLabel: "service",
        defaultSeverity: "SEV2",
        suspectWindowMinutes: 30,
      }),
    ).toMatchObject({ ok: false, code: "forbidden" });
    const { id, token } = await makeIntegration(admin);
    const row = await getDb().alertmanagerIntegration.findUniqueOrThrow({ where: { id } });
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    const audit = await getDb().auditLog.findFirstOrThrow({ where: { action: "alertmanager_integration.create", entityId: id } });
    expect(JSON.stringify(audit.details)).not.toContain(token);
  });
});
