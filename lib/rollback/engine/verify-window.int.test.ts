// The verify-metrics step through the real worker, on samples in the built-in store: its window starts at
// its run's traffic switch, so a service that is healthy again since the switch passes although the rest of
// its usual window (before the switch) is bad, and its baseline check is the incident page's verdict.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { MetricKind } from "@/generated/prisma/enums";
import { getDb } from "@/lib/db";
import { BuiltinProvider } from "@/lib/metrics/builtin";
import { resolveMateriality } from "@/lib/metrics/materiality";
import { EXECUTORS } from "@/lib/rollback/executors";
import { approvedDecision } from "@/lib/testing/rollback";
import { requestStep } from "./runs";
import { StepWorker } from "./worker";

let tmp: string;
let worker: StepWorker | undefined;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "backout-verify-"));
});
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** One sample every `every` ms in [from, to), with a fixed ±2 % wobble so every run sees the same values. */
async function samples(serviceId: string, from: number, to: number, every: number, values: Partial<Record<MetricKind, number>>) {
  const rows: { serviceId: string; metric: MetricKind; ts: Date; value: number }[] = [];
  let i = 0;
  for (let t = from; t < to; t += every, i++) {
    for (const [metric, v] of Object.entries(values) as [MetricKind, number][])
      rows.push({ serviceId, metric, ts: new Date(t), value: v * (1 + 0.02 * Math.sin(i * 1.7)) });
  }
  await getDb().metricSample.createMany({ data: rows });
}

async function settled(stepId: string) {
  const until = Date.now() + 20_000;
  for (;;) {
    const s = await getDb().rollbackStep.findUniqueOrThrow({ where: { id: stepId } });
    if (s.state === "SUCCEEDED" || s.state === "FAILED") return s;
    if (Date.now() > until) throw new Error(`step still ${s.state}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const HEALTHY = { ERROR_RATE: 0.01, LATENCY_P99: 150 };
const BAD = { ERROR_RATE: 0.2, LATENCY_P99: 900 };

describe("the verify-metrics step's window", () => {
  it("starts at the run's traffic switch: bad samples before it no longer count, and the baseline verdict is the page's", async () => {
    const verifyConfig = { maxErrorRate: 0.05, maxP99Ms: 300, windowSeconds: 120, withinBaselineTolerance: 0.5 };
    const { steps, operator, service } = await approvedDecision([
      { key: "switch", name: "Switch traffic back", executor: "WAIT", config: { seconds: 1 }, changesTraffic: true },
      { key: "verify", name: "Verify metrics", executor: "VERIFY_METRICS", config: verifyConfig },
    ]);
    const incident = await getDb().incident.findFirstOrThrow({ where: { serviceId: service.id } });
    const deployedAt = incident.deployedAt.getTime();
    const start = Date.now();
    // Healthy for the hour before the deploy, bad from the deploy until now.
    await samples(service.id, deployedAt - 3600_000, deployedAt, 5000, HEALTHY);
    await samples(service.id, deployedAt, start, 1000, BAD);

    worker = new StepWorker({ pollMs: 100, heartbeatMs: 300, workDir: tmp });
    await worker.start();
    await requestStep(operator, { stepId: steps[0].id, idempotencyKey: randomUUID() });
    const switched = await settled(steps[0].id);
    expect(switched.state).toBe("SUCCEEDED");
    const switchedAt = switched.endedAt!.getTime();

    // Healthy again from the switch on; the step runs a few seconds later.
    await samples(service.id, switchedAt + 1, switchedAt + 60_000, 500, HEALTHY);
    await new Promise((r) => setTimeout(r, 4000));
    await requestStep(operator, { stepId: steps[1].id, idempotencyKey: randomUUID() });
    const verify = await settled(steps[1].id);
    expect(verify.state, verify.error ?? verify.resultNote ?? "").toBe("SUCCEEDED");
    const output = verify.output as {
      window: unknown;
      p99Ms: { value: number };
      baseline: { verdict: string; reason: string; baselinesUsed: string[]; ok: boolean };
    };
    expect(output.window).toEqual({ from: new Date(switchedAt).toISOString(), to: expect.any(String), sinceSwitch: true });
    expect(output.p99Ms.value).toBeLessThan(160);
    expect(output.baseline).toMatchObject({ verdict: "no-significant-change", baselinesUsed: ["pre-deploy"], ok: true });
    expect(output.baseline.reason).toMatch(/^p99 150 ms → 1\d\d ms compared with before the deploy/);
    const log = await getDb().stepLogLine.findMany({ where: { stepId: steps[1].id }, orderBy: { id: "asc" } });
    expect(log[0].line).toMatch(/^querying the built-in metrics store for the samples since the switch at /);

    // The same samples judged over the last windowSeconds, as before this rule: the bad minutes fail it.
    const ctx = {
      signal: new AbortController().signal,
      log: () => undefined,
      env: {},
      workDir: tmp,
      previous: {},
      metrics: {
        provider: new BuiltinProvider(service.id),
        baselineWindow: { from: deployedAt - 3600_000, to: deployedAt },
        switchedAt: null,
        materiality: resolveMateriality({}),
      },
    };
    const unbounded = await EXECUTORS.VERIFY_METRICS(verifyConfig, ctx);
    expect(unbounded.ok).toBe(false);
    // The bad samples' p99 is 900 ms ± the 2 % wobble (882–918 ms), whichever samples the window holds.
    const judged = unbounded.summary.match(
      /^error rate \d+(\.\d+)?% > 5%; p99 (\d+) ms > 300 ms; p99 more than 50% worse than the baseline: p99 150 ms → (\d+) ms/,
    );
    expect(judged, unbounded.summary).not.toBeNull();
    for (const p99 of [Number(judged?.[2]), Number(judged?.[3])]) {
      expect(p99).toBeGreaterThanOrEqual(882);
      expect(p99).toBeLessThanOrEqual(918);
    }
  });
});
