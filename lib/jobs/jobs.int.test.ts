// The job system against a real PostgreSQL: three app-like instances (child processes, each with
// its own pool) evaluate the checklists once per interval between them; the rollback summary job
// exists exactly when the transaction that ends the run commits; retention deletes old samples.
import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { evaluateMetricItems } from "@/lib/checklist/evaluator";
import { startVerification } from "@/lib/checklist/mutations";
import type { Tx } from "@/lib/db";
import { getDb } from "@/lib/db";
import { abortRun } from "@/lib/rollback/engine/runs";
import { enqueueRollbackSummary } from "@/lib/rollback/summary/generate";
import { makeService, makeUser } from "@/lib/testing/factories";
import { queuedJobs, runDueJobs, withJobCommitRefused } from "@/lib/testing/jobs";
import { closeServer, listen } from "@/lib/testing/prometheus-harness";
import { approvedDecision } from "@/lib/testing/rollback";
import { makeRolledBackIncident } from "@/lib/testing/rolled-back-incident";
import { enqueueJob } from "./enqueue";
import { startJobRunner } from "./runner";

const db = () => getDb();
const ROOT = path.resolve(import.meta.dirname, "../..");
const children: ChildProcess[] = [];
const servers: http.Server[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await Promise.all(servers.splice(0).map(closeServer));
});

async function waitFor<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** An app-like instance: lib/jobs/test-instance.ts in its own process, configured by environment like the app. */
function startInstance(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "lib/jobs/test-instance.ts"], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const out = { text: "" };
  child.stdout?.on("data", (d) => {
    out.text += String(d);
  });
  child.stderr?.on("data", (d) => {
    out.text += String(d);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, out, exited };
}

/**
 * A Prometheus stand-in that records every range query. An evaluation of a checklist asks for its
 * baseline window (ending at the deploy) and for windows ending at the evaluation's "now": the
 * distinct ends after the deploy count the evaluations, whichever process made them.
 */
async function countingPrometheus() {
  const queries: { end: number; at: number }[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname === "/api/v1/query_range") queries.push({ end: Number(url.searchParams.get("end")), at: Date.now() });
    res.writeHead(200, { "content-type": "application/json" });
    // No series: the items stay open, so every interval's evaluation asks again.
    res.end(JSON.stringify({ status: "success", data: { resultType: "matrix", result: [] } }));
  });
  servers.push(server);
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, queries };
}

/** The evaluations seen by the stand-in: per distinct window end after `after` (seconds), its number of queries. */
function evaluationsAfter(queries: { end: number }[], after: number): Map<number, number> {
  const byEnd = new Map<number, number>();
  for (const q of queries) if (q.end > after) byEnd.set(q.end, (byEnd.get(q.end) ?? 0) + 1);
  return byEnd;
}

describe("three app instances on one database", () => {
  it("evaluate the checklists' metric items once per interval between them, not once per instance", async () => {
    const EVERY_MS = 1500;
    // Jobs other test files left due (their runs' summaries) run now, not in the instances under test.
    await runDueJobs();
    const prometheus = await countingPrometheus();
    const fixture = await makeRolledBackIncident({ rollbackEndedAt: new Date(Date.now() - 3 * 60_000) });
    const responder = await makeUser("RESPONDER");
    await startVerification(responder, { incidentId: fixture.incident.id });
    // The start's own first evaluation (a job of its own, lib/checklist/mutations.ts) runs now,
    // before the stand-in counts: what is counted below is the periodic chain only.
    await runDueJobs();
    await db().service.update({
      where: { id: fixture.service.id },
      data: { metricsProvider: "PROMETHEUS", prometheusUrl: prometheus.url, prometheusSelector: 'service="checkout"' },
    });
    const afterDeploy = fixture.deployedAt.getTime() / 1000;

    // What one evaluation of this checklist costs the metrics source.
    const [alone] = await evaluateMetricItems({ incidentId: fixture.incident.id });
    expect(alone.skipped).toMatch(/has no data/);
    const single = [...evaluationsAfter(prometheus.queries, afterDeploy).values()];
    expect(single).toHaveLength(1);
    expect(single[0]).toBeGreaterThan(0);
    prometheus.queries.length = 0;

    // Three instances, as three `next start` on one database would run them.
    const instances = [1, 2, 3].map(() => startInstance({ BACKOUT_CHECKLIST_EVALUATE_MS: String(EVERY_MS) }));
    for (const i of instances) {
      await waitFor("an instance to start", () => i.out.text.includes("ready"), 60_000).catch((e) => {
        throw new Error(`${e.message}: ${i.out.text}`);
      });
    }
    const from = Date.now();
    await new Promise((r) => setTimeout(r, 6 * EVERY_MS));
    for (const i of instances) i.child.kill("SIGTERM");
    // A clean stop: each instance finishes what it runs, releases its jobs and exits by itself.
    expect(await Promise.all(instances.map((i) => i.exited))).toEqual([0, 0, 0]);
    const to = Date.now();

    // The queries of the evaluations since the deploy (the baseline window ends at the deploy).
    // An evaluation asks every query for one "now": the distinct window ends (to the millisecond)
    // after the deploy count the evaluations. Not the number of queries: with no data, the batched
    // query gives up at the first empty answer and asks per metric (queryTolerant), so how many
    // queries one evaluation sends depends on which answers came back first.
    const current = prometheus.queries.filter((q) => q.end > afterDeploy);
    const byEnd = evaluationsAfter(current, afterDeploy);
    const said = () =>
      [
        ...instances.map((i, n) => `instance ${n + 1}:\n${i.out.text}`),
        "queries per window end since the deploy:",
        ...[...byEnd].map(([end, n]) => `${end}: ${n}`),
      ].join("\n");
    const evaluated = byEnd.size;
    // The instances' own record agrees: one job run per evaluation, each for its own slot of the
    // interval's grid (due times one or more whole intervals apart, never two for one slot) — so
    // three instances made one evaluation per slot between them, not three.
    const ran = instances.flatMap((i) => [...i.out.text.matchAll(/^ran checklist\.evaluate (\S+)$/gm)].map((m) => Date.parse(m[1])));
    const skipped = instances.flatMap((i) => [...i.out.text.matchAll(/checklist evaluation skipped the slot/g)]).length;
    expect(ran, said()).toHaveLength(evaluated + skipped);
    const due = ran.sort((a, b) => a - b);
    const steps = due.slice(1).map((t, i) => (t - due[i]) / EVERY_MS);
    expect(steps.every((n) => Number.isInteger(n) && n >= 1)).toBe(true);
    // So at most one per interval while all three ran (three instances on timers would make three
    // per interval), and the chain kept going. How many slots were skipped depends on how long one
    // evaluation takes: it judges every open checklist in the database (in the full suite, other
    // files' too) and a slot is skipped while the previous one still runs, so only "more than one"
    // is asserted here; the skipping itself is the next test's.
    const intervals = Math.floor((to - from) / EVERY_MS);
    const whileAllRan = [...byEnd.keys()].filter((end) => end * 1000 >= from && end * 1000 <= to).length;
    expect(whileAllRan).toBeLessThanOrEqual(intervals + 1);
    expect(whileAllRan).toBeGreaterThanOrEqual(2);

    // After the stop: one evaluation waits for the next instance, none is left locked by a dead one.
    // A slot a stopping instance caught as it started may be left failed (graphile-worker fails the
    // jobs it releases at shutdown); with one attempt per slot it is never run again.
    const left = await queuedJobs("checklist.evaluate");
    const waiting = left.filter((j) => j.attempts < j.maxAttempts);
    expect(waiting, `${JSON.stringify(left)}\n${said()}`).toHaveLength(1);
    expect(waiting[0]).toMatchObject({ key: "checklist.evaluate", lockedAt: null, attempts: 0, maxAttempts: 1 });
    for (const done of left.filter((j) => j.attempts >= j.maxAttempts))
      expect(done, `${JSON.stringify(left)}\n${said()}`).toMatchObject({ key: null, lockedAt: null });
    expect(
      (await queuedJobs()).filter((j) => j.lockedAt !== null),
      said(),
    ).toEqual([]);
    // The maintenance is on the cluster's cron, once per time for all instances.
    const crontabs = await db().$queryRaw<{ identifier: string }[]>`
      SELECT identifier FROM graphile_worker._private_known_crontabs ORDER BY identifier`;
    expect(crontabs.map((c) => c.identifier)).toEqual(["action_items.overdue", "live.prune", "metrics.retention"]);
  });
});

describe("the checklist evaluation", () => {
  it("skips its slot while another evaluation still runs (held as an advisory lock), and goes on when it is done", async () => {
    const EVERY_MS = 1000;
    const prometheus = await countingPrometheus();
    const fixture = await makeRolledBackIncident({ rollbackEndedAt: new Date(Date.now() - 3 * 60_000) });
    await startVerification(await makeUser("RESPONDER"), { incidentId: fixture.incident.id });
    // The start's own first evaluation runs now, before the lock is taken and the stand-in counts.
    await runDueJobs();
    await db().service.update({
      where: { id: fixture.service.id },
      data: { metricsProvider: "PROMETHEUS", prometheusUrl: prometheus.url, prometheusSelector: 'service="checkout"' },
    });
    const afterDeploy = fixture.deployedAt.getTime() / 1000;
    // "Another evaluation": a session holding the lock an evaluation takes.
    const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock(hashtextextended('checklist.evaluate', 0))");
      const runner = await startJobRunner({ checklistEvaluateMs: EVERY_MS, pollIntervalMs: 100, maintenance: false });
      const ran: number[] = [];
      runner.events.on("job:success", ({ job }) => {
        if (job.task_identifier === "checklist.evaluate") ran.push(Date.now());
      });
      try {
        await waitFor("two slots to pass", () => ran.length >= 2, 10_000);
        expect(evaluationsAfter(prometheus.queries, afterDeploy).size).toBe(0);
        await holder.query("SELECT pg_advisory_unlock(hashtextextended('checklist.evaluate', 0))");
        await waitFor("an evaluation", () => evaluationsAfter(prometheus.queries, afterDeploy).size > 0, 10_000);
      } finally {
        await runner.stop();
      }
    } finally {
      await holder.end();
    }
  });
});

describe("the rollback summary job", () => {
  it("is added by the transaction that ends the run: none when it rolls back, the document once it commits and the job ran", async () => {
    const { run, operator, incident } = await approvedDecision([{ key: "a", name: "A", executor: "WAIT", config: { seconds: 1 } }]);
    const key = `rollback.summary:${run.id}`;
    const summaryJobs = async () => (await queuedJobs("rollback.summary")).filter((j) => j.key === key);

    // The end's transaction fails at COMMIT, after everything in it ran: the job row's trigger refusing
    // it shows the job was added in that very transaction.
    await withJobCommitRefused(key, () =>
      expect(abortRun(operator, { runId: run.id, reason: "the deploy system is down" })).rejects.toThrow(/commit refused by the test/),
    );
    expect((await db().rollbackRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe(run.status);
    expect(await summaryJobs()).toEqual([]);

    // Committed: the job is there, the document not yet (nothing waits for the metrics in the action).
    const ended = await abortRun(operator, { runId: run.id, reason: "the deploy system is down" });
    expect(ended.status).toBe("ABORTED");
    expect(await summaryJobs()).toMatchObject([{ payload: { runId: run.id }, attempts: 0, lockedAt: null }]);
    expect(await db().document.count({ where: { runId: run.id } })).toBe(0);

    await runDueJobs();
    const doc = await db().document.findFirstOrThrow({ where: { runId: run.id, kind: "ROLLBACK_SUMMARY" }, include: { versions: true } });
    expect(doc.versions[0].content).toMatchObject({ run: { status: "ABORTED", endReason: "the deploy system is down" } });
    expect(await summaryJobs()).toEqual([]);

    // The job run again (a retry after a crash between its work and its completion) writes nothing more.
    await db().$transaction((tx) => enqueueRollbackSummary(tx, run.id));
    await runDueJobs();
    expect(await db().document.count({ where: { runId: run.id } })).toBe(1);
    expect(await db().timelineEvent.count({ where: { incidentId: incident.id, kind: "DOCUMENT_UPDATED" } })).toBe(1);
    expect(await db().auditLog.count({ where: { entityId: doc.id, action: "document.rollback_summary" } })).toBe(1);
  });

  it("is refused outside a transaction, and a payload that does not parse fails the job with its name", async () => {
    await expect(enqueueJob(db() as unknown as Tx, "rollback.summary", { runId: "x" })).rejects.toThrow(
      /enqueueJob\("rollback\.summary"\) needs the transaction of the change/,
    );
    await db().$transaction((tx) =>
      enqueueJob(tx, "rollback.summary", { runId: 42 } as unknown as { runId: string }, { jobKey: "bad-payload", maxAttempts: 1 }),
    );
    await runDueJobs();
    const [failed] = (await queuedJobs("rollback.summary")).filter((j) => j.key === "bad-payload");
    expect(failed).toMatchObject({ attempts: 1, maxAttempts: 1 });
    expect(failed.lastError).toMatch(/Job "rollback\.summary" has an invalid payload/);
  });
});

describe("retention", () => {
  it("the metrics retention job deletes the samples older than their service's retention, and only those", async () => {
    const [short, long] = [await makeService(), await makeService()];
    await db().service.update({ where: { id: short.id }, data: { retentionDays: 2 } });
    await db().service.update({ where: { id: long.id }, data: { retentionDays: 30 } });
    const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);
    await db().metricSample.createMany({
      data: [
        { serviceId: short.id, metric: "ERROR_RATE", ts: daysAgo(3), value: 0.1 },
        { serviceId: short.id, metric: "ERROR_RATE", ts: daysAgo(1), value: 0.2 },
        { serviceId: long.id, metric: "ERROR_RATE", ts: daysAgo(3), value: 0.3 },
        { serviceId: long.id, metric: "ERROR_RATE", ts: daysAgo(31), value: 0.4 },
      ],
    });
    await db().$transaction((tx) => enqueueJob(tx, "metrics.retention", {}));
    await runDueJobs();
    const left = await db().metricSample.findMany({
      where: { serviceId: { in: [short.id, long.id] } },
      orderBy: { value: "asc" },
      select: { value: true },
    });
    expect(left.map((s) => s.value)).toEqual([0.2, 0.3]);
    // The rollups the charts of long ranges read lose the same samples: no bucket older than the retention is left.
    const args = {
      where: { serviceId: { in: [short.id, long.id] } },
      orderBy: { sum: "asc" as const },
      select: { sum: true, count: true },
    };
    const leftBuckets = [
      { sum: 0.2, count: 1 },
      { sum: 0.3, count: 1 },
    ];
    expect(await db().metricRollupMinute.findMany(args)).toEqual(leftBuckets);
    expect(await db().metricRollupFiveMinute.findMany(args)).toEqual(leftBuckets);
    expect(await db().metricRollupHour.findMany(args)).toEqual(leftBuckets);
    expect(await queuedJobs("metrics.retention")).toEqual([]);
  });
});
