// The demo seed, and `npm start`'s re-base of it against a real database and the real ingestion route: the
// seeded demo incident moves to just before each start (the FAST clock starts with more than 25 of its 30
// minutes left), checkout-service's history stays continuous up to now, healthy before the new deploy and
// failing after it, and it fills the rollups; an incident someone has worked on is left as it was.
// One file: the re-base needs the seed, and the seed test needs an unseeded database.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/metrics/route";
import { verifyPassword } from "@/lib/auth/password";
import { getDb } from "@/lib/db";
import { tierDeadline } from "@/lib/decision/tiers";
import { closeServer } from "@/lib/testing/prometheus-harness";
import { issueDemoToken, refreshDemoHistory } from "@/scripts/lib/demo";
import { DEMO_FLAG_INCIDENT_TITLE, DEMO_PASSWORD, DEMO_REBASE_MINUTES, DEMO_USERS, rebaseDemoIncident, seedDemo } from "./seed";

describe("seedDemo", () => {
  it("creates the demo users, services and the live checkout incident once", async () => {
    const db = getDb();
    expect(await seedDemo(db)).toEqual({ seeded: true });
    expect(await seedDemo(db)).toEqual({ seeded: false });

    for (const u of DEMO_USERS) {
      const user = await db.user.findUniqueOrThrow({ where: { email: u.email }, select: { role: true, passwordHash: true } });
      expect(user.role).toBe(u.role);
      expect(await verifyPassword(DEMO_PASSWORD, user.passwordHash ?? "")).toBe(true);
    }
    const live = await db.incident.findFirstOrThrow({ where: { service: { slug: "checkout-service" }, status: { not: "RESOLVED" } } });
    expect(live).toMatchObject({ badVersion: "v2.5.0", previousVersion: "v2.4.0" });
    expect(live.detectedAt.getTime()).toBeGreaterThan(live.deployedAt.getTime());
    expect(await db.timelineEvent.count({ where: { incidentId: live.id } })).toBeGreaterThan(0);

    // The flag-caused one: once, also in a database seeded before it existed.
    const flagged = () => db.incident.findMany({ where: { title: DEMO_FLAG_INCIDENT_TITLE }, include: { timelineEvents: true } });
    expect((await flagged()).map((i) => [i.badVersion, i.status, i.timelineEvents.length])).toEqual([["v2.5.0", "ASSESSING", 3]]);
    await db.incident.deleteMany({ where: { title: DEMO_FLAG_INCIDENT_TITLE } });
    expect(await seedDemo(db)).toEqual({ seeded: false });
    expect(await seedDemo(db)).toEqual({ seeded: false });
    expect((await flagged()).map((i) => [i.badVersion, i.status, i.timelineEvents.length])).toEqual([["v2.5.0", "ASSESSING", 3]]);
    expect(
      await db.runbook.findMany({ where: { service: { slug: "checkout-service" } }, select: { strategy: true }, orderBy: { name: "asc" } }),
    ).toEqual([{ strategy: "BLUE_GREEN" }, { strategy: "FEATURE_FLAG" }]);
  });
});

const MINUTE = 60_000;
const STEP_SECONDS = 60; // the demo writes every 15 s; a minute keeps this test quick
const db = () => getDb();

// POST /api/v1/metrics served over real HTTP, as `npm start` serves it to the backfill.
const server = http.createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers: Record<string, string> = {};
  for (const name of ["authorization", "content-type"]) if (req.headers[name]) headers[name] = String(req.headers[name]);
  const answer = await POST(new Request(`http://x${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) }));
  res.writeHead(answer.status, { "content-type": "application/json" }).end(Buffer.from(await answer.arrayBuffer()));
});
let backoutUrl = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  backoutUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => closeServer(server));

async function demoIncident() {
  return db().incident.findFirstOrThrow({
    where: { service: { slug: "checkout-service" }, badVersion: "v2.5.0" },
    orderBy: { number: "asc" },
    include: { release: true, timelineEvents: { orderBy: { at: "asc" } } },
  });
}

async function throughputTimes(serviceId: string): Promise<number[]> {
  const rows = await db().metricSample.findMany({
    where: { serviceId, metric: "THROUGHPUT" },
    orderBy: { ts: "asc" },
    select: { ts: true },
  });
  return rows.map((r) => r.ts.getTime());
}

async function meanErrorRate(serviceId: string, from: number, to: number): Promise<number> {
  const r = await db().metricSample.aggregate({
    where: { serviceId, metric: "ERROR_RATE", ts: { gt: new Date(from), lte: new Date(to) } },
    _avg: { value: true },
  });
  return r._avg.value ?? Number.NaN;
}

describe("the demo re-base on npm start", () => {
  it("moves the untouched demo incident to just before each start and keeps the history continuous to now", async () => {
    await seedDemo(db());
    const seeded = await demoIncident();

    // A start: the incident detected 2 minutes ago, the FAST clock with 28 of its 30 minutes left.
    const start1 = new Date(Math.floor(Date.now() / MINUTE) * MINUTE - 3 * 3600_000);
    const first = await rebaseDemoIncident(db(), start1);
    expect(first).toMatchObject({ rebased: true, incidentNumber: seeded.number, previousDeployedAt: seeded.deployedAt });
    let incident = await demoIncident();
    expect(incident.deployedAt.getTime()).toBe(start1.getTime() - DEMO_REBASE_MINUTES.deployed * MINUTE);
    expect(incident.release?.deployedAt).toEqual(incident.deployedAt);
    expect(incident.detectedAt.getTime()).toBe(start1.getTime() - DEMO_REBASE_MINUTES.detected * MINUTE);
    const left = tierDeadline(incident.detectedAt, "FAST")!.getTime() - start1.getTime();
    expect(left).toBeGreaterThan(25 * MINUTE);
    // The seed's timeline keeps its order, after the detection and before the start.
    expect(incident.timelineEvents.map((e) => e.kind)).toEqual(["INCIDENT_DECLARED", "STATUS_CHANGED", "NOTE"]);
    for (const e of incident.timelineEvents) {
      expect(e.at.getTime()).toBeGreaterThanOrEqual(incident.detectedAt.getTime());
      expect(e.at.getTime()).toBeLessThan(start1.getTime());
      // Noted when it happened (the page shows "noted at" when the two differ).
      expect(e.recordedAt).toEqual(e.at);
    }
    // The flag-caused incident, untouched too, moves with it.
    const flagged = await db().incident.findFirstOrThrow({ where: { title: DEMO_FLAG_INCIDENT_TITLE }, include: { timelineEvents: true } });
    expect([flagged.deployedAt, flagged.detectedAt]).toEqual([incident.deployedAt, incident.detectedAt]);
    expect(flagged.timelineEvents.every((e) => e.at > incident.detectedAt && e.at < start1)).toBe(true);

    // The first start writes the week of history, blue before the deploy, green after.
    const issued = (await issueDemoToken(db()))!;
    expect(issued.deployedAt).toEqual(incident.deployedAt);
    const h1 = await refreshDemoHistory(db(), { ...issued, backoutUrl, rebase: first, now: start1, stepSeconds: STEP_SECONDS });
    expect(h1).toMatchObject({ after: null });
    let times = await throughputTimes(issued.serviceId);
    expect(times.length).toBe((7 * 24 * 60 * MINUTE) / (STEP_SECONDS * 1000));

    // Three hours later (the demo stopped meanwhile), the next start.
    const start2 = new Date(start1.getTime() + 3 * 3600_000);
    const second = await rebaseDemoIncident(db(), start2);
    expect(second).toMatchObject({ rebased: true, previousDeployedAt: incident.deployedAt });
    incident = await demoIncident();
    expect(tierDeadline(incident.detectedAt, "FAST")!.getTime() - start2.getTime()).toBeGreaterThan(25 * MINUTE);
    const h2 = await refreshDemoHistory(db(), {
      ...(await issueDemoToken(db()))!,
      backoutUrl,
      rebase: second,
      now: start2,
      stepSeconds: STEP_SECONDS,
    });
    // Kept up to the old deploy, written from there: no gap and no duplicate from a week ago to this start.
    expect(h2?.after?.getTime()).toBeLessThanOrEqual(first.rebased ? first.deployedAt.getTime() : 0);
    times = await throughputTimes(issued.serviceId);
    expect(times.at(-1)).toBe(start2.getTime());
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(STEP_SECONDS * 1000);
    // The previous start's regression is gone from before the new deploy: the hour before it is healthy, the minutes after fail.
    const deployed = incident.deployedAt.getTime();
    const before = await meanErrorRate(issued.serviceId, deployed - 60 * MINUTE, deployed);
    const after = await meanErrorRate(issued.serviceId, deployed, start2.getTime());
    expect(after).toBeGreaterThan(5 * before);

    // The history fills the rollups the 7-day chart reads.
    const samples = await db().metricSample.count({ where: { serviceId: issued.serviceId } });
    for (const table of ["MetricRollupMinute", "MetricRollupFiveMinute", "MetricRollupHour"]) {
      const [row] = await db().$queryRawUnsafe<{ n: number }[]>(
        `SELECT sum(count)::int AS n FROM "${table}" WHERE "serviceId" = $1`,
        issued.serviceId,
      );
      expect(row?.n).toBe(samples);
    }
  });

  it("leaves an incident someone has worked on as it was", async () => {
    const incident = await demoIncident();
    await db().timelineEvent.create({
      data: { incidentId: incident.id, source: "USER", kind: "NOTE", message: "looking at the pool settings" },
    });
    const result = await rebaseDemoIncident(db(), new Date());
    expect(result).toEqual({
      rebased: false,
      reason: `INC-${incident.number} has been worked on (status ASSESSING): its times stay as they were`,
    });
    expect((await demoIncident()).detectedAt).toEqual(incident.detectedAt);
  });
});
