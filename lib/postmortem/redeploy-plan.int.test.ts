// The re-deployment plan against a real database: "not ready" while a HIGH action item of the
// incident is open, "ready" once every HIGH one is DONE (other priorities never block); each save a
// new version against the one read (a stale save refused with the current version); stakeholders refused.
import { describe, expect, it } from "vitest";
import { setActionItemStatus } from "@/lib/action-items/mutations";
import { getDb } from "@/lib/db";
import { getDocumentVersion } from "@/lib/documents/queries";
import { makeUser } from "@/lib/testing/factories";
import { expectRefusedOnce } from "@/lib/testing/refusals";
import { makeRolledBackIncident } from "@/lib/testing/rolled-back-incident";
import { savePlanChange, saveRedeployPlan } from "./plan-mutations";
import { getClosingRecord } from "./record";
import type { PlanContent } from "./redeploy-plan";

const PLAN = {
  fixedVersion: "v2.1",
  fix: "DATABASE_POOL_SIZE read from the environment, default 20",
  validation: "Start-up refuses a pool smaller than 5; an alert on pool saturation",
  stagingTest: "Load test at twice the peak for 30 minutes: pool at 60 %",
  targetDate: "2026-12-10",
  strategy: "CANARY",
} as const;

describe("re-deployment plan", () => {
  it("says not ready while a linked HIGH item is open, and ready once all are DONE", async () => {
    const f = await makeRolledBackIncident();
    const responder = await makeUser("RESPONDER");
    const db = getDb();
    const item = (title: string, priority: "HIGH" | "LOW", done = false) =>
      db.actionItem.create({
        data: {
          incidentId: f.incident.id,
          title,
          priority,
          ownerId: responder.id,
          ...(done ? { status: "DONE" as const, completedAt: new Date(), completedById: responder.id, completionNote: "checked" } : {}),
        },
      });
    const open = await item("Set DATABASE_POOL_SIZE in every environment", "HIGH");
    await item("Alert on pool saturation", "HIGH", true);
    await item("Write a blog post", "LOW");

    const v1 = await saveRedeployPlan(responder, { incidentId: f.incident.id, basedOn: 0, ...PLAN });
    const read1 = (await getDocumentVersion(v1.documentId))!;
    expect(read1.document.kind).toBe("REDEPLOY_PLAN");
    const c1 = read1.version.content as PlanContent;
    expect(c1).toMatchObject({ ...PLAN, readiness: { ready: false, highTotal: 2, highDone: 1 } });
    expect(read1.version.markdown).toContain("Not ready: 1 of 2 HIGH action items still open.");
    expect(read1.version.markdown).toContain(`- [ ] HIGH: Set DATABASE_POOL_SIZE in every environment — ${responder.name}`);
    expect(read1.version.markdown).toContain(`- [x] HIGH: Alert on pool saturation — ${responder.name}`);
    expect(read1.version.markdown).toContain("Canary");
    expect((await getClosingRecord(f.incident.id)).readiness).toMatchObject({ ready: false, highTotal: 2, highDone: 1 });

    // The last HIGH item is done: the record says ready at once; the plan says so in its next version.
    await setActionItemStatus(responder, { id: open.id, version: open.version, status: "DONE", completionNote: "set in all three" });
    const record = await getClosingRecord(f.incident.id);
    expect(record.readiness).toMatchObject({ ready: true, highTotal: 2, highDone: 2 });
    expect(record.plan?.content.readiness.ready).toBe(false);
    const v2 = await saveRedeployPlan(responder, { incidentId: f.incident.id, basedOn: 1, ...PLAN, targetDate: "2026-12-11" });
    expect(v2).toMatchObject({ documentId: v1.documentId, version: 2 });
    const read2 = (await getDocumentVersion(v1.documentId))!;
    expect((read2.version.content as PlanContent).readiness).toMatchObject({ ready: true, highTotal: 2, highDone: 2 });
    expect(read2.version.markdown).toContain("Ready: all 2 HIGH action items are done.");
    const entry = await db.timelineEvent.findFirst({
      where: { incidentId: f.incident.id, message: { startsWith: "Re-deployment plan v2" } },
    });
    expect(entry).toMatchObject({ actorId: responder.id });
    expect(entry?.message).toContain("Ready");

    // Saved against version 1 again: refused as stale, with the current version.
    expect(await savePlanChange.run(responder, { incidentId: f.incident.id, basedOn: 1, ...PLAN })).toMatchObject({
      ok: false,
      code: "stale",
      current: { currentVersion: 2 },
    });
  });

  it("refuses a stakeholder (audited, nothing written) and bad input by field", async () => {
    const f = await makeRolledBackIncident();
    const viewer = await makeUser("VIEWER");
    await expectRefusedOnce({
      actor: viewer,
      action: "postmortem.save_redeploy_plan",
      run: () => savePlanChange.run(viewer, { incidentId: f.incident.id, basedOn: 0, ...PLAN }),
      snapshot: () => getDb().document.count({ where: { incidentId: f.incident.id } }),
    });
    const responder = await makeUser("RESPONDER");
    expect(await savePlanChange.run(responder, { incidentId: f.incident.id, basedOn: 0, ...PLAN, targetDate: "next week" })).toMatchObject({
      ok: false,
      field: "targetDate",
    });
    expect(await savePlanChange.run(responder, { incidentId: f.incident.id, basedOn: 0, ...PLAN, strategy: "YOLO" })).toMatchObject({
      ok: false,
      field: "strategy",
    });
    expect(await savePlanChange.run(responder, { incidentId: f.incident.id, basedOn: 0, ...PLAN, fix: "fixed" })).toMatchObject({
      ok: false,
      field: "fix",
    });
  });
});
