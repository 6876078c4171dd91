// The verification checklist against a real database: starting it, item rules (the 24-hour lock
// on a controllable clock), sign-off and lock/unlock, resolving with and without sign-off, the
// report, and admins' templates.
import { afterEach, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/audit/log";
import { fixedClock, setClock } from "@/lib/clock";
import { getDb } from "@/lib/db";
import { findIncidentDocument, getIncidentDocumentVersion } from "@/lib/documents/queries";
import { ConflictError, ForbiddenError, InvalidInputError, StaleError } from "@/lib/errors";
import { resolveIncident, SignOffRequiredError } from "@/lib/incidents/resolve";
import { makeService, makeUser } from "@/lib/testing/factories";
import { makeRolledBackIncident } from "@/lib/testing/rolled-back-incident";
import {
  ChecklistLockedError,
  renderReportChange,
  renderVerificationReport,
  saveChecklistTemplate,
  saveTemplateChange,
  signOff,
  signOffChange,
  startVerification,
  startVerificationChange,
  unlockChecklist,
  unlockChecklistChange,
  updateChecklistItem,
  updateItemChange,
} from "./mutations";
import { getChecklistView } from "./queries";
import { DEFAULT_TEMPLATE } from "./template-schema";
import { getServiceTemplate } from "./template-store";

const db = () => getDb();
afterEach(() => setClock(null));

async function started(opts: Parameters<typeof makeRolledBackIncident>[0] = {}) {
  const fixture = await makeRolledBackIncident(opts);
  const responder = await makeUser("RESPONDER");
  const { checklistId } = await startVerification(responder, { incidentId: fixture.incident.id });
  const view = (await getChecklistView(fixture.incident.id))!;
  const item = (key: string) => view.items.find((i) => i.key === key)!;
  return { ...fixture, responder, checklistId, view, item };
}

/**
 * The verification report as the pages read it: the checklist view names its current version, the
 * document page reads the incident's report document at that version.
 */
async function verificationReport(incidentId: string) {
  const view = (await getChecklistView(incidentId))!;
  const doc = (await findIncidentDocument(incidentId, "VERIFICATION_REPORT"))!;
  const read = (await getIncidentDocumentVersion(incidentId, doc.id))!;
  expect(read.version.version).toBe(view.report?.version);
  return read;
}

const signOffInput = (checklistId: string, role: "DEVOPS" | "TECH_LEAD" | "RELEASE_MANAGER") => ({
  checklistId,
  role,
  rollbackSuccessful: true,
  systemStable: "STABLE" as const,
  outstandingIssues: "",
  comments: `${role} ok`,
});

async function signAllThree(checklistId: string) {
  const devops = await makeUser("RESPONDER");
  const lead = await makeUser("RESPONDER");
  const rm = await makeUser("RELEASE_MANAGER");
  await signOff(devops, signOffInput(checklistId, "DEVOPS"));
  await signOff(lead, signOffInput(checklistId, "TECH_LEAD"));
  return { devops, lead, rm, result: await signOff(rm, signOffInput(checklistId, "RELEASE_MANAGER")) };
}

describe("starting verification", () => {
  it("builds the checklist from the default template with the service's critical features, once however often it is started", async () => {
    const fixture = await makeRolledBackIncident({ features: ["Users can log in", "Users can complete purchases"] });
    const responders = await Promise.all([1, 2, 3, 4, 5].map(() => makeUser("RESPONDER")));
    const results = await Promise.all(responders.map((r) => startVerification(r, { incidentId: fixture.incident.id })));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.checklistId)).size).toBe(1);
    const view = (await getChecklistView(fixture.incident.id))!;
    expect(view.restoreRan).toBe(false);
    expect(view.rollbackEndedAt).toBe(fixture.endedAt.toISOString());
    expect(view.items.filter((i) => i.kind === "FEATURE").map((i) => i.label)).toEqual([
      "Users can log in",
      "Users can complete purchases",
    ]);
    expect(view.items.some((i) => i.section === "DATA_INTEGRITY")).toBe(false);
    expect(view.items.every((i) => i.version === 1 && i.status === "PENDING")).toBe(true);
    const stability = view.items.filter((i) => i.section === "STABILITY");
    expect(stability.every((i) => i.notBefore === new Date(fixture.endedAt.getTime() + 24 * 3600_000).toISOString())).toBe(true);
    expect(await db().timelineEvent.count({ where: { incidentId: fixture.incident.id, kind: "VERIFICATION_STARTED" } })).toBe(1);
    expect(await db().auditLog.count({ where: { incidentId: fixture.incident.id, action: "checklist.start", outcome: "ALLOWED" } })).toBe(
      1,
    );
  });

  it("adds data integrity when a database restore ran", async () => {
    const { view } = await started({ restore: true });
    expect(view.restoreRan).toBe(true);
    expect(view.items.filter((i) => i.section === "DATA_INTEGRITY")).toHaveLength(3);
  });

  it("refuses before the rollback has finished, and stakeholders (audited)", async () => {
    const running = await makeRolledBackIncident({ finished: false });
    await expect(startVerification(await makeUser("RESPONDER"), { incidentId: running.incident.id })).rejects.toThrow(
      /once the rollback has finished/,
    );
    const viewer = await makeUser("VIEWER");
    const done = await makeRolledBackIncident();
    await expect(startVerification(viewer, { incidentId: done.incident.id })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await db().auditLog.count({ where: { actorId: viewer.id, action: "checklist.start", outcome: "DENIED" } })).toBe(1);
    expect(await db().checklist.count({ where: { incidentId: { in: [running.incident.id, done.incident.id] } } })).toBe(0);
  });
});

describe("item updates", () => {
  it("records who changed what at which version, and refuses a stale version with the current state", async () => {
    const { item, responder, incident } = await started();
    const cpu = item("system.cpu");
    const other = await makeUser("RESPONDER");
    const first = await updateChecklistItem(responder, { itemId: cpu.id, version: 1, status: "PASSED", note: "42% peak" });
    expect(first).toMatchObject({ ok: true, item: { status: "PASSED", note: "42% peak", version: 2, updatedBy: { id: responder.id } } });
    const stale = await updateChecklistItem(other, { itemId: cpu.id, version: 1, status: "FAILED" });
    expect(stale.ok).toBe(false);
    if (stale.ok) return;
    expect(stale.current).toMatchObject({ status: "PASSED", version: 2, note: "42% peak" });
    expect(stale.message).toContain(responder.name);
    // The stale attempt is audited once, on the item.
    const denied = await db().auditLog.findMany({ where: { actorId: other.id, action: "checklist.item_update", outcome: "DENIED" } });
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ entityId: cpu.id, details: { code: "stale" } });
    const row = await db().checklistItem.findUniqueOrThrow({ where: { id: cpu.id } });
    expect(row).toMatchObject({ status: "PASSED", version: 2 });
    const history = await db().checklistItemChange.findMany({ where: { itemId: cpu.id } });
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ version: 2, status: "PASSED", note: "42% peak", changedById: responder.id, automatic: false });
    // A FAILED item goes on the timeline; plain ticks do not flood it.
    await updateChecklistItem(other, { itemId: cpu.id, version: 2, status: "FAILED", note: "spikes to 95%" });
    const events = await db().timelineEvent.findMany({ where: { incidentId: incident.id, kind: "CHECKLIST_ITEM_UPDATED" } });
    expect(events.map((e) => e.message)).toEqual([`${other.name} marked "CPU usage within normal range": failed — spikes to 95%`]);
  });

  it("keeps the 24-hour items closed until 24 h after the rollback, on the server's clock", async () => {
    const { item, responder, endedAt } = await started();
    const s = item("stability.no-new-incidents");
    const clock = fixedClock(endedAt.getTime() + 24 * 3600_000 - 60_000);
    await expect(updateChecklistItem(responder, { itemId: s.id, version: 1, status: "PASSED" })).rejects.toThrow(/not before/);
    await expect(updateChecklistItem(responder, { itemId: s.id, version: 1, status: "PASSED" })).rejects.toBeInstanceOf(InvalidInputError);
    // A note is fine before its time; the tick is not.
    const noted = await updateChecklistItem(responder, { itemId: s.id, version: 1, note: "quiet so far" });
    expect(noted.ok).toBe(true);
    clock.advance(60_000);
    const ticked = await updateChecklistItem(responder, { itemId: s.id, version: 2, status: "PASSED" });
    expect(ticked).toMatchObject({ ok: true, item: { status: "PASSED", note: "quiet so far", version: 3 } });
  });

  it("makes a person's tick of a metric item an override with a note", async () => {
    const { item, responder } = await started();
    const err = item("system.error-rate");
    await expect(updateChecklistItem(responder, { itemId: err.id, version: 1, status: "PASSED" })).rejects.toThrow(/override it/);
    const r = await updateChecklistItem(responder, { itemId: err.id, version: 1, status: "PASSED", note: "Datadog shows 0.2%" });
    expect(r).toMatchObject({ ok: true, item: { isOverride: true, autoSatisfied: false } });
    expect((await db().checklistItemChange.findFirstOrThrow({ where: { itemId: err.id } })).isOverride).toBe(true);
  });

  it("keeps test results and values with the items that have them", async () => {
    const fixture = await started({ features: ["Users can log in"] });
    const feature = fixture.view.items.find((i) => i.kind === "FEATURE")!;
    const r = await updateChecklistItem(fixture.responder, {
      itemId: feature.id,
      version: 1,
      status: "PASSED",
      testResult: "Logged in as test user in 1.2 s",
    });
    expect(r).toMatchObject({ ok: true, item: { testResult: "Logged in as test user in 1.2 s" } });
    const users = fixture.item("impact.users");
    await expect(updateChecklistItem(fixture.responder, { itemId: users.id, version: 1, value: "about 300" })).rejects.toThrow(
      /takes a number/,
    );
    expect(await updateChecklistItem(fixture.responder, { itemId: users.id, version: 1, value: "312", status: "PASSED" })).toMatchObject({
      ok: true,
    });
  });
});

describe("sign-off", () => {
  it("each sign-off once, by someone allowed, one per person; the third locks the checklist and renders the report", async () => {
    const { checklistId, item, incident, responder } = await started();
    const viewer = await makeUser("VIEWER");
    const devops = await makeUser("RESPONDER");
    const rm = await makeUser("RELEASE_MANAGER");
    await expect(signOff(viewer, signOffInput(checklistId, "DEVOPS"))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(signOff(devops, signOffInput(checklistId, "RELEASE_MANAGER"))).rejects.toBeInstanceOf(ForbiddenError);
    expect(await db().auditLog.count({ where: { entityId: checklistId, action: "checklist.sign_off", outcome: "DENIED" } })).toBe(2);

    await signOff(devops, signOffInput(checklistId, "DEVOPS"));
    await expect(signOff(await makeUser("RESPONDER"), signOffInput(checklistId, "DEVOPS"))).rejects.toThrow(
      /already signed off as DevOps engineer/,
    );
    // A second sign-off by the same person: refused, nothing recorded, audited once.
    const second = await signOffChange.run(devops, signOffInput(checklistId, "TECH_LEAD"));
    expect(second).toMatchObject({ ok: false, code: "conflict", message: expect.stringMatching(/different person/) });
    expect(await db().signOff.count({ where: { checklistId, userId: devops.id } })).toBe(1);
    // Their earlier attempt at the release manager's sign-off (forbidden), and this one.
    const devopsDenied = await db().auditLog.findMany({ where: { actorId: devops.id, action: "checklist.sign_off", outcome: "DENIED" } });
    expect(devopsDenied.map((d) => (d.details as { code: string }).code).sort()).toEqual(["conflict", "forbidden"]);
    await signOff(rm, signOffInput(checklistId, "RELEASE_MANAGER"));
    expect((await db().checklist.findUniqueOrThrow({ where: { id: checklistId } })).lockedAt).toBeNull();
    // Concurrent attempts at the last sign-off: exactly one wins.
    const leads = await Promise.all([1, 2, 3].map(() => makeUser("RESPONDER")));
    const outcomes = await Promise.allSettled(leads.map((l) => signOff(l, signOffInput(checklistId, "TECH_LEAD"))));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    for (const o of outcomes) if (o.status === "rejected") expect(o.reason).toBeInstanceOf(ConflictError);

    const locked = await db().checklist.findUniqueOrThrow({ where: { id: checklistId } });
    expect(locked.lockedAt).not.toBeNull();
    await expect(updateChecklistItem(responder, { itemId: item("system.cpu").id, version: 1, status: "PASSED" })).rejects.toBeInstanceOf(
      ChecklistLockedError,
    );
    expect(await db().timelineEvent.count({ where: { incidentId: incident.id, kind: "SIGNED_OFF" } })).toBe(3);
    expect(await db().timelineEvent.count({ where: { incidentId: incident.id, kind: "CHECKLIST_LOCKED" } })).toBe(1);
    const report = await verificationReport(incident.id);
    expect(report.version.markdown).toContain(`# Verification report — INC-${incident.number}`);
    expect(report.version.markdown).toMatch(/\| Release manager \| .+, 20\d\d-/);
    expect(report.version.markdown).toContain("| CPU usage within normal range | Open |");
  });

  it("unlocking needs a release manager and a reason, goes on the timeline, and withdraws the sign-offs", async () => {
    const { checklistId, incident, item, responder } = await started();
    const { rm, devops } = await signAllThree(checklistId);
    await expect(unlockChecklist(responder, { checklistId, reason: "we missed the replication check" })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(unlockChecklist(rm, { checklistId, reason: "" })).rejects.toThrow();
    await unlockChecklist(rm, { checklistId, reason: "we missed the replication check" });
    const event = await db().timelineEvent.findFirstOrThrow({ where: { incidentId: incident.id, kind: "CHECKLIST_UNLOCKED" } });
    expect(event.message).toContain("we missed the replication check");
    expect(event.actorId).toBe(rm.id);
    expect(await db().signOff.count({ where: { checklistId, withdrawnAt: null } })).toBe(0);
    expect(await db().signOff.count({ where: { checklistId } })).toBe(3);
    expect((await updateChecklistItem(responder, { itemId: item("db.replication").id, version: 1, status: "PASSED" })).ok).toBe(true);
    // Signing again works, and the same people may sign again.
    await signOff(devops, signOffInput(checklistId, "DEVOPS"));
    expect((await getChecklistView(incident.id))!.signOffs.map((s) => s.role)).toEqual(["DEVOPS"]);
  });
});

describe("resolving", () => {
  it("is refused before sign-off; a responder cannot waive; a release manager's waiver with a reason resolves it", async () => {
    const { incident, responder, checklistId } = await started();
    const version = () =>
      db()
        .incident.findUniqueOrThrow({ where: { id: incident.id } })
        .then((i) => i.version);
    await expect(
      resolveIncident(responder, { incidentId: incident.id, version: await version(), resolution: "Rolled back" }),
    ).rejects.toBeInstanceOf(SignOffRequiredError);
    await expect(
      resolveIncident(responder, {
        incidentId: incident.id,
        version: await version(),
        resolution: "Rolled back",
        waiveSignOffReason: "tech lead is on holiday",
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(await db().auditLog.count({ where: { incidentId: incident.id, action: "incident.resolve", outcome: "DENIED" } })).toBe(2);
    expect((await db().incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe("VERIFYING");

    const rm = await makeUser("RELEASE_MANAGER");
    await resolveIncident(rm, {
      incidentId: incident.id,
      version: await version(),
      resolution: "Rolled back to v1",
      waiveSignOffReason: "tech lead is on holiday until Monday",
    });
    const after = await db().incident.findUniqueOrThrow({ where: { id: incident.id } });
    expect(after.status).toBe("RESOLVED");
    expect(after.resolvedAt).not.toBeNull();
    const checklist = await db().checklist.findUniqueOrThrow({ where: { id: checklistId } });
    expect(checklist).toMatchObject({ signOffWaivedReason: "tech lead is on holiday until Monday", signOffWaivedById: rm.id });
    const waived = await db().timelineEvent.findFirstOrThrow({ where: { incidentId: incident.id, kind: "SIGN_OFF_WAIVED" } });
    expect(waived.message).toContain("tech lead is on holiday until Monday");
    expect((await verificationReport(incident.id)).version.markdown).toContain("**Sign-off waived**");
  });

  it("resolves after the three sign-offs without a waiver; an incident never rolled back needs none", async () => {
    const { incident, checklistId, responder } = await started();
    await signAllThree(checklistId);
    const { version } = await db().incident.findUniqueOrThrow({ where: { id: incident.id } });
    await resolveIncident(responder, { incidentId: incident.id, version, resolution: "Verified and signed off" });
    expect((await db().incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe("RESOLVED");

    const service = await makeService();
    const plain = await db().incident.create({
      data: {
        title: "False alarm",
        serviceId: service.id,
        badVersion: "v2",
        previousVersion: "v1",
        severity: "SEV4",
        status: "ASSESSING",
        deployedAt: new Date(),
        detectedAt: new Date(),
      },
    });
    await resolveIncident(responder, { incidentId: plain.id, version: plain.version, resolution: "Monitoring showed no real impact" });
    expect((await db().incident.findUniqueOrThrow({ where: { id: plain.id } })).status).toBe("RESOLVED");
  });

  it("a rolled-back incident without a checklist also needs the sign-off or a waiver", async () => {
    const { incident } = await makeRolledBackIncident();
    await expect(
      resolveIncident(await makeUser("RESPONDER"), { incidentId: incident.id, version: incident.version, resolution: "Rolled back" }),
    ).rejects.toThrow(/start verification/);
  });
});

describe("the verification report", () => {
  it("renders a new version only when the checklist changed", async () => {
    const { incident, responder, item } = await started();
    const first = await renderVerificationReport(responder, { incidentId: incident.id });
    const again = await renderVerificationReport(responder, { incidentId: incident.id });
    expect([first.version, first.created, again.version, again.created]).toEqual([1, true, 1, false]);
    await updateChecklistItem(responder, { itemId: item("db.pool").id, version: 1, status: "PASSED", note: "pool at 40%" });
    const third = await renderVerificationReport(responder, { incidentId: incident.id });
    expect([third.version, third.created]).toEqual([2, true]);
    const report = await verificationReport(incident.id);
    expect(report.version.markdown).toContain(`| Connection pool healthy | Done | | pool at 40% | ${responder.name}`);
    expect((report.version.content as { totals: { PASSED: number } }).totals.PASSED).toBe(1);
  });
});

describe("per-service templates", () => {
  it("admins only; invalid templates are refused with the reasons; saves are versioned and used by the next checklist", async () => {
    const fixture = await makeRolledBackIncident();
    const admin = await makeUser("ADMIN");
    const serviceId = fixture.service.id;
    const custom = [
      ...DEFAULT_TEMPLATE.filter((i) => i.section !== "DATABASE_HEALTH"),
      { key: "cache.hit-rate", section: "SYSTEM_HEALTH", label: "Cache hit rate normal", kind: "CHECK" },
    ];
    await expect(
      saveChecklistTemplate(await makeUser("RESPONDER"), { serviceId, version: 0, itemsJson: JSON.stringify(custom) }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(saveChecklistTemplate(admin, { serviceId, version: 0, itemsJson: "[{" })).rejects.toThrow(/not valid JSON/);
    await expect(
      saveChecklistTemplate(admin, {
        serviceId,
        version: 0,
        itemsJson: JSON.stringify([{ key: "x", section: "SYSTEM_HEALTH", label: "X", kind: "METRIC" }]),
      }),
    ).rejects.toThrow(/item 1 \(metric\): a METRIC item names its metric/);
    expect(await db().checklistTemplate.count({ where: { serviceId } })).toBe(0);

    expect(await saveChecklistTemplate(admin, { serviceId, version: 0, itemsJson: JSON.stringify(custom) })).toMatchObject({ version: 1 });
    await expect(saveChecklistTemplate(admin, { serviceId, version: 0, itemsJson: JSON.stringify(custom) })).rejects.toBeInstanceOf(
      StaleError,
    );
    expect(await saveChecklistTemplate(admin, { serviceId, version: 1, itemsJson: JSON.stringify(custom) })).toMatchObject({ version: 2 });
    expect(await db().checklistTemplateVersion.count({ where: { template: { serviceId } } })).toBe(2);
    expect((await getServiceTemplate(serviceId)).version).toBe(2);

    await startVerification(await makeUser("RESPONDER"), { incidentId: fixture.incident.id });
    const view = (await getChecklistView(fixture.incident.id))!;
    expect(view.templateVersion).toBe(2);
    expect(view.items.some((i) => i.key === "cache.hit-rate")).toBe(true);
    expect(view.items.some((i) => i.section === "DATABASE_HEALTH")).toBe(false);
  });
});

describe("refused callers: refused with a code, nothing changed, one DENIED row", () => {
  const denied = (actor: Actor, action: string) => db().auditLog.findMany({ where: { actorId: actor.id, action, outcome: "DENIED" } });

  it("start: a viewer, and an unknown incident", async () => {
    const fixture = await makeRolledBackIncident();
    const viewer = await makeUser("VIEWER");
    const responder = await makeUser("RESPONDER");
    expect(await startVerificationChange.run(viewer, { incidentId: fixture.incident.id })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await startVerificationChange.run(responder, { incidentId: "no-such-incident" })).toMatchObject({
      ok: false,
      code: "not_found",
    });
    expect(await db().checklist.count({ where: { incidentId: fixture.incident.id } })).toBe(0);
    expect(await denied(viewer, "checklist.start")).toHaveLength(1);
    expect(await denied(responder, "checklist.start")).toHaveLength(1);
  });

  it("item update: a viewer, a stale version, a value that breaks the item's rule", async () => {
    const { item, responder } = await started();
    const viewer = await makeUser("VIEWER");
    const users = item("impact.users");
    expect(await updateItemChange.run(viewer, { itemId: users.id, version: 1, value: "12" })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    expect(await updateItemChange.run(responder, { itemId: users.id, version: 7, value: "12" })).toMatchObject({
      ok: false,
      code: "stale",
      current: { id: users.id, version: 1, value: null },
    });
    expect(await updateItemChange.run(responder, { itemId: users.id, version: 1, value: "lots" })).toMatchObject({
      ok: false,
      code: "invalid",
      field: "value",
    });
    expect(await db().checklistItem.findUniqueOrThrow({ where: { id: users.id } })).toMatchObject({ version: 1, value: null });
    expect(await db().checklistItemChange.count({ where: { itemId: users.id } })).toBe(0);
    expect(await denied(viewer, "checklist.item_update")).toHaveLength(1);
    expect((await denied(responder, "checklist.item_update")).map((d) => (d.details as { code: string }).code).sort()).toEqual([
      "invalid",
      "stale",
    ]);
  });

  it("sign-off: a role this person may not give", async () => {
    const { checklistId } = await started();
    const responder = await makeUser("RESPONDER");
    expect(await signOffChange.run(responder, signOffInput(checklistId, "RELEASE_MANAGER"))).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    expect(await db().signOff.count({ where: { checklistId } })).toBe(0);
    const rows = await denied(responder, "checklist.sign_off");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ entityType: "Checklist", entityId: checklistId });
  });

  it("unlock: a responder, and a checklist that is not locked", async () => {
    const { checklistId } = await started();
    const responder = await makeUser("RESPONDER");
    const rm = await makeUser("RELEASE_MANAGER");
    const input = { checklistId, reason: "we missed the replication check" };
    expect(await unlockChecklistChange.run(responder, input)).toMatchObject({ ok: false, code: "forbidden" });
    expect(await unlockChecklistChange.run(rm, input)).toMatchObject({ ok: false, code: "conflict" });
    expect(await unlockChecklistChange.run(rm, { checklistId, reason: "oops" })).toMatchObject({
      ok: false,
      code: "invalid",
      field: "reason",
    });
    expect(
      await db().timelineEvent.count({ where: { kind: "CHECKLIST_UNLOCKED", payload: { path: ["checklistId"], equals: checklistId } } }),
    ).toBe(0);
    expect(await denied(responder, "checklist.unlock")).toHaveLength(1);
    expect(await denied(rm, "checklist.unlock")).toHaveLength(2);
  });

  it("report: a viewer, and an incident whose verification has not started", async () => {
    const { incident } = await started();
    const bare = await makeRolledBackIncident();
    const viewer = await makeUser("VIEWER");
    const responder = await makeUser("RESPONDER");
    expect(await renderReportChange.run(viewer, { incidentId: incident.id })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await renderReportChange.run(responder, { incidentId: bare.incident.id })).toMatchObject({ ok: false, code: "not_found" });
    expect(await db().document.count({ where: { incidentId: { in: [incident.id, bare.incident.id] }, kind: "VERIFICATION_REPORT" } })).toBe(
      0,
    );
    expect(await denied(viewer, "checklist.render_report")).toHaveLength(1);
    expect(await denied(responder, "checklist.render_report")).toHaveLength(1);
  });

  it("template: a responder, JSON that is not a template (on its field), a stale version", async () => {
    const service = await makeService();
    const admin = await makeUser("ADMIN");
    const responder = await makeUser("RESPONDER");
    const itemsJson = JSON.stringify(DEFAULT_TEMPLATE);
    expect(await saveTemplateChange.run(responder, { serviceId: service.id, version: 0, itemsJson })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    expect(await saveTemplateChange.run(admin, { serviceId: service.id, version: 0, itemsJson: "[{" })).toMatchObject({
      ok: false,
      code: "invalid",
      field: "itemsJson",
      message: expect.stringMatching(/not valid JSON/),
    });
    expect(await saveTemplateChange.run(admin, { serviceId: service.id, version: 3, itemsJson })).toMatchObject({
      ok: false,
      code: "stale",
      current: { version: 0 },
    });
    expect(await db().checklistTemplate.count({ where: { serviceId: service.id } })).toBe(0);
    expect(await denied(responder, "checklist.template_save")).toHaveLength(1);
    expect(await denied(admin, "checklist.template_save")).toHaveLength(2);
  });
});
