// The rollback summary: its structured content, the pure computations behind it (time to
// stability, next steps) and its Markdown rendering. No I/O; generate.ts gathers the inputs.

import type { Root } from "mdast";
import type { DecisionTier, RollbackStrategy, RunStatus, StepState } from "@/generated/prisma/enums";
import {
  emphasis,
  type Fact,
  factsList,
  factsTable,
  heading,
  markdownDocument,
  orderedList,
  paragraph,
  renderMarkdown,
  strong,
  table,
  taskList,
} from "@/lib/documents/markdown";
import { formatChange, formatDuration, formatMetricValue } from "@/lib/metrics/format";
import type { MetricKind, Point } from "@/lib/metrics/types";
import type { PreparationLog } from "@/lib/readiness/types";
import { formatUtcOrDash as utc } from "@/lib/time/format";

export const SUMMARY_SCHEMA_VERSION = 1;

/** Verify-metrics defaults (the issue's): warn above 5% error rate, above 200 ms p99. */
export const DEFAULT_STABILITY_THRESHOLDS = { maxErrorRate: 0.05, maxP99Ms: 200 };
/** Back within the thresholds means staying there for this long (or until the data ends). */
export const STABILITY_SUSTAIN_MS = 60_000;

export type SummaryStep = {
  position: number;
  name: string;
  state: StepState;
  attempts: number;
  destructive: boolean;
  changesTraffic: boolean;
  /** The executor's one-line result, or the operator's note for a step marked done or skipped. */
  summary: string | null;
  /** Marked done by hand (SUCCEEDED without an execution that succeeded). */
  markedDone: boolean;
  endedAt: string | null;
  /** For the emergency backup: where the file is. */
  backupPath?: string;
};

export type MetricRow = {
  metric: MetricKind;
  label: string;
  baseline: number | null;
  after: number | null;
  /** Relative change of the median after the rollback against the baseline (0.1 = +10%). */
  change: number | null;
  verdict: string;
};

export type Stability = {
  thresholds: { maxErrorRate: number; maxP99Ms: number };
  /** The step after which stability is measured (the traffic switch, else the last destructive step). */
  anchor: { stepName: string; at: string } | null;
  stableAt: string | null;
  timeToStabilityMs: number | null;
  /** Why there is no time, or what it means. */
  note: string;
};

export type RollbackSummaryContent = {
  schema: typeof SUMMARY_SCHEMA_VERSION;
  generatedAt: string;
  incident: { number: number; title: string; service: string; severity: string };
  versions: { from: string; to: string };
  method: { strategy: RollbackStrategy; label: string; tier: DecisionTier; reason: string };
  run: {
    id: string;
    status: RunStatus;
    startedAt: string | null;
    endedAt: string | null;
    durationMs: number | null;
    startedBy: string | null;
    endedBy: string | null;
    endReason: string | null;
  };
  stability: Stability;
  impact: { usersAffected: number | null; supportTickets: number | null; complaints: number | null; failedTransactions: number | null };
  metrics: { source: string; error: string | null; baselineWindow: Window; afterWindow: Window; rows: MetricRow[] };
  steps: SummaryStep[];
  /**
   * The preparation log: the readiness checks frozen into the decision when it was proposed
   * (lib/readiness). Absent in summaries written before readiness existed, null when the decision
   * has none.
   */
  preparation?: PreparationLog | null;
  nextSteps: string[];
};

export const PREPARATION_RESULT_WORDS = { pass: "Passed", fail: "Failed", not_configured: "Not configured" } as const;

type Window = { from: string; to: string };

// ───────────────────────────── time to stability ─────────────────────────────

/**
 * The first sample time at or after `from` where the error rate and the p99 are both within the
 * thresholds and stay within them for `sustainMs` (or until the data ends). Samples are paired by
 * timestamp, as the providers return both metrics on the same step grid. Null when it never is.
 */
export function findStableAt(
  errorRate: readonly Point[],
  p99: readonly Point[],
  from: number,
  thresholds: { maxErrorRate: number; maxP99Ms: number },
  sustainMs = STABILITY_SUSTAIN_MS,
): { stableAt: number | null; samples: number } {
  const p99At = new Map(p99.filter((p) => Number.isFinite(p.v)).map((p) => [p.t, p.v]));
  const pairs = errorRate
    .filter((p) => p.t >= from && Number.isFinite(p.v) && p99At.has(p.t))
    .sort((a, b) => a.t - b.t)
    .map((p) => ({ t: p.t, ok: p.v <= thresholds.maxErrorRate && (p99At.get(p.t) as number) <= thresholds.maxP99Ms }));
  for (let i = 0; i < pairs.length; i++) {
    if (!pairs[i].ok) continue;
    let held = true;
    for (let j = i + 1; j < pairs.length && pairs[j].t <= pairs[i].t + sustainMs; j++) {
      if (!pairs[j].ok) {
        held = false;
        break;
      }
    }
    if (held) return { stableAt: pairs[i].t, samples: pairs.length };
  }
  return { stableAt: null, samples: pairs.length };
}

// ───────────────────────────── next steps ─────────────────────────────

export function nextSteps(c: Omit<RollbackSummaryContent, "nextSteps">): string[] {
  const out: string[] = [];
  const label = (s: SummaryStep) => `step ${s.position + 1} "${s.name}"`;
  const stuck = c.steps.find((s) => s.state === "FAILED" || s.state === "INTERRUPTED");
  if (c.run.status === "SUCCEEDED") {
    out.push("Work through the verification checklist together (system health, critical functionality, data integrity, user impact).");
    if (c.stability.stableAt === null) {
      out.push(
        `The error rate and p99 were not back within the thresholds when the run ended (${c.stability.note}): keep watching them and be ready to act.`,
      );
    } else {
      out.push("Keep watching the error rate and p99 for the next 24 h (stability).");
    }
  } else if (c.run.status === "FAILED") {
    out.push(
      stuck
        ? `Find out why ${label(stuck)} ${stuck.state === "FAILED" ? "failed" : "was interrupted"}${stuck.summary ? ` (${stuck.summary})` : ""}, then propose a new rollback decision.`
        : "Find out why the rollback failed, then propose a new rollback decision.",
    );
  } else if (c.run.status === "ABORTED") {
    out.push(`The rollback was aborted${c.run.endReason ? ` (${c.run.endReason})` : ""}: decide how the incident is resolved.`);
  }
  if (c.run.status !== "SUCCEEDED") {
    const changed = c.steps.filter((s) => s.state === "SUCCEEDED" && (s.destructive || s.changesTraffic));
    if (changed.length > 0) {
      out.push(
        `These steps changed the system before the run ended; check whether they must be reverted: ${changed.map(label).join(", ")}.`,
      );
    }
  }
  for (const s of c.steps) {
    if (s.state === "SKIPPED") out.push(`Follow up on the skipped ${label(s)}${s.summary ? `: ${s.summary}` : ""}.`);
    if (s.markedDone) out.push(`Confirm ${label(s)}, marked done by hand${s.summary ? `: ${s.summary}` : ""}.`);
    if (s.backupPath && s.state === "SUCCEEDED") out.push(`Keep the emergency backup ${s.backupPath} until the data is verified.`);
  }
  out.push("Record the root cause and the action items (RCA).");
  return out;
}

// ───────────────────────────── Markdown ─────────────────────────────

export const RUN_STATUS_WORDS: Record<RunStatus, string> = {
  PENDING: "Not started",
  RUNNING: "In progress",
  SUCCEEDED: "Succeeded",
  FAILED: "Failed",
  ABORTED: "Aborted",
};

export const STEP_STATE_WORDS: Record<StepState, string> = {
  NOT_STARTED: "not started",
  QUEUED: "queued",
  RUNNING: "running",
  SUCCEEDED: "succeeded",
  FAILED: "failed",
  SKIPPED: "skipped",
  INTERRUPTED: "interrupted",
  CANCELED: "canceled",
};

export function formatMetric(metric: MetricKind, value: number | null): string {
  return value === null ? "no data" : formatMetricValue(metric, value);
}

const count = (n: number | null) => (n === null ? "not recorded" : n.toLocaleString("en-US"));

export function stepOutcome(s: SummaryStep): string {
  const state = s.markedDone ? "done by hand" : STEP_STATE_WORDS[s.state];
  return `${state}${s.attempts > 1 ? ` (${s.attempts} attempts)` : ""}`;
}

export function stabilityText(s: Stability): string {
  if (s.timeToStabilityMs === null) return s.note;
  return `${formatDuration(s.timeToStabilityMs)} after "${s.anchor?.stepName}" (${s.note})`;
}

export const hasMetricData = (rows: readonly MetricRow[]) => rows.some((r) => r.baseline !== null || r.after !== null);

/** The summary as a Markdown tree: every piece of recorded text goes in as text (escaped by the builder). */
export function summaryMarkdownTree(c: RollbackSummaryContent): Root {
  const facts: Fact[] = [
    ["Status", RUN_STATUS_WORDS[c.run.status]],
    ["Service", c.incident.service],
    ["Version rolled back", `${c.versions.from} → ${c.versions.to}`],
    ["Method", `${c.method.label} (${c.method.tier})`],
    ["Started", `${utc(c.run.startedAt)}${c.run.startedBy ? ` by ${c.run.startedBy}` : ""}`],
    ["Ended", `${utc(c.run.endedAt)}${c.run.endedBy ? ` by ${c.run.endedBy}` : ""}`],
    ["Duration", formatDuration(c.run.durationMs)],
    ["Time to stability", stabilityText(c.stability)],
  ];
  if (c.run.endReason) facts.push(["Reason given", c.run.endReason]);
  const m = c.metrics;
  return markdownDocument([
    heading(1, `Rollback summary — INC-${c.incident.number}: ${c.incident.title}`),
    factsTable(facts),
    paragraph(`Decision: ${c.method.reason}`),
    heading(2, "Impact"),
    factsList([
      ["Users affected", count(c.impact.usersAffected)],
      ["Support tickets", count(c.impact.supportTickets)],
      ["Complaints", count(c.impact.complaints)],
      ["Failed transactions", count(c.impact.failedTransactions)],
    ]),
    heading(2, "Metrics after the rollback against baseline"),
    paragraph(
      `Source: ${m.source}. Baseline ${utc(m.baselineWindow.from)} – ${utc(m.baselineWindow.to)}; after ${utc(m.afterWindow.from)} – ${utc(m.afterWindow.to)} (medians).`,
    ),
    m.error
      ? paragraph(`Metrics unavailable: ${m.error}`)
      : !hasMetricData(m.rows)
        ? paragraph("No metric data for the baseline or after the rollback.")
        : table(
            ["Metric", "Baseline", "After rollback", "Change", "Verdict"],
            m.rows.map((r) => [
              r.label,
              formatMetric(r.metric, r.baseline),
              formatMetric(r.metric, r.after),
              formatChange(r.change),
              r.verdict,
            ]),
          ),
    !!c.preparation && [
      heading(2, "Preparation log"),
      paragraph(`Readiness checks run when the rollback was proposed, ${utc(c.preparation.checkedAt)}.`),
      table(
        ["Check", "Result", "Details", "Checked at"],
        c.preparation.checks.map((p) => [p.label, PREPARATION_RESULT_WORDS[p.result], p.summary, utc(p.checkedAt)]),
      ),
    ],
    heading(2, "Steps"),
    orderedList(
      c.steps.map((s) => {
        const flags = [s.destructive ? "destructive" : "", s.changesTraffic ? "changes traffic" : ""].filter(Boolean).join(", ");
        return [strong(s.name), `${flags ? ` (${flags})` : ""} — ${stepOutcome(s)}${s.summary ? `: ${s.summary}` : ""}`];
      }),
      c.steps.length > 0 ? c.steps[0].position + 1 : 1,
    ),
    heading(2, "Next steps"),
    taskList(c.nextSteps.map((n) => ({ checked: false, content: n }))),
    paragraph(emphasis(`Generated ${utc(c.generatedAt)} from the run's records.`)),
  ]);
}

export const renderSummaryMarkdown = (c: RollbackSummaryContent): string => renderMarkdown(summaryMarkdownTree(c));
