import { afterEach, describe, expect, it } from "vitest";
import { fixedClock, now } from "@/lib/clock";
import { getDb } from "@/lib/db";
import { ForbiddenError } from "@/lib/errors";
import { makeIncident, makeUser } from "@/lib/testing/factories";
import { postStatusUpdate, postStatusUpdateChange } from "./mutations";
import { getLatestStatusUpdate, incidentsWithOverdueUpdate } from "./queries";
import { overdueBy } from "./rules";

const words = (status: string, after = 0) => ({
  after,
  status,
  impact: "About 5 % of checkouts fail",
  actions: "Rolling back to v2.4.0",
  nextUpdateInMinutes: 30,
});

let clock: ReturnType<typeof fixedClock> | null = null;
afterEach(() => {
  clock?.restore();
  clock = null;
});

describe("postStatusUpdate", () => {
  it("stores the update as the latest, on the timeline and in the audit log, in one change", async () => {
    const responder = await makeUser("RESPONDER");
    const incident = await makeIncident();
    const postedAt = new Date("2026-12-05T10:00:00Z");
    const { sequence } = await postStatusUpdate(responder, { incidentId: incident.id, ...words("Checkout is failing for some") }, postedAt);
    expect(sequence).toBe(1);
    const latest = await getLatestStatusUpdate(incident.id);
    expect(latest).toMatchObject({
      sequence: 1,
      status: "Checkout is failing for some",
      authorId: responder.id,
      postedAt,
      nextUpdateAt: new Date("2026-12-05T10:30:00Z"),
    });
    const db = getDb();
    const events = await db.timelineEvent.findMany({ where: { incidentId: incident.id, kind: "STATUS_UPDATE_POSTED" } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: responder.id, at: postedAt });
    expect(events[0]?.message).toContain("Checkout is failing for some");
    const audit = await db.auditLog.findMany({ where: { incidentId: incident.id, action: "status_update.post" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ outcome: "ALLOWED", actorId: responder.id, entityType: "StatusUpdate", entityId: latest?.id });
  });

  it("refuses a stakeholder: nothing is written, the attempt is audited DENIED", async () => {
    const viewer = await makeUser("VIEWER");
    const incident = await makeIncident();
    await expect(postStatusUpdate(viewer, { incidentId: incident.id, ...words("All fine") })).rejects.toBeInstanceOf(ForbiddenError);
    const db = getDb();
    expect(await db.statusUpdate.count({ where: { incidentId: incident.id } })).toBe(0);
    expect(await db.timelineEvent.count({ where: { incidentId: incident.id, kind: "STATUS_UPDATE_POSTED" } })).toBe(0);
    const denied = await db.auditLog.findMany({ where: { actorId: viewer.id } });
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ action: "status_update.post", outcome: "DENIED", incidentId: incident.id, actorRole: "VIEWER" });
  });

  it("refuses an update written over a newer one as stale, with the newer one, and keeps both people's words apart", async () => {
    const [a, b] = [await makeUser("RESPONDER"), await makeUser("RESPONDER")];
    const incident = await makeIncident();
    await postStatusUpdate(a, { incidentId: incident.id, ...words("First from A") });
    // B started writing when there was no update (after: 0).
    const refused = await postStatusUpdateChange.run(b, { incidentId: incident.id, ...words("First from B") });
    expect(refused).toMatchObject({ ok: false, code: "stale" });
    expect(!refused.ok && (refused.current as { status: string }).status).toBe("First from A");
    expect((await getLatestStatusUpdate(incident.id))?.status).toBe("First from A");
    const denied = await getDb().auditLog.findMany({ where: { actorId: b.id, outcome: "DENIED" } });
    expect(denied.map((d) => (d.details as { code?: string }).code)).toEqual(["stale"]);
    // Having read A's update, B posts over it.
    await postStatusUpdate(b, { incidentId: incident.id, ...words("Second from B", 1) });
    expect((await getLatestStatusUpdate(incident.id))?.sequence).toBe(2);
  });

  it("lets exactly one of two simultaneous posts over the same update through", async () => {
    const [a, b] = [await makeUser("RESPONDER"), await makeUser("RESPONDER")];
    const incident = await makeIncident();
    const outcomes = await Promise.all([
      postStatusUpdateChange.run(a, { incidentId: incident.id, ...words("From A") }),
      postStatusUpdateChange.run(b, { incidentId: incident.id, ...words("From B") }),
    ]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok).map((o) => !o.ok && o.code)).toEqual(["stale"]);
    expect(await getDb().statusUpdate.count({ where: { incidentId: incident.id } })).toBe(1);
  });

  it("refuses empty words on their field and a next-update time that is not offered", async () => {
    const responder = await makeUser("RESPONDER");
    const incident = await makeIncident();
    await expect(postStatusUpdate(responder, { incidentId: incident.id, ...words("   ") })).rejects.toMatchObject({
      code: "invalid",
      field: "status",
    });
    await expect(postStatusUpdate(responder, { incidentId: incident.id, ...words("Fine"), nextUpdateInMinutes: 7 })).rejects.toMatchObject({
      code: "invalid",
      field: "nextUpdateInMinutes",
    });
    expect(await getDb().statusUpdate.count({ where: { incidentId: incident.id } })).toBe(0);
  });

  it("is overdue once the promised time has passed on the clock, and not before", async () => {
    const responder = await makeUser("RESPONDER");
    const incident = await makeIncident();
    clock = fixedClock(new Date("2026-12-05T10:00:00Z"));
    await postStatusUpdate(responder, { incidentId: incident.id, ...words("Investigating"), nextUpdateInMinutes: 15 });
    const latest = await getLatestStatusUpdate(incident.id);
    clock.advance(14 * 60_000);
    expect(overdueBy(latest, now(), false)).toBeNull();
    clock.advance(2 * 60_000);
    expect(overdueBy(latest, now(), false)).toBe(60_000);
    expect(overdueBy(latest, now(), true)).toBeNull();
    // The incident list's flag agrees, and only for this incident.
    const quiet = await makeIncident();
    expect(await incidentsWithOverdueUpdate([incident.id, quiet.id], now())).toEqual(new Set([incident.id]));
  });
});
