import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/audit/log";
import { getDb } from "@/lib/db";
import { ConflictError, ForbiddenError, StaleError } from "@/lib/errors";
import { declareIncident } from "@/lib/incidents/mutations";
import { startRun, startRunChange, startRunUntil } from "@/lib/rollback/engine/runs";
import { makeService, makeUser } from "@/lib/testing/factories";
import {
  approveAndStart,
  approveDecision,
  approveDecisionChange,
  changePlan,
  changePlanChange,
  proposeDecision,
  proposeDecisionChange,
  rejectDecision,
  rejectDecisionChange,
  setManualCriterion,
  setManualCriterionChange,
} from "./mutations";

let incidentId: string;
let serviceName: string;
beforeEach(async () => {
  const service = await makeService();
  serviceName = service.name;
  const responder = await makeUser("RESPONDER");
  const ago = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
  const incident = await declareIncident(responder, {
    title: `Decision test ${randomUUID().slice(0, 6)}`,
    serviceId: service.id,
    badVersion: "v2",
    previousVersion: "v1",
    severity: "SEV2",
    deployedAt: ago(30),
    detectedAt: ago(20),
  });
  incidentId = incident.id;
});

/** The audit rows of one refused attempt: exactly one, DENIED, with the refusal's code. */
async function deniedRows(actor: Actor, action: string) {
  return getDb().auditLog.findMany({ where: { actorId: actor.id, action, outcome: "DENIED" } });
}

/**
 * The execution side's gate, from the outside: starting a run of this plan is refused with `code`
 * (conflict: not approved as it stands; stale: not the decision's current plan), audited DENIED
 * once, and no run exists.
 */
async function expectStartRefused(decisionId: string, planHash: string, code: "conflict" | "stale") {
  const operator = await makeUser("RESPONDER");
  const outcome = await startRunChange.run(operator, { decisionId, planHash });
  expect(outcome).toMatchObject(
    code === "conflict" ? { ok: false, code, message: expect.stringMatching(/not approved as it stands/) } : { ok: false, code },
  );
  expect(await getDb().rollbackRun.count({ where: { decisionId } })).toBe(0);
  expect(await deniedRows(operator, "rollback.run_start")).toHaveLength(1);
}

/** Starting the run of an approved plan works: one run, of exactly that plan. */
async function expectStarts(decisionId: string, planHash: string) {
  const { run, created } = await startRun(await makeUser("RESPONDER"), { decisionId, planHash });
  expect({ created, decisionId: run.decisionId, planHash: run.planHash }).toEqual({ created: true, decisionId, planHash });
  expect(await getDb().rollbackRun.count({ where: { decisionId } })).toBe(1);
}

const blueGreen = () => ({ incidentId, tier: "FAST" as const, strategy: "BLUE_GREEN" as const, reason: "error rate 15% since the deploy" });

describe("proposing a decision", () => {
  it("freezes the evidence, records the plan and waits for approval, with timeline and audit", async () => {
    const responder = await makeUser("RESPONDER");
    const decision = await proposeDecision(responder, blueGreen());
    const db = getDb();
    expect(decision).toMatchObject({
      status: "PROPOSED",
      tier: "FAST",
      strategy: "BLUE_GREEN",
      requiredApprovals: 1,
      decidedById: responder.id,
    });
    expect(decision.planHash).toMatch(/^[0-9a-f]{64}$/);
    const evidence = await db.evidenceSnapshot.findUniqueOrThrow({ where: { id: decision.evidenceId } });
    expect((evidence.metrics as { assessments: unknown[] }).assessments).toHaveLength(6);
    expect(evidence.criteria).toHaveProperty("recommendedTier");
    expect((await db.incident.findUniqueOrThrow({ where: { id: incidentId } })).status).toBe("AWAITING_APPROVAL");
    expect(await db.timelineEvent.count({ where: { incidentId, kind: "DECISION_PROPOSED" } })).toBe(1);
    expect(await db.auditLog.count({ where: { entityId: decision.id, action: "decision.propose", outcome: "ALLOWED" } })).toBe(1);
    await expect(db.evidenceSnapshot.update({ where: { id: evidence.id }, data: { probes: [] } })).rejects.toThrow(/immutable/);
  });

  it("refuses a viewer and audits it", async () => {
    const viewer = await makeUser("VIEWER");
    await expect(proposeDecision(viewer, blueGreen())).rejects.toBeInstanceOf(ForbiddenError);
    expect(await getDb().decision.count({ where: { incidentId } })).toBe(0);
    expect(await getDb().auditLog.count({ where: { actorId: viewer.id, action: "decision.propose", outcome: "DENIED" } })).toBe(1);
  });
});

describe("approving", () => {
  it("cannot be self-granted or granted by a responder; both attempts are audited", async () => {
    const proposer = await makeUser("RELEASE_MANAGER");
    const responder = await makeUser("RESPONDER");
    const decision = await proposeDecision(proposer, blueGreen());
    await expect(approveDecision(proposer, { decisionId: decision.id, planHash: decision.planHash })).rejects.toThrow(/You proposed/);
    await expect(approveDecision(responder, { decisionId: decision.id, planHash: decision.planHash })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    const denied = await getDb().auditLog.findMany({
      where: { action: "decision.approve", outcome: "DENIED", actorId: { in: [proposer.id, responder.id] } },
    });
    expect(denied).toHaveLength(2);
    expect((await getDb().decision.findUniqueOrThrow({ where: { id: decision.id } })).status).toBe("PROPOSED");
  });

  it("is approved by another release manager, and the incident moves on", async () => {
    const decision = await proposeDecision(await makeUser("RESPONDER"), blueGreen());
    const rm = await makeUser("RELEASE_MANAGER");
    expect((await approveDecision(rm, { decisionId: decision.id, planHash: decision.planHash })).approved).toBe(true);
    expect((await getDb().decision.findUniqueOrThrow({ where: { id: decision.id } })).status).toBe("APPROVED");
    expect((await getDb().incident.findUniqueOrThrow({ where: { id: incidentId } })).status).toBe("APPROVED");
    await expectStarts(decision.id, decision.planHash);
  });

  it("needs two different release managers and the typed service name for a database restore", async () => {
    const decision = await proposeDecision(await makeUser("RESPONDER"), {
      ...blueGreen(),
      strategy: "DATABASE_RESTORE",
      tier: "IMMEDIATE",
    });
    expect(decision.requiredApprovals).toBe(2);
    const rm1 = await makeUser("RELEASE_MANAGER");
    const rm2 = await makeUser("RELEASE_MANAGER");
    await expect(approveDecision(rm1, { decisionId: decision.id, planHash: decision.planHash, confirmation: "wrong" })).rejects.toThrow(
      /type the service name/,
    );
    expect((await approveDecision(rm1, { decisionId: decision.id, planHash: decision.planHash, confirmation: serviceName })).approved).toBe(
      false,
    );
    // The same release manager again: refused, audited once, nothing recorded.
    const again = await approveDecisionChange.run(rm1, { decisionId: decision.id, planHash: decision.planHash, confirmation: serviceName });
    expect(again).toMatchObject({ ok: false, code: "forbidden", message: expect.stringMatching(/different release manager/) });
    expect(await getDb().approval.count({ where: { decisionId: decision.id } })).toBe(1);
    const denied = await deniedRows(rm1, "decision.approve");
    // The wrong confirmation earlier and this second approval: one row each.
    expect(denied.map((d) => (d.details as { code: string }).code).sort()).toEqual(["confirmation", "forbidden"]);
    await expectStartRefused(decision.id, decision.planHash, "conflict");
    expect((await approveDecision(rm2, { decisionId: decision.id, planHash: decision.planHash, confirmation: serviceName })).approved).toBe(
      true,
    );
    expect((await getDb().decision.findUniqueOrThrow({ where: { id: decision.id } })).status).toBe("APPROVED");
    await expectStarts(decision.id, decision.planHash);
  });

  it("no longer counts once the plan changes, on the page and for execution", async () => {
    const responder = await makeUser("RESPONDER");
    const decision = await proposeDecision(responder, blueGreen());
    const rm = await makeUser("RELEASE_MANAGER");
    await approveDecision(rm, { decisionId: decision.id, planHash: decision.planHash });
    await changePlan(responder, { decisionId: decision.id, removeStepKey: "notify" });
    const changed = await getDb().decision.findUniqueOrThrow({ where: { id: decision.id } });
    expect(changed.status).toBe("PROPOSED");
    expect(changed.planHash).not.toBe(decision.planHash);
    await expectStartRefused(decision.id, decision.planHash, "stale");
    await expectStartRefused(decision.id, changed.planHash, "conflict");
    // An approval of the old plan is refused; approving the new one works.
    const late = await makeUser("RELEASE_MANAGER");
    const stale = await approveDecisionChange.run(late, { decisionId: decision.id, planHash: decision.planHash });
    expect(stale).toMatchObject({ ok: false, code: "stale", current: { planHash: changed.planHash } });
    await expect(approveDecision(late, { decisionId: decision.id, planHash: decision.planHash })).rejects.toBeInstanceOf(StaleError);
    expect(await getDb().approval.count({ where: { approverId: late.id } })).toBe(0);
    expect(await deniedRows(late, "decision.approve")).toHaveLength(2);
    await approveDecision(rm, { decisionId: decision.id, planHash: changed.planHash });
    await expect(changePlan(responder, { decisionId: decision.id, removeStepKey: "switch-traffic" })).rejects.toThrow(/required/);
    await expectStarts(decision.id, changed.planHash);
  });

  it("can be rejected with a reason, which sends the incident back to assessment", async () => {
    const decision = await proposeDecision(await makeUser("RESPONDER"), blueGreen());
    await rejectDecision(await makeUser("RELEASE_MANAGER"), {
      decisionId: decision.id,
      reason: "errors are from the payment provider, not us",
    });
    expect((await getDb().decision.findUniqueOrThrow({ where: { id: decision.id } })).status).toBe("REJECTED");
    expect((await getDb().incident.findUniqueOrThrow({ where: { id: incidentId } })).status).toBe("ASSESSING");
  });
});

describe("manual criteria", () => {
  it("records who ticked what, on the timeline", async () => {
    const responder = await makeUser("RESPONDER");
    await setManualCriterion(responder, { incidentId, criterionId: "data-corruption", checked: true, note: "orders missing rows" });
    const incident = await getDb().incident.findUniqueOrThrow({ where: { id: incidentId } });
    expect(incident.manualCriteria).toMatchObject({
      "data-corruption": { checked: true, note: "orders missing rows", by: responder.name },
    });
    expect(await getDb().timelineEvent.count({ where: { incidentId, message: { contains: "Data corruption detected" } } })).toBe(1);
  });
});

describe("refused callers: refused with a code, nothing changed, one DENIED row", () => {
  it("propose: a viewer, and a resolved incident", async () => {
    const viewer = await makeUser("VIEWER");
    expect(await proposeDecisionChange.run(viewer, blueGreen())).toMatchObject({ ok: false, code: "forbidden" });
    expect(await deniedRows(viewer, "decision.propose")).toHaveLength(1);
    const responder = await makeUser("RESPONDER");
    expect(await proposeDecisionChange.run(responder, { ...blueGreen(), reason: "short" })).toMatchObject({
      ok: false,
      code: "invalid",
      field: "reason",
    });
    await getDb().incident.update({ where: { id: incidentId }, data: { status: "RESOLVED", resolvedAt: new Date() } });
    expect(await proposeDecisionChange.run(responder, blueGreen())).toMatchObject({ ok: false, code: "conflict" });
    expect(await getDb().decision.count({ where: { incidentId } })).toBe(0);
    expect(await getDb().evidenceSnapshot.count({ where: { incidentId } })).toBe(0);
    expect(await deniedRows(responder, "decision.propose")).toHaveLength(2);
  });

  it("approve: an unknown decision", async () => {
    const rm = await makeUser("RELEASE_MANAGER");
    expect(await approveDecisionChange.run(rm, { decisionId: "no-such-decision", planHash: "0".repeat(64) })).toMatchObject({
      ok: false,
      code: "not_found",
    });
    expect(await deniedRows(rm, "decision.approve")).toHaveLength(1);
  });

  it("reject: the proposer, and a responder", async () => {
    const proposer = await makeUser("RELEASE_MANAGER");
    const responder = await makeUser("RESPONDER");
    const decision = await proposeDecision(proposer, blueGreen());
    const input = { decisionId: decision.id, reason: "not convinced by the evidence" };
    expect(await rejectDecisionChange.run(proposer, input)).toMatchObject({ ok: false, code: "forbidden" });
    expect(await rejectDecisionChange.run(responder, input)).toMatchObject({ ok: false, code: "forbidden" });
    expect((await getDb().decision.findUniqueOrThrow({ where: { id: decision.id } })).status).toBe("PROPOSED");
    expect(await getDb().approval.count({ where: { decisionId: decision.id } })).toBe(0);
    expect(await deniedRows(proposer, "decision.reject")).toHaveLength(1);
    const [row] = await deniedRows(responder, "decision.reject");
    expect(row).toMatchObject({ entityType: "Decision", entityId: decision.id });
  });

  it("change plan: a viewer, and a required step", async () => {
    const responder = await makeUser("RESPONDER");
    const viewer = await makeUser("VIEWER");
    const decision = await proposeDecision(responder, blueGreen());
    expect(await changePlanChange.run(viewer, { decisionId: decision.id, removeStepKey: "notify" })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    expect(await changePlanChange.run(responder, { decisionId: decision.id, removeStepKey: "switch-traffic" })).toMatchObject({
      ok: false,
      code: "invalid",
    });
    expect((await getDb().decision.findUniqueOrThrow({ where: { id: decision.id } })).planHash).toBe(decision.planHash);
    expect(await deniedRows(viewer, "decision.change_plan")).toHaveLength(1);
    expect(await deniedRows(responder, "decision.change_plan")).toHaveLength(1);
  });

  it("manual criterion: a viewer, and an unknown criterion", async () => {
    const viewer = await makeUser("VIEWER");
    const responder = await makeUser("RESPONDER");
    const input = { incidentId, criterionId: "data-corruption", checked: true };
    expect(await setManualCriterionChange.run(viewer, input)).toMatchObject({ ok: false, code: "forbidden" });
    expect(await setManualCriterionChange.run(responder, { ...input, criterionId: "made-up" })).toMatchObject({
      ok: false,
      code: "invalid",
      field: "criterionId",
    });
    expect((await getDb().incident.findUniqueOrThrow({ where: { id: incidentId } })).manualCriteria).toEqual({});
    expect(await deniedRows(viewer, "incident.manual_criterion")).toHaveLength(1);
    expect(await deniedRows(responder, "incident.manual_criterion")).toHaveLength(1);
  });
});

// "Approve and start" and "Start rollback" (run until the next destructive step): one change each,
// every safeguard of the changes they are made of, and both halves recorded.
const propose = (startOnApproval: boolean) => ({
  incidentId,
  tier: "FAST" as const,
  strategy: "BLUE_GREEN" as const,
  reason: "error rate 15% since the deploy",
  startOnApproval,
});
const key = () => `key-${randomUUID()}`;

describe("approve and start", () => {
  it("approves and starts the run until the next destructive step in one change, on the timeline and in one audit row", async () => {
    const responder = await makeUser("RESPONDER");
    const rm = await makeUser("RELEASE_MANAGER");
    const decision = await proposeDecision(responder, propose(true));
    expect(decision.startOnApproval).toBe(true);
    const result = await approveAndStart(rm, { decisionId: decision.id, planHash: decision.planHash, idempotencyKey: key() });
    expect(result.created).toBe(true);
    expect(result.autoRun).toMatchObject({ outcome: "started", stopBefore: null });
    const db = getDb();
    expect((await db.decision.findUniqueOrThrow({ where: { id: decision.id } })).status).toBe("APPROVED");
    const run = await db.rollbackRun.findUniqueOrThrow({ where: { id: result.runId }, include: { steps: true } });
    expect(run).toMatchObject({ status: "RUNNING", startedById: rm.id, autoRunById: rm.id, autoRunUntil: 8 });
    const kinds = (await db.timelineEvent.findMany({ where: { incidentId }, select: { kind: true } })).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(["DECISION_APPROVED", "AUTO_RUN_STARTED"]));
    const audit = await db.auditLog.findMany({ where: { actorId: rm.id, action: "decision.approve_and_start", outcome: "ALLOWED" } });
    expect(audit).toHaveLength(1);
    expect(audit[0].details).toMatchObject({ approval: { planHash: decision.planHash }, runId: run.id });
  });

  it("is refused, and changes nothing, when the proposer did not ask for it, for the proposer, and for a stale plan", async () => {
    const rm = await makeUser("RELEASE_MANAGER");
    const db = getDb();
    const notAsked = await proposeDecision(await makeUser("RESPONDER"), propose(false));
    await expect(approveAndStart(rm, { decisionId: notAsked.id, planHash: notAsked.planHash, idempotencyKey: key() })).rejects.toThrow(
      ConflictError,
    );
    expect(await db.approval.count({ where: { decisionId: notAsked.id } })).toBe(0);

    // A release manager who proposed may not approve it, with or without the start.
    const proposer = await makeUser("RELEASE_MANAGER");
    const own = await proposeDecision(proposer, propose(true));
    await expect(approveAndStart(proposer, { decisionId: own.id, planHash: own.planHash, idempotencyKey: key() })).rejects.toThrow(
      ForbiddenError,
    );
    await expect(approveAndStart(rm, { decisionId: own.id, planHash: "0".repeat(64), idempotencyKey: key() })).rejects.toThrow(
      /plan changed/,
    );
    expect(await db.approval.count({ where: { decisionId: own.id } })).toBe(0);
    expect(await db.rollbackRun.count({ where: { decisionId: own.id } })).toBe(0);
    // A responder cannot approve at all.
    await expect(
      approveAndStart(await makeUser("RESPONDER"), { decisionId: own.id, planHash: own.planHash, idempotencyKey: key() }),
    ).rejects.toThrow(ForbiddenError);
  });

  it("a database restore (two approvers, destructive steps) is refused at the first approver and keeps its typed confirmation", async () => {
    const responder = await makeUser("RESPONDER");
    const decision = await proposeDecision(responder, { ...propose(true), strategy: "DATABASE_RESTORE" });
    const rm = await makeUser("RELEASE_MANAGER");
    await expect(approveAndStart(rm, { decisionId: decision.id, planHash: decision.planHash, idempotencyKey: key() })).rejects.toThrow(
      /service name/,
    );
    const svc = (await getDb().incident.findUniqueOrThrow({ where: { id: incidentId }, include: { service: true } })).service.name;
    await expect(
      approveAndStart(rm, { decisionId: decision.id, planHash: decision.planHash, confirmation: svc, idempotencyKey: key() }),
    ).rejects.toThrow(/needs 2 approvals/);
    expect(await getDb().approval.count({ where: { decisionId: decision.id } })).toBe(0);
  });
});

describe("start rollback (run until the next destructive step)", () => {
  it("starts the run and runs the steps before the first destructive one; a second click starts nothing more", async () => {
    const responder = await makeUser("RESPONDER");
    const decision = await proposeDecision(responder, { ...propose(false), strategy: "DATABASE_RESTORE" });
    const svc = (await getDb().incident.findUniqueOrThrow({ where: { id: incidentId }, include: { service: true } })).service.name;
    await approveDecision(await makeUser("RELEASE_MANAGER"), { decisionId: decision.id, planHash: decision.planHash, confirmation: svc });
    await approveDecision(await makeUser("RELEASE_MANAGER"), { decisionId: decision.id, planHash: decision.planHash, confirmation: svc });
    const k = key();
    const result = await startRunUntil(responder, { decisionId: decision.id, planHash: decision.planHash, idempotencyKey: k });
    expect(result.autoRun).toMatchObject({ outcome: "started", stopBefore: { position: 2, name: "Stop application instances" } });
    const again = await startRunUntil(responder, { decisionId: decision.id, planHash: decision.planHash, idempotencyKey: k });
    expect(again).toMatchObject({ runId: result.runId, created: false, autoRun: null });
    expect(await getDb().auditLog.count({ where: { actorId: responder.id, action: "rollback.run_start_until_destructive" } })).toBe(1);
  });
});
