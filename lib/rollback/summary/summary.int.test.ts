// The rollback summary against a real database and the built-in metrics store: time to stability
// from real samples, metrics after the rollback against the baseline, exactly one document per run.
import { describe, expect, it } from "vitest";
import type { MetricKind } from "@/generated/prisma/enums";
import { getDb } from "@/lib/db";
import { approvedDecision } from "@/lib/testing/rollback";
import type { RollbackSummaryContent } from "./content";
import { ensureRollbackSummary } from "./generate";

const db = () => getDb();
const MIN = 60_000;

async function samples(serviceId: string, from: number, to: number, everyMs: number, value: (t: number) => [number, number]) {
  const rows: { serviceId: string; metric: MetricKind; ts: Date; value: number }[] = [];
  for (let t = from; t <= to; t += everyMs) {
    const [errorRate, p99] = value(t);
    rows.push({ serviceId, metric: "ERROR_RATE", ts: new Date(t), value: errorRate });
    rows.push({ serviceId, metric: "LATENCY_P99", ts: new Date(t), value: p99 });
  }
  await db().metricSample.createMany({ data: rows });
}

/** A run that switched traffic `switchAgoMin` minutes ago and ended `endAgoMin` minutes ago, all steps done. */
async function endedRun(switchAgoMin: number, endAgoMin: number) {
  const made = await approvedDecision([
    { key: "switch", name: "Switch traffic", executor: "WAIT", config: { seconds: 1 }, changesTraffic: true },
    { key: "verify", name: "Verify metrics", executor: "VERIFY_METRICS", config: { maxErrorRate: 0.05, maxP99Ms: 250 } },
  ]);
  const now = Date.now();
  const at = (agoMin: number) => new Date(now - agoMin * MIN);
  await db().rollbackStep.update({ where: { id: made.steps[0].id }, data: { state: "SUCCEEDED", attempts: 1, endedAt: at(switchAgoMin) } });
  await db().rollbackStep.update({ where: { id: made.steps[1].id }, data: { state: "SUCCEEDED", attempts: 1, endedAt: at(endAgoMin) } });
  await db().rollbackRun.update({
    where: { id: made.run.id },
    data: { status: "SUCCEEDED", startedAt: at(switchAgoMin + 2), endedAt: at(endAgoMin) },
  });
  await db().incident.update({ where: { id: made.incident.id }, data: { usersAffected: 1800, failedTransactions: 240 } });
  return { ...made, now, switchAt: now - switchAgoMin * MIN, endAt: now - endAgoMin * MIN };
}

describe("the rollback summary", () => {
  it("measures time to stability and the metrics after the rollback against baseline, and is written once", async () => {
    const { run, incident, now, switchAt, endAt } = await endedRun(8, 2);
    const deployedAt = incident.deployedAt.getTime();
    // Baseline before the deploy: 1% errors, p99 120 ms. The bad release: 20%, 600 ms. Back 90 s after the switch.
    await samples(incident.serviceId, deployedAt - 60 * MIN, deployedAt - 5000, 15_000, () => [0.01, 120]);
    await samples(incident.serviceId, deployedAt, now, 5000, (t) => (t < switchAt + 90_000 ? [0.2, 600] : [0.012, 130]));

    const results = await Promise.all(Array.from({ length: 5 }, () => ensureRollbackSummary(run.id)));
    expect(results.filter((r) => r?.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r?.documentId)).size).toBe(1);
    expect(await ensureRollbackSummary(run.id)).toEqual({ documentId: results[0]?.documentId, created: false }); // a job run again finds it written

    const doc = await db().document.findFirstOrThrow({ where: { runId: run.id }, include: { versions: true } });
    expect(doc).toMatchObject({ kind: "ROLLBACK_SUMMARY", incidentId: incident.id, currentVersion: 1 });
    expect(doc.versions).toHaveLength(1);
    expect(await db().document.count({ where: { runId: run.id } })).toBe(1);
    expect(await db().timelineEvent.count({ where: { incidentId: incident.id, kind: "DOCUMENT_UPDATED" } })).toBe(1);
    expect(await db().auditLog.count({ where: { entityId: doc.id, action: "document.rollback_summary" } })).toBe(1);

    const content = doc.versions[0].content as unknown as RollbackSummaryContent;
    expect(content.stability.thresholds).toEqual({ maxErrorRate: 0.05, maxP99Ms: 250 });
    expect(content.stability.anchor?.stepName).toBe("Switch traffic");
    // 90 s after the switch, to within one 5 s bucket.
    expect(content.stability.timeToStabilityMs).toBeGreaterThanOrEqual(85_000);
    expect(content.stability.timeToStabilityMs).toBeLessThanOrEqual(95_000);
    expect(content.run).toMatchObject({ status: "SUCCEEDED", durationMs: 8 * MIN });
    expect(content.impact).toMatchObject({ usersAffected: 1800, failedTransactions: 240, supportTickets: null });
    // After the rollback: the last 5 minutes before the end (the service's current window), all recovered.
    expect(Date.parse(content.metrics.afterWindow.to)).toBe(endAt);
    expect(Date.parse(content.metrics.afterWindow.from)).toBe(endAt - 5 * MIN);
    const row = (m: MetricKind) => content.metrics.rows.find((r) => r.metric === m);
    expect(row("ERROR_RATE")).toMatchObject({ baseline: 0.01, after: 0.012 });
    expect(row("LATENCY_P99")).toMatchObject({ baseline: 120, after: 130 });
    expect(doc.versions[0].markdown).toMatch(/\| Time to stability \| 1 min (2[5-9]|3[0-5]) s after "Switch traffic"/);
    expect(doc.versions[0].markdown).toContain("| Error rate | 1% | 1.2% |");
    expect(doc.versions[0].markdown).toContain("- Users affected: 1,800");
  });

  it("says so when the service never got back within the thresholds, and nothing is written for a run still going", async () => {
    const { run, incident, now, switchAt } = await endedRun(4, 1);
    await samples(incident.serviceId, switchAt - MIN, now, 5000, () => [0.09, 140]);
    const result = await ensureRollbackSummary(run.id);
    expect(result?.created).toBe(true);
    const version = await db().documentVersion.findFirstOrThrow({ where: { documentId: result!.documentId } });
    const content = version.content as unknown as RollbackSummaryContent;
    expect(content.stability).toMatchObject({ stableAt: null, timeToStabilityMs: null });
    expect(content.stability.note).toMatch(/^not back within error rate ≤ 5%, p99 ≤ 250 ms/);
    expect(content.nextSteps[1]).toMatch(/were not back within the thresholds when the run ended/);

    const open = await approvedDecision([{ key: "a", name: "A", executor: "WAIT", config: { seconds: 1 } }]);
    expect(await ensureRollbackSummary(open.run.id)).toBeNull();
    expect(await db().document.count({ where: { runId: open.run.id } })).toBe(0);
  });
});
