// The change path's own guarantees, on a small change of its own against a real Postgres: one
// transaction for the change and its ALLOWED audit row, every refusal rolled back and audited
// DENIED exactly once outside it, typed outcomes with field and current state.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { ConflictError, InvalidInputError, Refusal, StaleError } from "@/lib/errors";
import { makeIncident, makeUser } from "@/lib/testing/factories";
import { recordTimelineEvent } from "@/lib/timeline/record";
import { defineChange, requireConfirmation } from "./change";

const schema = z.object({
  incidentId: z.string().min(1),
  version: z.number().int().min(1),
  title: z.string().trim().min(5, "At least 5 characters."),
  /** What the test wants apply to do after writing. */
  afterWrite: z.enum(["commit", "conflict", "crash", "confirm"]).default("commit"),
  confirmation: z.string().default(""),
});

const renameChange = defineChange({
  action: `test.rename.${randomUUID().slice(0, 6)}`,
  schema,
  permission: "incident:update",
  target: (input) => ({ entityType: "Incident", entityId: input.incidentId, incidentId: input.incidentId }),
  async apply({ tx, user, input, audit }) {
    const { count } = await tx.incident.updateMany({
      where: { id: input.incidentId, version: input.version },
      data: { title: input.title, version: { increment: 1 } },
    });
    if (count === 0) {
      const current = await tx.incident.findUniqueOrThrow({ where: { id: input.incidentId }, select: { title: true, version: true } });
      throw new StaleError("Someone else renamed it.", current);
    }
    await recordTimelineEvent(tx, { incidentId: input.incidentId, kind: "NOTE", actorId: user?.id, message: `renamed to ${input.title}` });
    if (input.afterWrite === "conflict") throw new ConflictError("Refused after writing: all of it must roll back.");
    if (input.afterWrite === "crash") throw new Error("an unexpected failure");
    if (input.afterWrite === "confirm") requireConfirmation(input.confirmation, "checkout");
    audit.details = { title: input.title };
    return { renamed: true };
  },
});

const systemChange = defineChange({
  action: `test.system.${randomUUID().slice(0, 6)}`,
  schema: z.object({ incidentId: z.string() }),
  permission: "system",
  target: (input) => ({ entityType: "Incident", entityId: input.incidentId, incidentId: input.incidentId }),
  async apply() {
    return "done";
  },
});

async function state(incidentId: string) {
  const db = getDb();
  const [incident, timeline, audit] = await Promise.all([
    db.incident.findUniqueOrThrow({ where: { id: incidentId }, select: { title: true, version: true } }),
    db.timelineEvent.count({ where: { incidentId, kind: "NOTE" } }),
    db.auditLog.findMany({ where: { incidentId }, orderBy: { id: "asc" } }),
  ]);
  return { incident, timeline, audit };
}

describe("the change path", () => {
  it("commits the change, its timeline event and its ALLOWED audit row together", async () => {
    const incident = await makeIncident();
    const responder = await makeUser("RESPONDER");
    const outcome = await renameChange.run(responder, { incidentId: incident.id, version: 1, title: "A better title" });
    expect(outcome).toEqual({ ok: true, value: { renamed: true } });
    const after = await state(incident.id);
    expect(after.incident).toEqual({ title: "A better title", version: 2 });
    expect(after.timeline).toBe(1);
    expect(after.audit).toHaveLength(1);
    expect(after.audit[0]).toMatchObject({ action: renameChange.action, outcome: "ALLOWED", actorId: responder.id });
    expect(after.audit[0]?.details).toEqual({ title: "A better title" });
  });

  it("refuses a role without the permission before anything is read or written", async () => {
    const incident = await makeIncident();
    const viewer = await makeUser("VIEWER");
    const outcome = await renameChange.run(viewer, { incidentId: incident.id, version: 1, title: "A better title" });
    expect(outcome).toMatchObject({ ok: false, code: "forbidden" });
    const after = await state(incident.id);
    expect(after.incident.version).toBe(1);
    expect(after.audit).toHaveLength(1);
    expect(after.audit[0]).toMatchObject({ outcome: "DENIED", actorId: viewer.id, actorRole: "VIEWER" });
    expect(after.audit[0]?.details).toMatchObject({ code: "forbidden" });
  });

  it("refuses invalid input on its field, audited", async () => {
    const incident = await makeIncident();
    const responder = await makeUser("RESPONDER");
    const outcome = await renameChange.run(responder, { incidentId: incident.id, version: 1, title: "abc" });
    expect(outcome).toEqual({ ok: false, code: "invalid", field: "title", message: "At least 5 characters." });
    const after = await state(incident.id);
    expect(after.incident.title).not.toBe("abc");
    expect(after.audit.map((a) => a.outcome)).toEqual(["DENIED"]);
  });

  it("rolls back a refusal thrown after writing, and audits it once", async () => {
    const incident = await makeIncident();
    const responder = await makeUser("RESPONDER");
    const outcome = await renameChange.run(responder, {
      incidentId: incident.id,
      version: 1,
      title: "Half a change",
      afterWrite: "conflict",
    });
    expect(outcome).toMatchObject({ ok: false, code: "conflict" });
    const after = await state(incident.id);
    expect(after.incident.version).toBe(1);
    expect(after.timeline).toBe(0);
    expect(after.audit).toHaveLength(1);
    expect(after.audit[0]).toMatchObject({ outcome: "DENIED", action: renameChange.action });
  });

  it("answers a stale version with the current state", async () => {
    const incident = await makeIncident();
    const responder = await makeUser("RESPONDER");
    await renameChange.runOrThrow(responder, { incidentId: incident.id, version: 1, title: "First rename" });
    const outcome = await renameChange.run(responder, { incidentId: incident.id, version: 1, title: "Second rename" });
    expect(outcome).toMatchObject({ ok: false, code: "stale", current: { title: "First rename", version: 2 } });
    const after = await state(incident.id);
    expect(after.audit.map((a) => a.outcome)).toEqual(["ALLOWED", "DENIED"]);
  });

  it("refuses a destructive change without its typed confirmation, on the confirmation field", async () => {
    const incident = await makeIncident();
    const responder = await makeUser("RESPONDER");
    const outcome = await renameChange.run(responder, { incidentId: incident.id, version: 1, title: "Dangerous", afterWrite: "confirm" });
    expect(outcome).toMatchObject({ ok: false, code: "confirmation", field: "confirmation" });
    expect((await state(incident.id)).incident.version).toBe(1);
    const ok = await renameChange.run(responder, {
      incidentId: incident.id,
      version: 1,
      title: "Dangerous",
      afterWrite: "confirm",
      confirmation: "checkout",
    });
    expect(ok.ok).toBe(true);
  });

  it("refuses an unknown incident without auditing a dangling id as an incident's", async () => {
    const responder = await makeUser("RESPONDER");
    const outcome = await renameChange.run(responder, { incidentId: "no-such-incident", version: 1, title: "Whatever it is" });
    expect(outcome).toMatchObject({ ok: false, code: "not_found" });
    const rows = await getDb().auditLog.findMany({ where: { actorId: responder.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: "DENIED", entityId: "no-such-incident", incidentId: null });
  });

  it("lets an unexpected error through unchanged, with nothing written and nothing audited", async () => {
    const incident = await makeIncident();
    const responder = await makeUser("RESPONDER");
    await expect(
      renameChange.run(responder, { incidentId: incident.id, version: 1, title: "Crashing", afterWrite: "crash" }),
    ).rejects.toThrow("an unexpected failure");
    const after = await state(incident.id);
    expect(after.incident.version).toBe(1);
    expect(after.audit).toHaveLength(0);
  });

  it("runOrThrow throws the refusal it audited, as the class it was thrown as", async () => {
    const responder = await makeUser("RESPONDER");
    const refusal = await renameChange.runOrThrow(responder, { incidentId: "x", version: 1, title: "abc" }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(Refusal);
    expect(refusal).toMatchObject({ code: "invalid", field: "title" });
    await expect(
      defineChange({
        action: `test.invalid.${randomUUID().slice(0, 6)}`,
        schema: z.object({}),
        permission: "incident:update",
        target: () => ({ entityType: "Incident" }),
        async apply() {
          throw new InvalidInputError("No.", "name");
        },
      }).runOrThrow(responder, {}),
    ).rejects.toBeInstanceOf(InvalidInputError);
  });

  it("keeps the system's changes to the system and a person's to people", async () => {
    const incident = await makeIncident();
    const responder = await makeUser("RESPONDER");
    expect(await systemChange.run(responder, { incidentId: incident.id })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await systemChange.run({ system: "test job" }, { incidentId: incident.id })).toEqual({ ok: true, value: "done" });
    expect(await renameChange.run({ system: "test job" }, { incidentId: incident.id, version: 1, title: "By a robot" })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    const rows = await getDb().auditLog.findMany({ where: { incidentId: incident.id }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.outcome, r.actorId])).toEqual([
      ["DENIED", responder.id],
      ["ALLOWED", null],
      ["DENIED", null],
    ]);
    expect(rows[1]?.details).toMatchObject({ system: "test job" });
  });
});
