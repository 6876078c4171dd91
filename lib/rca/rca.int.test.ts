// The root-cause analysis against a real database, a real blue-green rollback (declared, proposed,
// approved and run by the engine's worker against a local router) and the built-in metrics store:
// the generated figures equal what the test recomputes from the recorded rows and samples; people's
// text survives regeneration; section edits refuse a lost update; marks by role; hostile text is
// inert in the Markdown and the PDF; the PDF reads as a document.
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RcaView } from "@/components/rca/rca-view";
import type { MetricKind } from "@/generated/prisma/enums";
import { getDb } from "@/lib/db";
import { approveDecision, proposeDecision } from "@/lib/decision/mutations";
import { compareVersions } from "@/lib/documents/compare";
import { documentPdf } from "@/lib/documents/pdf-export";
import { getDocumentVersion } from "@/lib/documents/queries";
import { ForbiddenError, StaleError } from "@/lib/errors";
import { declareIncident, updateImpact } from "@/lib/incidents/mutations";
import { median } from "@/lib/metrics/statistics";
import { runUntilDestructive, startRun } from "@/lib/rollback/engine/runs";
import { StepWorker } from "@/lib/rollback/engine/worker";
import { createRunbook } from "@/lib/runbooks/mutations";
import { makeService, makeUser } from "@/lib/testing/factories";
import { HOSTILE_MARKDOWN, LIVE_HTML, RAW_HTML_IN_MARKDOWN } from "@/lib/testing/hostile-markdown";
import { inkShare, pdfPageImage, pdfText } from "@/lib/testing/pdf-tools";
import { recordTimelineEvent } from "@/lib/timeline/record";
import type { RcaContent, SectionKey } from "./content";
import { generateRca, markRcaApprovedChange, markRcaReviewedChange, saveRcaSectionChange } from "./mutations";
import "./pdf";
import { latestLessons } from "./queries";

const db = () => getDb();
const MIN = 60_000;
let router: http.Server;
let routerUrl: string;
let active = "green";

beforeAll(async () => {
  router = http.createServer((req, res) => {
    if (req.method === "POST" && req.url === "/switch") active = "blue";
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ active }));
  });
  await new Promise<void>((r) => router.listen(0, "127.0.0.1", r));
  routerUrl = `http://127.0.0.1:${(router.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => router.close(r));
});

type Sample = { serviceId: string; metric: MetricKind; ts: Date; value: number };

/**
 * An incident that went through a real blue-green rollback: declared, a runbook saved by an admin,
 * proposed by a responder, approved by a release manager, run by the engine's worker. The service's
 * samples: 1% errors at ~40 req/s before the deploy; 18–24% errors from the deploy until the switch; 1.2% after.
 */
async function rolledBackBlueGreen() {
  const service = await makeService();
  const admin = await makeUser("ADMIN");
  const responder = await makeUser("RESPONDER");
  const rm = await makeUser("RELEASE_MANAGER");
  await createRunbook(admin, {
    serviceId: service.id,
    name: "Blue-green",
    strategy: "BLUE_GREEN",
    note: "rca test",
    steps: [
      {
        key: "identify-active",
        name: "Identify the active environment",
        executor: "HTTP",
        config: { method: "GET", url: `${routerUrl}/active` },
      },
      {
        key: "verify-target-health",
        name: "Verify blue is healthy",
        executor: "HEALTH_CHECK",
        config: { urls: [`${routerUrl}/health`], retries: 0 },
      },
      {
        key: "switch-traffic",
        name: "Switch traffic to blue",
        executor: "HTTP",
        changesTraffic: true,
        config: { method: "POST", url: `${routerUrl}/switch` },
      },
      // Long enough for a sample of the 5 s grid to land after the switch, for the metrics check.
      { key: "wait-propagation", name: "Wait for propagation", executor: "WAIT", config: { seconds: 6 } },
      {
        key: "verify-metrics",
        name: "Verify metrics",
        executor: "VERIFY_METRICS",
        config: { maxErrorRate: 0.05, maxP99Ms: 300, windowSeconds: 30 },
      },
      {
        key: "verify-endpoints",
        name: "Verify critical endpoints",
        executor: "HEALTH_CHECK",
        config: { urls: [`${routerUrl}/health`], retries: 0 },
      },
    ],
  });
  const now = Date.now();
  const deployedAt = now - 40 * MIN;
  const incident = await declareIncident(responder, {
    title: `RCA test ${randomUUID().slice(0, 6)}`,
    serviceId: service.id,
    badVersion: "v2.5.0",
    previousVersion: "v2.4.0",
    severity: "SEV2",
    deployedAt: new Date(deployedAt).toISOString(),
    detectedAt: new Date(deployedAt + 6 * MIN).toISOString(),
  });
  // Samples every 5 s: the baseline hour before the deploy, the bad release until now (the switch comes after).
  const rows: Sample[] = [];
  const add = (t: number, errorRate: number, throughput: number) => {
    rows.push({ serviceId: service.id, metric: "ERROR_RATE", ts: new Date(t), value: errorRate });
    rows.push({ serviceId: service.id, metric: "THROUGHPUT", ts: new Date(t), value: throughput });
    rows.push({ serviceId: service.id, metric: "LATENCY_P99", ts: new Date(t), value: errorRate > 0.1 ? 900 : 140 });
  };
  for (let t = deployedAt - 60 * MIN; t < deployedAt; t += 5000) add(t, 0.01, 40 + ((t / 5000) % 7));
  for (let t = deployedAt; t <= now; t += 5000) add(t, 0.18 + ((t / 5000) % 4) * 0.02, 38 + ((t / 5000) % 5));
  // Recovered from the switch on (it comes within seconds): written ahead, as an exporter would have by then.
  for (let t = deployedAt + Math.ceil((now + 1 - deployedAt) / 5000) * 5000; t <= now + 3 * MIN; t += 5000) add(t, 0.012, 41);
  await db().metricSample.createMany({ data: rows });

  const decision = await proposeDecision(responder, {
    incidentId: incident.id,
    tier: "FAST",
    strategy: "BLUE_GREEN",
    reason: "errors at 20% since the deploy",
  });
  await approveDecision(rm, { decisionId: decision.id, planHash: decision.planHash, confirmation: service.name });
  const { run } = await startRun(responder, { decisionId: decision.id, planHash: decision.planHash });
  const steps = await db().rollbackStep.findMany({ where: { runId: run.id }, orderBy: { position: "asc" }, select: { id: true } });
  const worker = new StepWorker({ pollMs: 100, heartbeatMs: 300 });
  await worker.start();
  try {
    await runUntilDestructive(responder, { runId: run.id, idempotencyKey: randomUUID(), stepIds: steps.map((s) => s.id) });
    const until = Date.now() + 30_000;
    for (;;) {
      const { status } = await db().rollbackRun.findUniqueOrThrow({ where: { id: run.id }, select: { status: true } });
      if (status === "SUCCEEDED") break;
      if (status !== "RUNNING" || Date.now() > until) throw new Error(`the rollback ended ${status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await worker.stop();
  }
  const ended = await db().rollbackRun.findUniqueOrThrow({ where: { id: run.id } });
  return { service, incident, run: ended, responder, rm, admin, deployedAt };
}

async function rcaVersion(documentId: string, version?: number) {
  const read = await getDocumentVersion(documentId, version);
  if (!read) throw new Error("no such RCA version");
  return { read, content: read.version.content as unknown as RcaContent, markdown: read.version.markdown };
}

let made: Awaited<ReturnType<typeof rolledBackBlueGreen>>;
let documentId: string;

describe("the root-cause analysis", () => {
  beforeAll(async () => {
    made = await rolledBackBlueGreen();
    // Only "users affected" is saved: the other figures stay not recorded.
    const { version } = await db().incident.findUniqueOrThrow({ where: { id: made.incident.id }, select: { version: true } });
    await updateImpact(made.responder, {
      incidentId: made.incident.id,
      version,
      usersAffected: "1200",
      supportTickets: "",
      complaints: "",
      failedTransactions: "",
    });
    documentId = (await generateRca(made.responder, { incidentId: made.incident.id })).documentId;
  }, 120_000);

  it("is generated from the records: timeline rows, durations and impact equal what the rows and samples say", async () => {
    const { content, markdown } = await rcaVersion(documentId);
    const g = content.generated;
    const incident = await db().incident.findUniqueOrThrow({ where: { id: made.incident.id } });

    // Timeline: every recorded event but the RCA's own, in order, with its actor.
    const events = await db().timelineEvent.findMany({
      where: { incidentId: incident.id },
      orderBy: [{ at: "asc" }, { id: "asc" }],
      include: { actor: { select: { name: true } } },
    });
    const expected = events.filter((e) => !(e.kind === "DOCUMENT_UPDATED" && (e.payload as { kind?: string }).kind === "RCA"));
    expect(expected.length).toBeGreaterThan(8);
    expect(g.timeline.map((r) => [r.at, r.kind, r.event])).toEqual(expected.map((e) => [e.at.toISOString(), e.kind, e.message]));
    expect(g.timeline.find((r) => r.kind === "DECISION_APPROVED")?.actor).toBe(made.rm.name);
    for (const e of expected.slice(0, 5)) expect(markdown).toContain(`| ${e.at.toISOString().slice(0, 19).replace("T", " ")} | `);

    // Durations from the rows.
    const decision = await db().decision.findFirstOrThrow({ where: { incidentId: incident.id } });
    const run = made.run;
    expect(g.durations).toEqual({
      detectMs: 6 * MIN,
      decideMs: decision.decidedAt.getTime() - incident.detectedAt.getTime(),
      rollbackMs: (run.endedAt as Date).getTime() - (run.startedAt as Date).getTime(),
      mitigateMs: (run.endedAt as Date).getTime() - made.deployedAt,
      resolveMs: null,
    });
    expect(g.rollback).toMatchObject({ status: "SUCCEEDED", strategy: "blue-green traffic switch" });

    // Impact: recorded as saved (not recorded stays null), computed from the samples over the window.
    expect(g.impact.recorded).toEqual({ usersAffected: 1200, supportTickets: null, complaints: null, failedTransactions: null });
    const c = g.impact.computed;
    const windowEnd = (run.endedAt as Date).getTime();
    expect(c.window).toMatchObject({ from: new Date(made.deployedAt).toISOString(), to: new Date(windowEnd).toISOString() });
    const samples = await db().metricSample.findMany({
      where: {
        serviceId: made.service.id,
        metric: { in: ["ERROR_RATE", "THROUGHPUT"] },
        ts: { gte: new Date(made.deployedAt), lte: new Date(windowEnd) },
      },
      orderBy: { ts: "asc" },
    });
    const base = await db().metricSample.findMany({
      where: {
        serviceId: made.service.id,
        metric: "ERROR_RATE",
        ts: { gte: new Date(made.deployedAt - 60 * MIN), lte: new Date(made.deployedAt) },
      },
    });
    const baseline = median(base.map((s) => s.value)) as number;
    expect(c.baselineErrorRate).toBe(baseline);
    const err = samples.filter((s) => s.metric === "ERROR_RATE");
    const thr = new Map(samples.filter((s) => s.metric === "THROUGHPUT").map((s) => [s.ts.getTime(), s.value]));
    // The test's own integral: a left Riemann sum (the code uses trapezoids); they agree within 1 %.
    let failed = 0;
    let total = 0;
    let bad = 0;
    for (let i = 0; i + 1 < err.length; i++) {
      const dt = (err[i + 1].ts.getTime() - err[i].ts.getTime()) / 1000;
      const rate = thr.get(err[i].ts.getTime()) as number;
      failed += rate * Math.max(0, err[i].value - baseline) * dt;
      total += rate * dt;
      bad += rate * err[i].value * dt;
    }
    expect(failed).toBeGreaterThan(10_000);
    expect(Math.abs((c.estimatedFailedRequests as number) - failed) / failed).toBeLessThan(0.01);
    expect(Math.abs((c.availability as number) - (1 - bad / total))).toBeLessThan(0.001);
    const peak = err.reduce((m, s) => (s.value > m.value ? s : m));
    expect(c.peakErrorRate).toEqual({ value: peak.value, at: peak.ts.toISOString() });
    // Above 1% + 0.5 points: from the deploy until the switch (the first recovered sample), within one step.
    const firstRecovered = err.find((s) => s.value < 0.015) as (typeof err)[number];
    expect(Math.abs((c.timeAboveBaselineMs as number) - (firstRecovered.ts.getTime() - made.deployedAt))).toBeLessThanOrEqual(5000);

    // The page's words are the document's: not recorded, never 0.
    expect(markdown).toContain("| Users affected | 1,200 |");
    expect(markdown).toContain("| Support tickets | not recorded |");
    expect(markdown).toContain("| Complaints | not recorded |");
    expect(markdown).toContain("| Failed transactions | not recorded |");
    expect(markdown).toContain(
      `| Estimated failed requests | ${Math.round(c.estimatedFailedRequests as number).toLocaleString("en-US")} (beyond the baseline error rate) |`,
    );
    // The timeline said so too, and the database holds nulls.
    const impactEvent = events.find((e) => e.kind === "IMPACT_UPDATED");
    expect(impactEvent?.message).toMatch(/users affected not recorded → 1,200$/);
    expect(impactEvent?.message).not.toMatch(/→ 0/);
    expect(incident).toMatchObject({ usersAffected: 1200, supportTickets: null, complaints: null, failedTransactions: null });
    expect(g.charts.map((ch) => ch.metric)).toEqual(["ERROR_RATE", "LATENCY_P99", "THROUGHPUT"]);
    expect(g.charts[0].markers.map((m) => m.label)).toContain("Switch traffic to blue");
  });

  it("keeps people's text when regenerated after a new event; the new version differs by exactly that event", async () => {
    const first = await rcaVersion(documentId);
    const save = async (section: SectionKey, value: unknown) => {
      const { content } = await rcaVersion(documentId);
      return saveRcaSectionChange.runOrThrow(made.responder, { documentId, section, rev: content.sections[section].rev, value });
    };
    const whys = [
      "Checkout failed",
      "The new client sent a null cart id",
      "The schema allowed null",
      "No contract test",
      "Contract tests are not part of the pipeline",
    ];
    await save("fiveWhys", whys);
    await save("lessons", { technical: ["Validate cart ids at the edge"], process: ["Contract tests gate every deploy"] });
    const edited = await rcaVersion(documentId);
    expect(edited.read.version.version).toBe(first.read.version.version + 2);

    await db().$transaction((tx) =>
      recordTimelineEvent(tx, {
        incidentId: made.incident.id,
        kind: "NOTE",
        actorId: made.rm.id,
        message: "Support confirms no more complaints",
      }),
    );
    await generateRca(made.responder, { incidentId: made.incident.id });
    const regenerated = await rcaVersion(documentId);
    expect(regenerated.read.version.version).toBe(edited.read.version.version + 1);
    expect(regenerated.content.human).toEqual(edited.content.human);
    expect(regenerated.content.human.fiveWhys).toEqual(whys);
    expect(regenerated.content.generated.timeline.at(-1)).toMatchObject({
      event: "Support confirms no more complaints",
      actor: made.rm.name,
    });
    expect(regenerated.markdown).toContain("Why 5 (root cause)");

    const diff = compareVersions(edited.read.version, regenerated.read.version);
    const row = edited.content.generated.timeline.length;
    expect(diff.fields.map((f) => f.field).sort()).toEqual(
      ["actor", "at", "event", "key", "kind"].map((k) => `generated.timeline[${row}].${k}`).sort(),
    );
    expect(diff.added).toBe(1);
    expect(diff.removed).toBe(0);
    expect(diff.lines.find((l) => l.kind === "added")?.lines[0]).toMatch(/Support confirms no more complaints \| .+ \|$/);

    expect(await latestLessons(made.incident.id)).toMatchObject({
      technical: ["Validate cart ids at the edge"],
      process: ["Contract tests gate every deploy"],
    });
  });

  it("refuses the second of two edits of one section with the current text; edits of two sections both land", async () => {
    const { content } = await rcaVersion(documentId);
    const rev = content.sections.whatHappened.rev;
    const other = await makeUser("RELEASE_MANAGER");
    const [a, b] = await Promise.allSettled([
      saveRcaSectionChange.runOrThrow(made.responder, { documentId, section: "whatHappened", rev, value: "First writer's account" }),
      saveRcaSectionChange.runOrThrow(other, { documentId, section: "whatHappened", rev, value: "Second writer's account" }),
    ]);
    const refused = [a, b].filter((r) => r.status === "rejected");
    expect(refused).toHaveLength(1);
    const error = (refused[0] as PromiseRejectedResult).reason as StaleError;
    expect(error).toBeInstanceOf(StaleError);
    const kept = (await rcaVersion(documentId)).content.human.whatHappened;
    expect(error.current).toMatchObject({ section: "whatHappened", rev: rev + 1, value: kept });
    expect(["First writer's account", "Second writer's account"]).toContain(kept);

    const now = (await rcaVersion(documentId)).content;
    await Promise.all([
      saveRcaSectionChange.runOrThrow(made.responder, {
        documentId,
        section: "preventive",
        rev: now.sections.preventive.rev,
        value: { technical: "Null checks", process: "" },
      }),
      saveRcaSectionChange.runOrThrow(other, {
        documentId,
        section: "outcomes",
        rev: now.sections.outcomes.rev,
        value: { wentWell: "Fast switch", wentWrong: "" },
      }),
    ]);
    const both = (await rcaVersion(documentId)).content.human;
    expect(both.preventive.technical).toBe("Null checks");
    expect(both.outcomes.wentWell).toBe("Fast switch");
    expect(await db().auditLog.count({ where: { action: "rca.save_section", outcome: "DENIED", entityId: documentId } })).toBe(1);
  });

  it("is marked reviewed and approved only by a release manager, on the version read", async () => {
    const { read } = await rcaVersion(documentId);
    const version = read.version.version;
    await expect(markRcaReviewedChange.runOrThrow(made.responder, { documentId, version })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(markRcaReviewedChange.runOrThrow(made.rm, { documentId, version: version - 1 })).rejects.toBeInstanceOf(StaleError);
    await markRcaReviewedChange.runOrThrow(made.rm, { documentId, version });
    const after = await rcaVersion(documentId);
    expect(after.content.marks.reviewed).toMatchObject({ by: made.rm.name, version });
    expect(after.markdown).toMatch(new RegExp(`\\| Reviewed by \\| ${made.rm.name} \\| .+ UTC \\| ${version} \\|`));
    await markRcaApprovedChange.runOrThrow(made.rm, { documentId, version: after.read.version.version });
    expect((await rcaVersion(documentId)).content.marks.approved?.by).toBe(made.rm.name);
  });

  it("is a PDF with a title page, the headings, the computed figures and the charts", async () => {
    const { read, content } = await rcaVersion(documentId);
    const pdf = await documentPdf(read);
    const text = pdfText(pdf);
    for (const h of [
      "Executive summary",
      "Timeline",
      "Impact",
      "Technical impact",
      "Root cause",
      "Five whys",
      "Lessons learned",
      "Action items",
      "Cost of the incident",
      "Appendix",
      "Sign-off",
    ]) {
      expect(text).toContain(h);
    }
    const c = content.generated.impact.computed;
    expect(text).toContain(Math.round(c.estimatedFailedRequests as number).toLocaleString("en-US"));
    expect(text.replace(/\s+/g, " ")).toContain("Support tickets not recorded");
    expect(text).toContain("Validate cart ids at the edge");
    expect(text).toMatch(/Page 1 of \d+/);
    const page = pdfPageImage(pdf, 1);
    expect(inkShare(page)).toBeGreaterThan(0.003); // not blank
    expect(inkShare(page, 0.2, 0.4)).toBeGreaterThan(0.01); // the title sits in the upper third
    const dir = path.resolve("test-results");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "rca-pdf-page-1.png"), page.png);
    writeFileSync(path.join(dir, "rca.pdf"), pdf);
    const firstPage = text.split("\f")[0];
    expect(firstPage).toContain(`Root-cause analysis — INC-${content.generated.incident.number}`);
  });

  it("shows hostile text in every human field as inert text in the Markdown and the PDF", async () => {
    const { content } = await rcaVersion(documentId);
    const h = HOSTILE_MARKDOWN;
    const values: Record<SectionKey, unknown> = {
      summary: h,
      whatHappened: h,
      rootCause: { immediate: h, configuration: h, testing: h, deployment: h, monitoring: h },
      fiveWhys: [h, h],
      outcomes: { wentWell: h, wentWrong: h },
      lessons: { technical: [h], process: [h] },
      preventive: { technical: h, process: h },
      cost: { engineeringHours: "12", hourlyRate: "", lostRevenue: "3400" },
      recommendations: {
        deployment: { priority: "HIGH", text: h },
        monitoring: { priority: "LOW", text: h },
        testing: { priority: "MEDIUM", text: h },
      },
      timelineScope: "key",
    };
    for (const [section, value] of Object.entries(values) as [SectionKey, unknown][]) {
      const now = (await rcaVersion(documentId)).content;
      await saveRcaSectionChange.runOrThrow(made.responder, { documentId, section, rev: now.sections[section].rev, value });
    }
    const { read, markdown, content: after } = await rcaVersion(documentId);
    expect(after.human.cost).toEqual({ engineeringHours: 12, hourlyRate: null, lostRevenue: 3400 });
    expect(content.human.summary).not.toBe(after.human.summary);
    expect(markdown).not.toMatch(RAW_HTML_IN_MARKDOWN);
    expect(markdown).not.toMatch(/\]\((javascript|data):/i);
    expect(markdown.match(/\[ok\]\(https:\/\/example\.com\/ok\)/g)?.length).toBeGreaterThanOrEqual(14);
    const pdf = await documentPdf(read);
    const raw = pdf.toString("latin1");
    expect(raw).not.toMatch(/javascript:|data:text/i);
    expect(raw).toContain("https://example.com/ok");
    expect(pdfText(pdf)).toContain('<script>alert("x")</script>'); // printed as text, never run
    // The page: the same version rendered as the RCA page renders it.
    const html = renderToStaticMarkup(
      createElement(RcaView, {
        documentId,
        version: read.version.version,
        content: after,
        can: { edit: false, marks: { completed: false, reviewed: false, approved: false } },
      }),
    );
    expect(html).not.toMatch(LIVE_HTML);
    expect(html).not.toMatch(/<[^>]+\ssrc=/i);
    expect(html.match(/href="https:\/\/example\.com\/ok"/g)?.length).toBeGreaterThanOrEqual(14);
    expect(html).toContain("&lt;script&gt;alert(");
  });
});
