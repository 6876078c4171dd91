// Readiness frozen into a decision: the checks run at the proposal are stored with the evidence
// (immutable like it), an approval past a failed one is refused without the approver's explicit
// acknowledgement (a raw call, no UI), and with it is recorded on the timeline and in the audit
// row; the preparation log and the run's rollback summary list the frozen checks with their times.

import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { approveDecisionChange, proposeDecision } from "@/lib/decision/mutations";
import { startRun } from "@/lib/rollback/engine/runs";
import type { RollbackSummaryContent } from "@/lib/rollback/summary/content";
import { ensureRollbackSummary } from "@/lib/rollback/summary/generate";
import { makeService, makeUser } from "@/lib/testing/factories";
import { expectRefusedOnce } from "@/lib/testing/refusals";
import { checkReadiness, currentReadiness } from "./store";
import { PROPOSAL_READINESS_MAX_AGE_MS, parseFrozenReadiness, READINESS_MAX_AGE_MS } from "./types";

const db = () => getDb();
let healthStatus = 503;
let healthProbes = 0;
let server: http.Server;
let base = "";

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === "/health") healthProbes++;
    res.writeHead(req.url === "/health" ? healthStatus : 200).end("ok");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

function blueGreenSteps() {
  return [
    { key: "identify-active", name: "Identify the active environment", executor: "HTTP", config: { url: `${base}/active` } },
    { key: "verify-target-health", name: "Verify blue (v1) is healthy", executor: "HEALTH_CHECK", config: { urls: [`${base}/health`] } },
    {
      key: "switch-traffic",
      name: "Switch traffic to blue",
      executor: "HTTP",
      changesTraffic: true,
      config: { method: "POST", url: `${base}/switch`, body: "{}" },
    },
    { key: "wait-propagation", name: "Wait for propagation", executor: "WAIT", config: { seconds: 1 } },
    { key: "verify-metrics", name: "Verify metrics", executor: "VERIFY_METRICS", config: {} },
    { key: "verify-endpoints", name: "Verify critical endpoints", executor: "HEALTH_CHECK", config: { urls: [`${base}/`] } },
  ];
}

async function incidentWithRunbook() {
  const service = await makeService();
  await db().runbook.create({
    data: {
      serviceId: service.id,
      name: "Blue-green",
      strategy: "BLUE_GREEN",
      versions: { create: { version: 1, steps: blueGreenSteps() } },
    },
  });
  const now = Date.now();
  const incident = await db().incident.create({
    data: {
      title: `Readiness ${randomUUID().slice(0, 6)}`,
      serviceId: service.id,
      badVersion: "v2",
      previousVersion: "v1",
      severity: "SEV2",
      status: "ASSESSING",
      deployedAt: new Date(now - 30 * 60_000),
      detectedAt: new Date(now - 20 * 60_000),
    },
  });
  return { service, incident };
}

describe("readiness frozen into the decision", () => {
  it("a failed check at the proposal needs the approver's acknowledgement, recorded; the summary lists the preparation log", async () => {
    const { incident } = await incidentWithRunbook();
    const responder = await makeUser("RESPONDER");
    const rm = await makeUser("RELEASE_MANAGER");
    healthStatus = 503;
    const proposedAt = Date.now();
    const decision = await proposeDecision(responder, {
      incidentId: incident.id,
      tier: "FAST",
      strategy: "BLUE_GREEN",
      reason: "Errors since v2; blue still runs v1",
    });
    expect(Date.now() - proposedAt).toBeLessThan(9000);
    const evidence = await db().evidenceSnapshot.findUniqueOrThrow({ where: { id: decision.evidenceId } });
    const frozen = parseFrozenReadiness(evidence.readiness);
    const health = frozen?.checks.find((c) => c.kind === "target-health");
    expect(health).toMatchObject({
      label: "Blue health",
      result: "fail",
      stepKeys: ["verify-target-health"],
      numbers: { healthyProbes: 0, probes: 3 },
    });
    expect(health?.summary).toBe("the rollback target unhealthy, 0/3 probes: answered 503, expected 200");
    expect(Date.parse(health?.checkedAt ?? "")).toBeGreaterThanOrEqual(proposedAt - 1000);
    expect(frozen?.checks.filter((c) => c.kind !== "target-health").map((c) => [c.kind, c.result])).toEqual([
      ["secrets", "pass"],
      ["runbook", "pass"],
    ]);
    // Immutable like the rest of the frozen evidence.
    await expect(db().$executeRaw`UPDATE "EvidenceSnapshot" SET readiness = '[]'::jsonb WHERE id = ${decision.evidenceId}`).rejects.toThrow(
      /immutable/,
    );

    // The service's health comes back: the frozen record does not change with it.
    healthStatus = 200;
    const approvals = () => db().approval.findMany({ where: { decisionId: decision.id } });
    await expectRefusedOnce({
      actor: rm,
      action: "decision.approve",
      code: "confirmation",
      run: () => approveDecisionChange.run(rm, { decisionId: decision.id, planHash: decision.planHash }),
      snapshot: async () => [await approvals(), await db().decision.findUnique({ where: { id: decision.id } })],
    });
    const refused = await db().auditLog.findFirstOrThrow({ where: { actorId: rm.id, outcome: "DENIED" } });
    expect(refused.details).toMatchObject({ failedReadinessChecks: [health?.id] });

    const approved = await approveDecisionChange.run(rm, {
      decisionId: decision.id,
      planHash: decision.planHash,
      acknowledgeFailedChecks: true,
    });
    expect(approved).toMatchObject({ ok: true });
    const event = await db().timelineEvent.findFirstOrThrow({ where: { incidentId: incident.id, kind: "DECISION_APPROVED" } });
    expect(event.message).toContain("acknowledging failed readiness checks: Blue health: the rollback target unhealthy, 0/3 probes");
    const allowed = await db().auditLog.findFirstOrThrow({ where: { actorId: rm.id, outcome: "ALLOWED", action: "decision.approve" } });
    expect(allowed.details).toMatchObject({ acknowledgedFailedChecks: [health?.id] });

    // The preparation log, as the run's summary lists it: every frozen check, its words and its time.
    const operator = await makeUser("RESPONDER");
    const { run } = await startRun(operator, { decisionId: decision.id, planHash: decision.planHash });
    await db().rollbackStep.updateMany({ where: { runId: run.id }, data: { state: "SKIPPED" } });
    await db().rollbackRun.update({ where: { id: run.id }, data: { status: "SUCCEEDED", startedAt: new Date(), endedAt: new Date() } });
    const summary = await ensureRollbackSummary(run.id);
    const version = await db().documentVersion.findFirstOrThrow({ where: { documentId: summary?.documentId } });
    const content = version.content as unknown as RollbackSummaryContent;
    expect(content.preparation?.checkedAt).toBe(frozen?.checkedAt);
    expect(content.preparation?.checks.map((c) => [c.label, c.result, c.checkedAt])).toEqual(
      frozen?.checks.map((c) => [c.label, c.result, c.checkedAt]),
    );
    expect(content.preparation?.checks[0]).toEqual({
      label: "Blue health",
      result: "fail",
      summary: health?.summary,
      checkedAt: health?.checkedAt,
    });
    const at = `${health?.checkedAt.slice(0, 19).replace("T", " ")} UTC`;
    expect(version.markdown).toContain("## Preparation log");
    expect(version.markdown).toContain(
      `| Blue health | Failed | the rollback target unhealthy, 0/3 probes: answered 503, expected 200 | ${at} |`,
    );
  });

  it("with every check passing, approval needs no acknowledgement", async () => {
    const { incident } = await incidentWithRunbook();
    healthStatus = 200;
    const decision = await proposeDecision(await makeUser("RESPONDER"), {
      incidentId: incident.id,
      tier: "FAST",
      strategy: "BLUE_GREEN",
      reason: "Errors since v2; blue still runs v1",
    });
    const frozen = parseFrozenReadiness((await db().evidenceSnapshot.findUniqueOrThrow({ where: { id: decision.evidenceId } })).readiness);
    expect(frozen?.checks.map((c) => c.result)).toEqual(["pass", "pass", "pass"]);
    expect(frozen?.checks[0].summary).toBe("the rollback target healthy, 3/3 probes");
    const rm = await makeUser("RELEASE_MANAGER");
    expect(await approveDecisionChange.run(rm, { decisionId: decision.id, planHash: decision.planHash })).toMatchObject({ ok: true });
  });

  it("a proposal freezes the round its page checked moments ago, waits for a round in flight, and checks anew past 30 s", async () => {
    const { service, incident } = await incidentWithRunbook();
    const responder = await makeUser("RESPONDER");
    const propose = () =>
      proposeDecision(responder, { incidentId: incident.id, tier: "FAST", strategy: "BLUE_GREEN", reason: "Errors since v2" });
    const frozenOf = async (decision: { evidenceId: string }) =>
      parseFrozenReadiness((await db().evidenceSnapshot.findUniqueOrThrow({ where: { id: decision.evidenceId } })).readiness);
    const age = (ms: number) =>
      db().serviceReadiness.update({ where: { serviceId: service.id }, data: { checkedAt: new Date(Date.now() - ms) } });

    // The page opened a moment ago and checked: the proposal freezes that round, probing nothing.
    healthStatus = 200;
    const shown = await checkReadiness(service.id);
    const probes = healthProbes;
    const first = await frozenOf(await propose());
    expect(healthProbes).toBe(probes);
    expect(first?.checkedAt).toBe(shown.checkedAt);
    expect(first?.checks.map((c) => c.result)).toEqual(["pass", "pass", "pass"]);

    // Older than the bound: the proposal runs the checks itself, and freezes what they find now.
    healthStatus = 503;
    await age(PROPOSAL_READINESS_MAX_AGE_MS + 1000);
    const proposedAt = Date.now();
    const second = await frozenOf(await propose());
    expect(healthProbes).toBe(probes + 3);
    expect(Date.parse(second?.checkedAt ?? "")).toBeGreaterThanOrEqual(proposedAt);
    expect(second?.checks[0]).toMatchObject({ kind: "target-health", result: "fail" });

    // A round already in flight (the page's poll took the lease): the proposal waits for it rather
    // than probing the service a second time, and freezes its result.
    healthStatus = 200;
    await age(PROPOSAL_READINESS_MAX_AGE_MS + 1000);
    const inFlight = currentReadiness(service.id, 0);
    await expect
      .poll(async () => (await db().serviceReadiness.findUnique({ where: { serviceId: service.id } }))?.leaseUntil ?? null)
      .not.toBeNull();
    const third = await frozenOf(await propose());
    const stored = await inFlight;
    expect(healthProbes).toBe(probes + 6);
    expect(third?.checkedAt).toBe(stored.checkedAt);
    expect(third?.checks[0]).toMatchObject({ kind: "target-health", result: "pass" });

    // A panel's poll while a round is in flight (the page that opened a moment ago started it) waits
    // for that round and answers its result, not the stale one it replaces; nothing probed twice.
    await age(PROPOSAL_READINESS_MAX_AGE_MS + 1000);
    const staleAt = (await db().serviceReadiness.findUniqueOrThrow({ where: { serviceId: service.id } })).checkedAt?.toISOString();
    const round = currentReadiness(service.id, 0);
    await expect
      .poll(async () => (await db().serviceReadiness.findUnique({ where: { serviceId: service.id } }))?.leaseUntil ?? null)
      .not.toBeNull();
    const polled = await currentReadiness(service.id, 0);
    expect(polled.checkedAt).not.toBe(staleAt);
    expect(polled.checkedAt).toBe((await round).checkedAt);
    expect(healthProbes).toBe(probes + 9);

    // An open page's poll (and its opening) serves a result younger than READINESS_MAX_AGE_MS as it
    // is, and re-runs an older one: what a page has asked for stays inside the proposal's window.
    await age(READINESS_MAX_AGE_MS - 3000);
    await currentReadiness(service.id);
    expect(healthProbes).toBe(probes + 9);
    await age(READINESS_MAX_AGE_MS + 1000);
    const refreshedAt = Date.now();
    const refreshed = await currentReadiness(service.id);
    expect(healthProbes).toBe(probes + 12);
    expect(Date.parse(refreshed.checkedAt ?? "")).toBeGreaterThanOrEqual(refreshedAt);
  });
});
