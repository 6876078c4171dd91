// The evidence's windows against real samples in the built-in store: the current window starts at the
// traffic switch (so a rolled-back service stops reading "Worse" once its samples are back), and the same
// clock window a day earlier is used as a baseline when the store has it.
import { describe, expect, it } from "vitest";
import type { MetricKind } from "@/generated/prisma/enums";
import { getDb } from "@/lib/db";
import { makeRolledBackIncident } from "@/lib/testing/rolled-back-incident";
import { loadLastTrafficSwitch, loadMetricWindows, serviceForMetricsSelect } from "./incident-metrics";

const DAY = 24 * 3600_000;

/** One sample every 5 s in [from, to), with a fixed ±2 % wobble so every run sees the same values. */
async function samples(serviceId: string, from: number, to: number, values: Partial<Record<MetricKind, number>>) {
  const rows: { serviceId: string; metric: MetricKind; ts: Date; value: number }[] = [];
  let i = 0;
  for (let t = from; t < to; t += 5000, i++) {
    for (const [metric, v] of Object.entries(values) as [MetricKind, number][])
      rows.push({ serviceId, metric, ts: new Date(t), value: v * (1 + 0.02 * Math.sin(i * 1.7)) });
  }
  await getDb().metricSample.createMany({ data: rows });
}

const forMetrics = (id: string) => getDb().service.findUniqueOrThrow({ where: { id }, select: serviceForMetricsSelect });

const HEALTHY = { LATENCY_P99: 150, THROUGHPUT: 50 };
const BAD = { LATENCY_P99: 2000, THROUGHPUT: 20 };

describe("loadMetricWindows", () => {
  it("starts the current window at the last traffic switch: bad samples before it no longer count", async () => {
    const now = Date.now();
    const { service, incident, run, deployedAt, endedAt } = await makeRolledBackIncident({
      deployedAt: new Date(now - 2 * 3600_000),
      rollbackEndedAt: new Date(now - 2 * 60_000),
    });
    await getDb().rollbackStep.updateMany({ where: { runId: run.id }, data: { changesTraffic: true } });
    await samples(service.id, deployedAt.getTime() - 3600_000, deployedAt.getTime(), HEALTHY);
    await samples(service.id, deployedAt.getTime(), endedAt.getTime(), BAD);
    await samples(service.id, endedAt.getTime(), now, HEALTHY);

    const switchedAt = await loadLastTrafficSwitch(incident.id);
    expect(switchedAt).toBe(endedAt.getTime());

    const before = await loadMetricWindows(await forMetrics(service.id), deployedAt, now);
    expect(before.switchedAt).toBeNull();
    expect(before.assessments.find((a) => a.metric === "LATENCY_P99")?.verdict).toBe("worse");

    const after = await loadMetricWindows(await forMetrics(service.id), deployedAt, now, { switchedAt });
    expect(after.switchedAt).toBe(endedAt.getTime());
    expect(after.currentWindow.from).toBe(endedAt.getTime());
    const p99 = after.assessments.find((a) => a.metric === "LATENCY_P99")!;
    expect(p99.verdict).toBe("no-significant-change");
    expect(p99.baselinesUsed).toEqual(["pre-deploy"]);
    expect(after.assessments.every((a) => a.verdict !== "worse")).toBe(true);
  });

  it("uses the same clock window a day earlier when the store has it, and names it", async () => {
    const now = Date.now();
    const { service, deployedAt } = await makeRolledBackIncident({ deployedAt: new Date(now - 3600_000) });
    // Throughput twice as high now as before the deploy — and so it was yesterday at these hours.
    await samples(service.id, deployedAt.getTime() - 3600_000, deployedAt.getTime(), { THROUGHPUT: 50 });
    await samples(service.id, now - 10 * 60_000, now, { THROUGHPUT: 100 });
    await samples(service.id, deployedAt.getTime() - 3600_000 - DAY, deployedAt.getTime() - DAY, { THROUGHPUT: 52 });
    await samples(service.id, now - 20 * 60_000 - DAY, now + 10 * 60_000 - DAY, { THROUGHPUT: 101 });

    const w = await loadMetricWindows(await forMetrics(service.id), deployedAt, now);
    const throughput = w.assessments.find((a) => a.metric === "THROUGHPUT")!;
    expect(throughput.baselinesUsed).toEqual(["pre-deploy", "day-earlier"]);
    expect(throughput.verdict).toBe("no-significant-change");
    expect(throughput.reason).toMatch(/the same time a day earlier/);
  });
});
