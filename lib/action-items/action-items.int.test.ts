// Action items against a real Postgres: the changes with their timeline rows and audit, the
// refusals (stale, viewer, bad input), the lists and the re-deployment readiness rule.
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { generateRca, saveRcaSectionChange } from "@/lib/rca/mutations";
import { getIncidentRca } from "@/lib/rca/queries";
import { makeIncident, makeUser } from "@/lib/testing/factories";
import { listServiceLessons } from "./lessons";
import { createActionItemChange, setActionItemStatusChange, updateActionItemChange } from "./mutations";
import { listActionItems, listActionItemsForIncident, listOverdueForOwner, redeployReadiness } from "./queries";

const NOW = new Date("2026-12-05T12:00:00.000Z");
const DAY = 86_400_000;

async function setup() {
  const incident = await makeIncident();
  const responder = await makeUser("RESPONDER");
  const owner = await makeUser("RESPONDER");
  const viewer = await makeUser("VIEWER");
  return { incident, responder, owner, viewer };
}

function itemInput(incidentId: string, ownerId: string, overrides: Record<string, unknown> = {}) {
  return {
    incidentId,
    title: "Set DATABASE_POOL_SIZE in the deploy manifest",
    ownerId,
    dueDay: "2026-12-10",
    priority: "HIGH",
    horizon: "IMMEDIATE",
    verification: "The staging deploy fails its check when the variable is missing",
    link: { kind: "url", url: "https://wiki.example.com/runbooks/pool" },
    ...overrides,
  };
}

describe("creating an action item", () => {
  it("stores it, puts it on the incident's timeline with who and when, and audits it", async () => {
    const { incident, responder, owner } = await setup();
    const outcome = await createActionItemChange.run(responder, itemInput(incident.id, owner.id), { now: NOW });
    expect(outcome.ok).toBe(true);
    const db = getDb();
    const item = await db.actionItem.findFirstOrThrow({ where: { incidentId: incident.id } });
    expect(item).toMatchObject({
      ownerId: owner.id,
      priority: "HIGH",
      horizon: "IMMEDIATE",
      status: "NOT_STARTED",
      linkUrl: "https://wiki.example.com/runbooks/pool",
      dueDate: new Date("2026-12-10T00:00:00.000Z"),
      createdById: responder.id,
      version: 1,
    });
    const events = await db.timelineEvent.findMany({ where: { incidentId: incident.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: "ACTION_ITEM_ADDED", actorId: responder.id, source: "USER", at: NOW });
    expect(events[0]?.message).toContain(`${responder.name} added action item "Set DATABASE_POOL_SIZE`);
    expect(events[0]?.message).toContain(`owner ${owner.name}, due 2026-12-10`);
    const audit = await db.auditLog.findMany({ where: { entityId: item.id } });
    expect(audit).toMatchObject([{ action: "action_item.create", outcome: "ALLOWED", actorId: responder.id, incidentId: incident.id }]);
  });

  it("refuses a stakeholder: nothing written but a DENIED audit row", async () => {
    const { incident, owner, viewer } = await setup();
    const outcome = await createActionItemChange.run(viewer, itemInput(incident.id, owner.id), { now: NOW });
    expect(outcome).toMatchObject({ ok: false, code: "forbidden" });
    const db = getDb();
    expect(await db.actionItem.count({ where: { incidentId: incident.id } })).toBe(0);
    expect(await db.timelineEvent.count({ where: { incidentId: incident.id } })).toBe(0);
    const denied = await db.auditLog.findMany({ where: { actorId: viewer.id } });
    expect(denied).toMatchObject([{ action: "action_item.create", outcome: "DENIED", incidentId: incident.id }]);
  });

  it.each([
    [{ link: { kind: "url", url: "javascript:alert(1)" } }, "link", /http/],
    [{ link: { kind: "url", url: "ftp://files.example.com/x" } }, "link", /http/],
    [{ link: { kind: "url", url: "https://user:secret@example.com/" } }, "link", /password/],
    [{ dueDay: "2026-12-04" }, "dueDay", /past/],
    [{ dueDay: "2026-02-30" }, "dueDay", /exists/],
    [{ verification: "" }, "verification", /verified/],
    [{ priority: "P0" }, "priority", /priority/],
    [{ ownerId: "no-such-user" }, "ownerId", /owner/],
    [{ link: { kind: "runbook", runbookId: "no-such-runbook" } }, "link", /runbook/],
  ])("refuses bad input %j on its field and writes nothing", async (overrides, field, message) => {
    const { incident, responder, owner } = await setup();
    const outcome = await createActionItemChange.run(responder, itemInput(incident.id, owner.id, overrides), { now: NOW });
    expect(outcome).toMatchObject({ ok: false, code: "invalid", field });
    if (!outcome.ok) expect(outcome.message).toMatch(message);
    expect(await getDb().actionItem.count({ where: { incidentId: incident.id } })).toBe(0);
  });

  it("refuses a disabled owner", async () => {
    const { incident, responder } = await setup();
    const gone = await makeUser("RESPONDER", { disabled: true });
    const outcome = await createActionItemChange.run(responder, itemInput(incident.id, gone.id), { now: NOW });
    expect(outcome).toMatchObject({ ok: false, field: "ownerId" });
  });
});

describe("changing an action item", () => {
  it("edits against the version, records what changed on the timeline, and refuses a stale edit with the current state", async () => {
    const { incident, responder, owner } = await setup();
    const other = await makeUser("RELEASE_MANAGER");
    const item = await createActionItemChange.runOrThrow(responder, itemInput(incident.id, owner.id), { now: NOW });
    const { incidentId: _, ...base } = itemInput(incident.id, owner.id);
    const first = await updateActionItemChange.run(
      other,
      { ...base, id: item.id, version: 1, priority: "MEDIUM", ownerId: other.id },
      { now: NOW },
    );
    expect(first.ok).toBe(true);
    // The responder still holds version 1: refused, with the item as the release manager left it.
    const stale = await updateActionItemChange.run(responder, { ...base, id: item.id, version: 1, title: "Something else" }, { now: NOW });
    expect(stale).toMatchObject({ ok: false, code: "stale", current: { version: 2, priority: "MEDIUM", ownerId: other.id } });
    const db = getDb();
    expect(await db.actionItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ title: base.title, version: 2 });
    const updated = await db.timelineEvent.findMany({ where: { incidentId: incident.id, kind: "ACTION_ITEM_UPDATED" } });
    expect(updated).toHaveLength(1);
    expect(updated[0]).toMatchObject({ actorId: other.id });
    expect(updated[0]?.message).toMatch(/changed the owner, priority of action item/);
    const denied = await db.auditLog.findMany({ where: { actorId: responder.id, outcome: "DENIED" } });
    expect(denied).toMatchObject([{ action: "action_item.update", entityId: item.id, incidentId: incident.id }]);
  });

  it("closes an item as DONE with who and the verification note, on the timeline; a stale close is refused", async () => {
    const { incident, responder, owner } = await setup();
    const item = await createActionItemChange.runOrThrow(responder, itemInput(incident.id, owner.id), { now: NOW });
    const started = await setActionItemStatusChange.run(owner, { id: item.id, version: 1, status: "IN_PROGRESS" }, { now: NOW });
    expect(started.ok).toBe(true);
    const stale = await setActionItemStatusChange.run(responder, { id: item.id, version: 1, status: "DONE", completionNote: "Checked" });
    expect(stale).toMatchObject({ ok: false, code: "stale", current: { status: "IN_PROGRESS", version: 2 } });
    const noNote = await setActionItemStatusChange.run(owner, { id: item.id, version: 2, status: "DONE", completionNote: "" });
    expect(noNote).toMatchObject({ ok: false, code: "invalid", field: "completionNote" });
    const later = new Date(NOW.getTime() + DAY);
    const done = await setActionItemStatusChange.run(
      owner,
      { id: item.id, version: 2, status: "DONE", completionNote: "Staging deploy without the variable now fails" },
      { now: later },
    );
    expect(done.ok).toBe(true);
    const db = getDb();
    expect(await db.actionItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({
      status: "DONE",
      completedById: owner.id,
      completedAt: later,
      completionNote: "Staging deploy without the variable now fails",
      version: 3,
    });
    // In the timeline's order (lib/timeline/queries.ts): by time, then by id (the first two share a time).
    const events = await db.timelineEvent.findMany({ where: { incidentId: incident.id }, orderBy: [{ at: "asc" }, { id: "asc" }] });
    expect(events.map((e) => e.kind)).toEqual(["ACTION_ITEM_ADDED", "ACTION_ITEM_UPDATED", "ACTION_ITEM_DONE"]);
    expect(events[2]).toMatchObject({ actorId: owner.id, at: later });
    expect(events[2]?.message).toContain("verified: Staging deploy without the variable now fails");
    // Reopening clears who closed it (the timeline keeps it).
    const reopened = await setActionItemStatusChange.run(responder, { id: item.id, version: 3, status: "IN_PROGRESS" });
    expect(reopened.ok).toBe(true);
    expect(await db.actionItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ completedById: null, completionNote: null });
  });

  it("refuses a stakeholder's status change and edit: item unchanged, audited DENIED", async () => {
    const { incident, responder, owner, viewer } = await setup();
    const item = await createActionItemChange.runOrThrow(responder, itemInput(incident.id, owner.id), { now: NOW });
    const close = await setActionItemStatusChange.run(viewer, { id: item.id, version: 1, status: "DONE", completionNote: "trust me" });
    expect(close).toMatchObject({ ok: false, code: "forbidden" });
    const { incidentId: _, ...base } = itemInput(incident.id, owner.id);
    const edit = await updateActionItemChange.run(viewer, { ...base, id: item.id, version: 1, title: "Mine now" });
    expect(edit).toMatchObject({ ok: false, code: "forbidden" });
    const db = getDb();
    expect(await db.actionItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ status: "NOT_STARTED", version: 1 });
    const denied = await db.auditLog.findMany({ where: { actorId: viewer.id }, orderBy: { id: "asc" } });
    expect(denied.map((d) => [d.action, d.outcome, d.incidentId])).toEqual([
      ["action_item.set_status", "DENIED", incident.id],
      ["action_item.update", "DENIED", incident.id],
    ]);
  });
});

describe("lists", () => {
  it("shows an owner their open items under mine, and the overdue ones once past the due day", async () => {
    const { incident, responder, owner } = await setup();
    for (const [title, dueDay] of [
      ["Alert on pool exhaustion", "2026-12-06"],
      ["Add the variable to the template", "2026-12-20"],
      ["Load test the pool", "2027-01-30"],
    ] as const) {
      await createActionItemChange.runOrThrow(responder, itemInput(incident.id, owner.id, { title, dueDay }), { now: NOW });
    }
    const mine = await listActionItems({ view: "mine" }, owner.id, NOW);
    expect(mine.items.map((i) => i.title)).toEqual(["Alert on pool exhaustion", "Add the variable to the template", "Load test the pool"]);
    expect(mine.counts.mine).toBe(3);
    // On the due day it is not yet overdue; the day after, it is.
    expect((await listOverdueForOwner(owner.id, new Date("2026-12-06T23:59:00Z"))).length).toBe(0);
    const overdue = await listOverdueForOwner(owner.id, new Date("2026-12-07T00:00:00Z"));
    expect(overdue.map((i) => i.title)).toEqual(["Alert on pool exhaustion"]);
    const filtered = await listActionItems({ view: "overdue", incident: incident.number }, owner.id, new Date("2026-12-07T00:00:00Z"));
    expect(filtered.items.map((i) => i.title)).toEqual(["Alert on pool exhaustion"]);
    expect(filtered.counts).toMatchObject({ overdue: 1, open: 3, all: 3, mine: 3 });
    expect((await listActionItems({ view: "mine" }, responder.id, NOW)).items).toEqual([]);
    expect((await listActionItemsForIncident(incident.id)).length).toBe(3);
  });
});

describe("redeployReadiness", () => {
  it("is not ready while a linked HIGH item is open, and ready once every HIGH item is DONE", async () => {
    const { incident, responder, owner } = await setup();
    const high1 = await createActionItemChange.runOrThrow(responder, itemInput(incident.id, owner.id, { title: "High one" }), { now: NOW });
    const high2 = await createActionItemChange.runOrThrow(responder, itemInput(incident.id, owner.id, { title: "High two" }), { now: NOW });
    await createActionItemChange.runOrThrow(responder, itemInput(incident.id, owner.id, { title: "Low one", priority: "LOW" }), {
      now: NOW,
    });
    let readiness = await redeployReadiness(incident.id);
    expect(readiness).toMatchObject({ ready: false, highTotal: 2, highDone: 0 });
    expect(readiness.blocking.map((b) => b.title)).toEqual(["High one", "High two"]);
    await setActionItemStatusChange.runOrThrow(responder, {
      id: high1.id,
      version: 1,
      status: "DONE",
      completionNote: "Verified in staging",
    });
    readiness = await redeployReadiness(incident.id);
    expect(readiness).toMatchObject({ ready: false, highDone: 1 });
    expect(readiness.blocking.map((b) => b.title)).toEqual(["High two"]);
    await setActionItemStatusChange.runOrThrow(responder, {
      id: high2.id,
      version: 1,
      status: "DONE",
      completionNote: "Verified in staging",
    });
    // The LOW item is still open: it does not hold the re-deployment back.
    expect(await redeployReadiness(incident.id)).toMatchObject({ ready: true, highTotal: 2, highDone: 2, blocking: [] });
  });
});

describe("listServiceLessons", () => {
  it("shows a new incident the service's earlier incidents with their open action items, not later or other services' ones", async () => {
    const { incident: first, responder, owner } = await setup();
    const db = getDb();
    const open = await createActionItemChange.runOrThrow(responder, itemInput(first.id, owner.id, { title: "Still open" }), { now: NOW });
    const closed = await createActionItemChange.runOrThrow(responder, itemInput(first.id, owner.id, { title: "Closed" }), { now: NOW });
    await setActionItemStatusChange.runOrThrow(responder, { id: closed.id, version: 1, status: "DONE", completionNote: "Verified" });
    const base = { serviceId: first.serviceId, badVersion: "v3", previousVersion: "v2", severity: "SEV2" as const };
    const at = (ms: number) => ({ deployedAt: new Date(ms), detectedAt: new Date(ms), declaredAt: new Date(ms) });
    const second = await db.incident.create({ data: { ...base, title: "Second", ...at(Date.now() + 1000) } });
    const third = await db.incident.create({ data: { ...base, title: "Third", ...at(Date.now() + 2000) } });
    await makeIncident(); // another service's

    const lessons = await listServiceLessons(second.id);
    expect(lessons.map((l) => l.id)).toEqual([first.id]);
    expect(lessons[0]?.actionItems.map((a) => a.id)).toEqual([open.id]);
    expect(lessons[0]?.lessons).toEqual({ technical: [], process: [] });
    // Once the first incident's RCA records lessons, the later ones show them.
    await generateRca(responder, { incidentId: first.id });
    const rca = await getIncidentRca(first.id);
    if (!rca) throw new Error("no RCA");
    await saveRcaSectionChange.runOrThrow(responder, {
      documentId: rca.document.id,
      section: "lessons",
      rev: rca.version.content.sections.lessons.rev,
      value: { technical: ["Set DATABASE_POOL_SIZE explicitly"], process: ["Review config diffs at deploy"] },
    });
    expect((await listServiceLessons(second.id))[0]?.lessons).toEqual({
      technical: ["Set DATABASE_POOL_SIZE explicitly"],
      process: ["Review config diffs at deploy"],
    });
    // The third sees both earlier ones, newest first; the first sees none.
    expect((await listServiceLessons(third.id)).map((l) => l.id)).toEqual([second.id, first.id]);
    expect(await listServiceLessons(first.id)).toEqual([]);
  });
});
