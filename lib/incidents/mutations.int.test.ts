import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { ForbiddenError, InvalidInputError } from "@/lib/errors";
import { makeService, makeUser } from "@/lib/testing/factories";
import { declareIncident } from "./mutations";

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

let service: { id: string; name: string };
beforeAll(async () => {
  service = await makeService();
});

function validInput(title = `Errors after deploy ${randomUUID().slice(0, 6)}`) {
  return {
    title,
    serviceId: service.id,
    badVersion: "v2.5.0",
    previousVersion: "v2.4.0",
    severity: "SEV2" as const,
    deployedAt: minutesAgo(30),
    detectedAt: minutesAgo(20),
    summary: "p99 up",
  };
}

describe("declareIncident", () => {
  it("writes the incident, its first timeline event and its audit row together", async () => {
    const responder = await makeUser("RESPONDER");
    const incident = await declareIncident(responder, validInput());
    const db = getDb();
    const events = await db.timelineEvent.findMany({ where: { incidentId: incident.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: "INCIDENT_DECLARED", actorId: responder.id, source: "USER" });
    const audit = await db.auditLog.findMany({ where: { entityId: incident.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "incident.declare", outcome: "ALLOWED", actorId: responder.id, actorRole: "RESPONDER" });
    expect(incident).toMatchObject({ status: "DECLARED", severity: "SEV2", declaredById: responder.id, serviceId: service.id });
  });

  it("refuses a viewer, changes nothing, and audits the attempt", async () => {
    const viewer = await makeUser("VIEWER");
    const input = validInput();
    await expect(declareIncident(viewer, input)).rejects.toBeInstanceOf(ForbiddenError);
    const db = getDb();
    expect(await db.incident.count({ where: { title: input.title } })).toBe(0);
    const denied = await db.auditLog.findMany({ where: { actorId: viewer.id } });
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ action: "incident.declare", outcome: "DENIED", actorRole: "VIEWER" });
  });

  it("writes nothing for invalid input but the refusal, audited on its field", async () => {
    const responder = await makeUser("RESPONDER");
    const input = { ...validInput(), detectedAt: minutesAgo(40) }; // before the deploy
    await expect(declareIncident(responder, input)).rejects.toThrow(/before the deploy/);
    expect(await getDb().incident.count({ where: { title: input.title } })).toBe(0);
    const audit = await getDb().auditLog.findMany({ where: { actorId: responder.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "incident.declare", outcome: "DENIED" });
    expect(audit[0]?.details).toMatchObject({ code: "invalid", field: "detectedAt" });
  });

  it("rolls back everything when the service does not exist", async () => {
    const responder = await makeUser("RESPONDER");
    const input = { ...validInput(), serviceId: "no-such-service" };
    await expect(declareIncident(responder, input)).rejects.toBeInstanceOf(InvalidInputError);
    expect(await getDb().incident.count({ where: { title: input.title } })).toBe(0);
    expect(await getDb().timelineEvent.count({ where: { actorId: responder.id } })).toBe(0);
  });

  it("links the incident to the release of the bad version when there is one", async () => {
    const responder = await makeUser("RESPONDER");
    const release = await getDb().release.create({
      data: { serviceId: service.id, version: "v9.9.9", previousVersion: "v9.9.8", deployedAt: new Date(minutesAgo(30)) },
    });
    const incident = await declareIncident(responder, { ...validInput(), badVersion: "v9.9.9", previousVersion: "v9.9.8" });
    expect(incident.releaseId).toBe(release.id);
  });
});

describe("the audit log", () => {
  it("is append-only: the database refuses to update or delete a row", async () => {
    const db = getDb();
    const row = await db.auditLog.create({ data: { action: "test.append_only", outcome: "ALLOWED", entityType: "Test" } });
    await expect(db.auditLog.update({ where: { id: row.id }, data: { action: "tampered" } })).rejects.toThrow(/append-only/);
    await expect(db.auditLog.delete({ where: { id: row.id } })).rejects.toThrow(/append-only/);
    expect((await db.auditLog.findUniqueOrThrow({ where: { id: row.id } })).action).toBe("test.append_only");
  });
});
