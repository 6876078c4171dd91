// Writes the rollback summary of a run that ended (any terminal status): exactly once per run,
// as a ROLLBACK_SUMMARY document with its structured content and Markdown, a timeline event that
// links to it and an audit row, in one transaction. It runs as the "rollback.summary" job, queued
// by the transaction that ends the run. The metrics are read before it (they may take a provider's
// timeout); the run row lock and the (incident, kind, run) unique key make a second writer — a job
// run twice, a retry — find the document and stop.
import "server-only";
import { writeAudit } from "@/lib/audit/log";
import { getDb, type Tx } from "@/lib/db";
import { createDocument } from "@/lib/documents/store";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { formatDuration, formatMetricValue } from "@/lib/metrics/format";
import { loadMetricWindows } from "@/lib/metrics/incident-metrics";
import { nativeStepSeconds, providerFor } from "@/lib/metrics/provider";
import { MetricsUnavailableError } from "@/lib/metrics/types";
import { preparationLog } from "@/lib/readiness/types";
import { notifyIncident } from "@/lib/rollback/engine/shared";
import { verifyMetricsConfigSchema } from "@/lib/rollback/executors/verify-metrics";
import { STRATEGY_LABELS } from "@/lib/rollback/plans";
import { isRunOpen } from "@/lib/rollback/run-status";
import { switchAnchor } from "@/lib/rollback/switch-anchor";
import { recordTimelineEvent } from "@/lib/timeline/record";
import {
  DEFAULT_STABILITY_THRESHOLDS,
  findStableAt,
  nextSteps,
  type RollbackSummaryContent,
  RUN_STATUS_WORDS,
  renderSummaryMarkdown,
  STABILITY_SUSTAIN_MS,
  type Stability,
  SUMMARY_SCHEMA_VERSION,
  type SummaryStep,
} from "./content";

const MINUTE = 60_000;

async function loadRun(runId: string) {
  return getDb().rollbackRun.findUnique({
    where: { id: runId },
    include: {
      startedBy: { select: { name: true } },
      abortedBy: { select: { name: true } },
      decision: { select: { strategy: true, tier: true, reason: true, evidence: { select: { readiness: true } } } },
      incident: { include: { service: true } },
      steps: { orderBy: { position: "asc" }, include: { executions: { select: { state: true } } } },
    },
  });
}
type LoadedRun = NonNullable<Awaited<ReturnType<typeof loadRun>>>;

function thresholdsOf(run: LoadedRun) {
  const verify = run.steps.find((s) => s.executor === "VERIFY_METRICS");
  const parsed = verify ? verifyMetricsConfigSchema.safeParse(verify.config) : null;
  return parsed?.success ? { maxErrorRate: parsed.data.maxErrorRate, maxP99Ms: parsed.data.maxP99Ms } : DEFAULT_STABILITY_THRESHOLDS;
}

/** The traffic switch, else the last destructive step (a restore), that succeeded. */
function anchorStep(run: LoadedRun) {
  return switchAnchor(run.steps);
}

async function measureStability(run: LoadedRun, end: number): Promise<Stability> {
  const thresholds = thresholdsOf(run);
  const anchor = anchorStep(run);
  if (!anchor?.endedAt) {
    return { thresholds, anchor: null, stableAt: null, timeToStabilityMs: null, note: "no step of this run changed traffic or data" };
  }
  const from = anchor.endedAt.getTime();
  const base = { thresholds, anchor: { stepName: anchor.name, at: anchor.endedAt.toISOString() } };
  const service = run.incident.service;
  try {
    const series = await providerFor(service).queryRange({
      metrics: ["ERROR_RATE", "LATENCY_P99"],
      from: new Date(from),
      to: new Date(Math.max(end, from + 1000)),
      stepSeconds: nativeStepSeconds(service),
    });
    const points = (m: string) => series.find((s) => s.metric === m)?.points ?? [];
    const { stableAt, samples } = findStableAt(points("ERROR_RATE"), points("LATENCY_P99"), from, thresholds);
    const limits = `error rate ≤ ${formatMetricValue("ERROR_RATE", thresholds.maxErrorRate)}, p99 ≤ ${formatMetricValue("LATENCY_P99", thresholds.maxP99Ms)}, held ${formatDuration(STABILITY_SUSTAIN_MS)}`;
    if (stableAt === null) {
      return {
        ...base,
        stableAt: null,
        timeToStabilityMs: null,
        note: samples === 0 ? `no metric data after "${anchor.name}"` : `not back within ${limits} by the end of the run`,
      };
    }
    return { ...base, stableAt: new Date(stableAt).toISOString(), timeToStabilityMs: Math.max(0, stableAt - from), note: limits };
  } catch (e) {
    if (!(e instanceof MetricsUnavailableError)) throw e;
    return { ...base, stableAt: null, timeToStabilityMs: null, note: `metrics unavailable: ${e.message}` };
  }
}

async function buildContent(run: LoadedRun): Promise<RollbackSummaryContent> {
  const incident = run.incident;
  const ended = run.endedAt ?? new Date();
  const end = ended.getTime();
  const anchor = anchorStep(run);
  // "After the rollback": from the traffic switch (or restore) to the end, within the service's current window.
  const afterMinutes = anchor?.endedAt
    ? Math.min(incident.service.currentWindowMinutes, Math.max(0.5, (end - anchor.endedAt.getTime()) / MINUTE))
    : incident.service.currentWindowMinutes;
  const [windows, stability] = await Promise.all([
    loadMetricWindows({ ...incident.service, currentWindowMinutes: afterMinutes }, incident.deployedAt, end),
    measureStability(run, end),
  ]);
  const steps: SummaryStep[] = run.steps.map((s) => {
    const output = (s.output ?? {}) as Record<string, unknown>;
    const markedDone = s.state === "SUCCEEDED" && !s.executions.some((e) => e.state === "SUCCEEDED");
    return {
      position: s.position,
      name: s.name,
      state: s.state,
      attempts: s.attempts,
      destructive: s.destructive,
      changesTraffic: s.changesTraffic,
      summary: s.error ?? s.resultNote ?? null,
      markedDone,
      endedAt: s.endedAt?.toISOString() ?? null,
      ...(s.executor === "POSTGRES" && typeof output.path === "string" && (s.config as { operation?: string }).operation === "backup"
        ? { backupPath: output.path }
        : {}),
    };
  });
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const window = (w: { from: number; to: number }) => ({ from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString() });
  const content: Omit<RollbackSummaryContent, "nextSteps"> = {
    schema: SUMMARY_SCHEMA_VERSION,
    generatedAt: new Date().toISOString(),
    incident: { number: incident.number, title: incident.title, service: incident.service.name, severity: incident.severity },
    versions: { from: incident.badVersion, to: incident.previousVersion },
    method: {
      strategy: run.decision.strategy,
      label: STRATEGY_LABELS[run.decision.strategy],
      tier: run.decision.tier,
      reason: run.decision.reason,
    },
    run: {
      id: run.id,
      status: run.status,
      startedAt: iso(run.startedAt),
      endedAt: iso(run.endedAt),
      durationMs: run.startedAt && run.endedAt ? run.endedAt.getTime() - run.startedAt.getTime() : null,
      startedBy: run.startedBy?.name ?? null,
      endedBy: run.abortedBy?.name ?? null,
      endReason: run.abortReason,
    },
    stability,
    impact: {
      usersAffected: incident.usersAffected,
      supportTickets: incident.supportTickets,
      complaints: incident.complaints,
      failedTransactions: incident.failedTransactions,
    },
    metrics: {
      source: windows.source,
      error: windows.error,
      baselineWindow: window(windows.baselineWindow),
      afterWindow: window(windows.currentWindow),
      rows: windows.assessments.map((a) => ({
        metric: a.metric,
        label: a.label,
        baseline: a.baseline,
        after: a.current,
        change: a.change,
        verdict: a.verdict,
      })),
    },
    steps,
    preparation: preparationLog(run.decision.evidence.readiness),
  };
  return { ...content, nextSteps: nextSteps(content) };
}

export type SummaryResult = { documentId: string; created: boolean };

/** The run's summary document, written now if the run has ended and has none yet; null while it runs. */
export async function ensureRollbackSummary(runId: string): Promise<SummaryResult | null> {
  const db = getDb();
  const existing = await db.document.findFirst({ where: { runId, kind: "ROLLBACK_SUMMARY" }, select: { id: true } });
  if (existing) return { documentId: existing.id, created: false };
  const run = await loadRun(runId);
  if (!run || isRunOpen(run.status)) return null;
  // Aborted with a step still running: the worker writes the summary once that step has stopped.
  if (run.steps.some((s) => s.state === "RUNNING" || s.state === "QUEUED")) return null;

  const content = await buildContent(run);
  const markdown = renderSummaryMarkdown(content);
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "RollbackRun" WHERE id = ${runId} FOR UPDATE`;
    const again = await tx.document.findFirst({ where: { runId, kind: "ROLLBACK_SUMMARY" }, select: { id: true } });
    if (again) return { documentId: again.id, created: false };
    const title = `Rollback summary: ${content.versions.from} → ${content.versions.to} (${RUN_STATUS_WORDS[run.status].toLowerCase()})`;
    const { documentId } = await createDocument(tx, {
      incidentId: run.incidentId,
      kind: "ROLLBACK_SUMMARY",
      runId,
      title,
      content,
      markdown,
      authorId: null,
      at: new Date(),
    });
    await recordTimelineEvent(tx, {
      incidentId: run.incidentId,
      kind: "DOCUMENT_UPDATED",
      source: "SYSTEM",
      message: `Rollback summary written: ${RUN_STATUS_WORDS[run.status].toLowerCase()} in ${formatDuration(content.run.durationMs)}${
        content.stability.timeToStabilityMs !== null
          ? `, stable ${formatDuration(content.stability.timeToStabilityMs)} after the switch`
          : ""
      }`,
      // stableAt: the "stable" milestone (lib/timeline/milestones.ts); null when not measured.
      payload: { documentId, kind: "ROLLBACK_SUMMARY", runId, stableAt: content.stability.stableAt },
    });
    await writeAudit(tx, {
      actor: null,
      action: "document.rollback_summary",
      outcome: "ALLOWED",
      entityType: "Document",
      entityId: documentId,
      incidentId: run.incidentId,
      details: { runId, status: run.status },
    });
    await notifyIncident(tx, run.incidentId);
    return { documentId, created: true };
  });
}

/**
 * Queues the summary of a run that ends in `tx`, the transaction that ends it: the job exists
 * exactly when the end committed, and runs ensureRollbackSummary (idempotent) after it. One job
 * key per run: ending and the last step stopping may both queue it; one waiting job remains.
 */
export async function enqueueRollbackSummary(tx: Tx, runId: string): Promise<void> {
  await enqueueJob(tx, "rollback.summary", { runId }, { jobKey: `rollback.summary:${runId}` });
}
