// Metric items tick themselves from real samples in the built-in store: the value and time that
// satisfied them are recorded as an automatic change, once, however many instances evaluate.
import { describe, expect, it } from "vitest";
import type { MetricKind } from "@/generated/prisma/enums";
import { getDb } from "@/lib/db";
import { makeUser } from "@/lib/testing/factories";
import { queuedJobs, runDueJobs, withJobCommitRefused } from "@/lib/testing/jobs";
import { makeRolledBackIncident } from "@/lib/testing/rolled-back-incident";
import { autoSatisfyChange, evaluateMetricItems } from "./evaluator";
import { firstEvaluationKey, startVerification, updateChecklistItem } from "./mutations";
import { getChecklistView } from "./queries";

const db = () => getDb();

/** One sample every 5 s in [from, to) per metric, with a little noise around the value. */
async function samples(serviceId: string, from: number, to: number, values: Partial<Record<MetricKind, number>>) {
  const rows: { serviceId: string; metric: MetricKind; ts: Date; value: number }[] = [];
  for (let t = from; t < to; t += 5000) {
    for (const [metric, v] of Object.entries(values) as [MetricKind, number][]) {
      rows.push({ serviceId, metric, ts: new Date(t), value: v * (1 + (Math.random() - 0.5) * 0.04) });
    }
  }
  await db().metricSample.createMany({ data: rows });
}

const HEALTHY = { ERROR_RATE: 0.005, LATENCY_P95: 100, LATENCY_P99: 150, THROUGHPUT: 50 };

/** A rolled-back incident with samples before, during and `after` the bad release; verification not started. */
async function measured(after: Partial<Record<MetricKind, number>>) {
  const now = Date.now();
  const fixture = await makeRolledBackIncident({ deployedAt: new Date(now - 2 * 3600_000), rollbackEndedAt: new Date(now - 3 * 60_000) });
  const { service, deployedAt, endedAt } = fixture;
  await samples(service.id, deployedAt.getTime() - 3600_000, deployedAt.getTime(), HEALTHY);
  // The bad release, up to the end of the rollback: must not count for the checklist.
  await samples(service.id, deployedAt.getTime(), endedAt.getTime(), {
    ERROR_RATE: 0.15,
    LATENCY_P95: 900,
    LATENCY_P99: 2000,
    THROUGHPUT: 20,
  });
  await samples(service.id, endedAt.getTime(), now, after);
  return { ...fixture, responder: await makeUser("RESPONDER"), now: new Date(now) };
}

async function scenario(after: Partial<Record<MetricKind, number>>) {
  const made = await measured(after);
  await startVerification(made.responder, { incidentId: made.incident.id });
  return made;
}

const metricItems = async (incidentId: string) => (await getChecklistView(incidentId))!.items.filter((i) => i.kind === "METRIC");

describe("metric items", () => {
  it("tick themselves when the metrics since the rollback are back, recording value and time, once across concurrent evaluators", async () => {
    const { incident, now } = await scenario({ ERROR_RATE: 0.004, LATENCY_P95: 104, LATENCY_P99: 152, THROUGHPUT: 49 });
    // Three instances evaluate at the same moment.
    const runs = await Promise.all([1, 2, 3].map(() => evaluateMetricItems({ incidentId: incident.id, now })));
    const recorded = runs.flatMap((r) => r.flatMap((c) => c.items.filter((i) => i.recorded)));
    expect(recorded).toHaveLength(4);
    const items = await metricItems(incident.id);
    expect(items.map((i) => [i.key, i.status, i.autoSatisfied, i.updatedBy])).toEqual([
      ["system.error-rate", "PASSED", true, null],
      ["system.latency-p99", "PASSED", true, null],
      ["system.latency-p95", "PASSED", true, null],
      ["system.throughput", "PASSED", true, null],
    ]);
    const err = items[0];
    expect(err.satisfiedValue).toBeGreaterThan(0.0035);
    expect(err.satisfiedValue).toBeLessThan(0.0045);
    expect(err.satisfiedAt).toBe(now.toISOString());
    expect(items[1].satisfiedBaseline).toBeGreaterThan(140);
    expect(items[1].satisfiedBaseline).toBeLessThan(160);
    const history = await db().checklistItemChange.findMany({ where: { itemId: { in: items.map((i) => i.id) } } });
    expect(history).toHaveLength(4);
    expect(history.every((h) => h.automatic && h.changedById === null && h.satisfiedValue !== null)).toBe(true);
    const events = await db().timelineEvent.findMany({
      where: { incidentId: incident.id, kind: "CHECKLIST_ITEM_UPDATED", source: "METRICS" },
    });
    expect(events).toHaveLength(4);
    expect(events.find((e) => e.message.startsWith('"Error rate'))?.message).toMatch(/ticked itself: 0\.\d+% ≤ 1% \(the absolute limit\)/);
    // Recorded by the system, as itself: four ALLOWED rows naming no person; the losers recorded nothing.
    const audit = await db().auditLog.findMany({ where: { incidentId: incident.id, action: "checklist.item_auto_satisfied" } });
    expect(audit).toHaveLength(4);
    expect(audit.every((a) => a.outcome === "ALLOWED" && a.actorId === null)).toBe(true);
    expect(audit[0].details).toMatchObject({ system: "checklist evaluator" });
    // Nothing left to do on the next pass.
    expect(await evaluateMetricItems({ incidentId: incident.id, now })).toEqual([]);
  });

  it("stay open while a metric is still off, and wait for the service to settle after the rollback", async () => {
    const { incident, now, endedAt } = await scenario({ ERROR_RATE: 0.03, LATENCY_P95: 100, LATENCY_P99: 400, THROUGHPUT: 50 });
    const early = await evaluateMetricItems({ incidentId: incident.id, now: new Date(endedAt.getTime() + 30_000) });
    expect(early[0].skipped).toMatch(/after the rollback/);
    const [result] = await evaluateMetricItems({ incidentId: incident.id, now });
    const byKey = Object.fromEntries(result.items.map((i) => [i.label, i]));
    expect(byKey["Error rate back to baseline"].judgement.ok).toBe(false);
    expect(byKey["Error rate back to baseline"].judgement.reason).toMatch(/^(2\.9\d|3|3\.0\d)% > 1% \(the absolute limit\)$/);
    expect(byKey["p99 latency within range of baseline"].recorded).toBe(false);
    expect(byKey["p95 latency within range of baseline"].recorded).toBe(true);
    const items = await metricItems(incident.id);
    expect(
      items
        .filter((i) => i.status === "PASSED")
        .map((i) => i.key)
        .sort(),
    ).toEqual(["system.latency-p95", "system.throughput"]);
  });

  it("leave a person's override alone, and show it as one", async () => {
    const { incident, now, responder } = await scenario({ ERROR_RATE: 0.002, LATENCY_P95: 100, LATENCY_P99: 150, THROUGHPUT: 50 });
    const err = (await metricItems(incident.id)).find((i) => i.key === "system.error-rate")!;
    await updateChecklistItem(responder, { itemId: err.id, version: 1, status: "FAILED", note: "errors hidden by a retry loop" });
    await evaluateMetricItems({ incidentId: incident.id, now });
    const after = (await metricItems(incident.id)).find((i) => i.key === "system.error-rate")!;
    expect(after).toMatchObject({ status: "FAILED", isOverride: true, autoSatisfied: false, version: 2 });
  });
});

describe("the automatic tick", () => {
  it("is the system's change only: a person calling it is refused, nothing changes, one DENIED row", async () => {
    const { incident, responder, now } = await scenario(HEALTHY);
    const err = (await metricItems(incident.id)).find((i) => i.key === "system.error-rate")!;
    const input = { incidentId: incident.id, itemId: err.id, version: 1, value: 0.005, baseline: 0.005, limit: 0.01, reason: "fine" };
    expect(await autoSatisfyChange.run(responder, input, { now })).toMatchObject({ ok: false, code: "forbidden" });
    expect((await metricItems(incident.id)).find((i) => i.id === err.id)).toMatchObject({ status: "PENDING", version: 1 });
    expect(
      await db().auditLog.count({ where: { actorId: responder.id, action: "checklist.item_auto_satisfied", outcome: "DENIED" } }),
    ).toBe(1);
  });
});

describe("the first evaluation", () => {
  it("is a job added by the transaction that starts verification: none when it rolls back; once it commits, the job ticks what is back", async () => {
    const { incident, responder } = await measured({ ERROR_RATE: 0.004, LATENCY_P95: 104, LATENCY_P99: 152, THROUGHPUT: 49 });
    const key = firstEvaluationKey(incident.id);
    const jobs = async () => (await queuedJobs("checklist.first_evaluation")).filter((j) => j.key === key);

    await withJobCommitRefused(key, () =>
      expect(startVerification(responder, { incidentId: incident.id })).rejects.toThrow(/commit refused by the test/),
    );
    expect(await db().checklist.count({ where: { incidentId: incident.id } })).toBe(0);
    expect(await jobs()).toEqual([]);

    // Committed: the job is there, nothing evaluated yet (starting does not wait on the metrics).
    const started = await startVerification(responder, { incidentId: incident.id });
    expect(started.created).toBe(true);
    expect(await jobs()).toMatchObject([{ payload: { incidentId: incident.id }, attempts: 0, lockedAt: null }]);
    expect((await metricItems(incident.id)).map((i) => i.status)).toEqual(["PENDING", "PENDING", "PENDING", "PENDING"]);
    // A second start (the same click twice) adds no job.
    expect((await startVerification(responder, { incidentId: incident.id })).created).toBe(false);
    expect(await jobs()).toHaveLength(1);

    await runDueJobs();
    expect(await jobs()).toEqual([]);
    const items = await metricItems(incident.id);
    expect(items.map((i) => [i.key, i.status, i.autoSatisfied])).toEqual([
      ["system.error-rate", "PASSED", true],
      ["system.latency-p99", "PASSED", true],
      ["system.latency-p95", "PASSED", true],
      ["system.throughput", "PASSED", true],
    ]);
    expect(await db().auditLog.count({ where: { incidentId: incident.id, action: "checklist.item_auto_satisfied" } })).toBe(4);
  });
});
