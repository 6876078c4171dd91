// Runbook revisions against a real database: proposed from an incident's action item, reviewed as a
// diff, published by an admin as the runbook's next version with the incident referenced in its
// history, or declined with a reason; a non-admin cannot publish (refused, audited, nothing changed);
// a draft made stale by a later save is refused with the current version.
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { makeUser } from "@/lib/testing/factories";
import { expectRefusedOnce } from "@/lib/testing/refusals";
import { makeRolledBackIncident } from "@/lib/testing/rolled-back-incident";
import { createRunbook, saveRunbookVersion } from "./mutations";
import { getRunbookWithHistory } from "./queries";
import { listRunbookRevisions } from "./revision-queries";
import {
  declineRevision,
  declineRevisionChange,
  proposeRevision,
  proposeRevisionChange,
  publishRevision,
  publishRevisionChange,
} from "./revisions";

const wait = (key: string, seconds: number) => ({ key, name: `Wait ${key}`, executor: "WAIT", config: { seconds } });
const db = () => getDb();

async function setup() {
  const f = await makeRolledBackIncident();
  const admin = await makeUser("ADMIN");
  const responder = await makeUser("RESPONDER");
  const { runbook } = await createRunbook(admin, {
    serviceId: f.service.id,
    name: "Pool restart",
    strategy: "CUSTOM",
    steps: [wait("drain", 5)],
  });
  const item = await db().actionItem.create({
    data: { incidentId: f.incident.id, title: "Check DATABASE_POOL_SIZE before the switch", priority: "HIGH", ownerId: responder.id },
  });
  const draft = {
    actionItemId: item.id,
    runbookId: runbook.id,
    baseVersion: 1,
    steps: JSON.stringify([wait("check-pool", 1), wait("drain", 10)]),
    lesson: "Connection-pool exhaustion from a missing DATABASE_POOL_SIZE",
    note: "Check the pool first; drain longer",
  };
  return { ...f, admin, responder, runbook, item, draft };
}

describe("runbook revisions", () => {
  it("a draft proposed from an action item shows its diff; publishing makes it the next version, naming the incident", async () => {
    const s = await setup();
    const revision = await proposeRevision(s.responder, s.draft);
    expect(revision).toMatchObject({ status: "DRAFT", incidentId: s.incident.id, actionItemId: s.item.id, baseVersion: 1 });

    // What the admin reviews: the diff against version 1.
    const [view] = await listRunbookRevisions(s.runbook.id);
    expect(view).toMatchObject({ id: revision.id, status: "DRAFT", actionItem: s.item.title, incident: { number: s.incident.number } });
    expect(view!.changes).toEqual([
      expect.objectContaining({ kind: "added", key: "check-pool", position: 1 }),
      expect.objectContaining({ kind: "changed", key: "drain", fields: [{ field: "config.seconds", before: "5", after: "10" }] }),
    ]);
    // Proposing changed nothing in the runbook.
    expect((await db().runbook.findUniqueOrThrow({ where: { id: s.runbook.id } })).currentVersion).toBe(1);

    const published = await publishRevision(s.admin, { revisionId: revision.id });
    expect(published).toMatchObject({ runbookId: s.runbook.id, version: 2 });
    const history = (await getRunbookWithHistory(s.runbook.id))!;
    expect(history.currentVersion).toBe(2);
    expect(history.steps.map((st) => st.key)).toEqual(["check-pool", "drain"]);
    expect(history.history[0]).toMatchObject({
      version: 2,
      createdBy: expect.any(String),
      fromIncident: { number: s.incident.number, lesson: s.draft.lesson },
      note: expect.stringContaining(`From INC-${s.incident.number}`),
    });
    expect(history.history[1]).toMatchObject({ version: 1, fromIncident: null });
    expect(await db().runbookRevision.findUniqueOrThrow({ where: { id: revision.id } })).toMatchObject({
      status: "PUBLISHED",
      decidedById: s.admin.id,
      publishedVersionId: history.history[0]!.id,
    });
    // Both on the incident's timeline, with who.
    const timeline = await db().timelineEvent.findMany({
      where: { incidentId: s.incident.id, kind: { in: ["RUNBOOK_REVISION_PROPOSED", "RUNBOOK_REVISION_PUBLISHED"] } },
      orderBy: { at: "asc" },
    });
    expect(timeline.map((e) => [e.kind, e.actorId])).toEqual([
      ["RUNBOOK_REVISION_PROPOSED", s.responder.id],
      ["RUNBOOK_REVISION_PUBLISHED", s.admin.id],
    ]);
    // Published once: a second publish is refused.
    expect(await publishRevisionChange.run(s.admin, { revisionId: revision.id })).toMatchObject({ ok: false, code: "conflict" });
  });

  it("declining records the reason; the runbook stays as it was", async () => {
    const s = await setup();
    const revision = await proposeRevision(s.responder, s.draft);
    expect(await declineRevisionChange.run(s.admin, { revisionId: revision.id, reason: "no" })).toMatchObject({
      ok: false,
      field: "reason",
    });
    await declineRevision(s.admin, { revisionId: revision.id, reason: "The pool check belongs in the deploy pipeline, not the rollback" });
    expect(await db().runbookRevision.findUniqueOrThrow({ where: { id: revision.id } })).toMatchObject({
      status: "DECLINED",
      declineReason: "The pool check belongs in the deploy pipeline, not the rollback",
      decidedById: s.admin.id,
      publishedVersionId: null,
    });
    expect((await db().runbook.findUniqueOrThrow({ where: { id: s.runbook.id } })).currentVersion).toBe(1);
    const [view] = await listRunbookRevisions(s.runbook.id);
    expect(view).toMatchObject({ status: "DECLINED", declineReason: expect.stringContaining("deploy pipeline") });
    expect(await publishRevisionChange.run(s.admin, { revisionId: revision.id })).toMatchObject({ ok: false, code: "conflict" });
  });

  it("a non-admin cannot publish or decline: refused, audited under the incident, nothing changed", async () => {
    const s = await setup();
    const revision = await proposeRevision(s.responder, s.draft);
    const snapshot = async () => [
      await db().runbookRevision.findUniqueOrThrow({ where: { id: revision.id } }),
      await db().runbook.findUniqueOrThrow({ where: { id: s.runbook.id } }),
      await db().runbookVersion.count({ where: { runbookId: s.runbook.id } }),
    ];
    for (const role of ["RESPONDER", "RELEASE_MANAGER", "VIEWER"] as const) {
      const user = await makeUser(role);
      await expectRefusedOnce({
        actor: user,
        action: "runbook.publish_revision",
        run: () => publishRevisionChange.run(user, { revisionId: revision.id }),
        snapshot,
      });
      const [row] = await db().auditLog.findMany({ where: { actorId: user.id } });
      expect(row).toMatchObject({ incidentId: s.incident.id, entityType: "RunbookRevision", entityId: revision.id });
    }
    const rm = await makeUser("RELEASE_MANAGER");
    await expectRefusedOnce({
      actor: rm,
      action: "runbook.decline_revision",
      run: () => declineRevisionChange.run(rm, { revisionId: revision.id, reason: "I do not like it" }),
      snapshot,
    });
    // A stakeholder cannot propose either.
    const viewer = await makeUser("VIEWER");
    await expectRefusedOnce({
      actor: viewer,
      action: "runbook.propose_revision",
      run: () => proposeRevisionChange.run(viewer, s.draft),
      snapshot: () => db().runbookRevision.count({ where: { runbookId: s.runbook.id } }),
    });
  });

  it("a draft is refused when it changes nothing or is not valid JSON, and is stale once the runbook moved on", async () => {
    const s = await setup();
    expect(await proposeRevisionChange.run(s.responder, { ...s.draft, steps: [wait("drain", 5)] })).toMatchObject({
      ok: false,
      field: "steps",
    });
    expect(await proposeRevisionChange.run(s.responder, { ...s.draft, steps: "[{oops" })).toMatchObject({
      ok: false,
      field: "steps",
      message: expect.stringContaining("not valid JSON"),
    });
    const revision = await proposeRevision(s.responder, s.draft);
    await saveRunbookVersion(s.admin, { runbookId: s.runbook.id, baseVersion: 1, steps: [wait("drain", 7)], note: "tuned" });
    expect(await publishRevisionChange.run(s.admin, { revisionId: revision.id })).toMatchObject({
      ok: false,
      code: "stale",
      current: { currentVersion: 2 },
    });
    expect((await db().runbookRevision.findUniqueOrThrow({ where: { id: revision.id } })).status).toBe("DRAFT");
    expect(await proposeRevisionChange.run(s.responder, s.draft)).toMatchObject({ ok: false, code: "stale" });
  });
});
