// The root-cause analysis document: its structured content (what the data says, generated; what
// people wrote, by section; who marked it completed, reviewed, approved), the deterministic
// executive-summary draft, and its rendering as an mdast tree for the Markdown download and the
// PDF. Pure: generate.ts gathers the data, mutations.ts writes versions.
import type { Root } from "mdast";
import type { TimelineKind } from "@/generated/prisma/enums";
import type { DocumentIncidentFacts } from "@/lib/documents/incident-facts";
import {
  type Block,
  emphasis,
  type Fact,
  factsTable,
  heading,
  markdownDocument,
  orderedList,
  paragraph,
  renderMarkdown,
  strong,
  table,
} from "@/lib/documents/markdown";
import { userMarkdownBlocks } from "@/lib/documents/user-markdown";
import { type ComputedImpact, computedImpactRows, formatImpactCount, IMPACT_LABELS, type RecordedImpact } from "@/lib/incidents/impact";
import { formatDuration, formatMetricValue, formatNumber } from "@/lib/metrics/format";
import type { MetricKind } from "@/lib/metrics/types";
import { formatUtcOrDash as utc } from "@/lib/time/format";

export const RCA_SCHEMA_VERSION = 1;

// ───────────────────────────── generated ─────────────────────────────

export type RcaTimelineRow = { at: string; kind: TimelineKind; event: string; actor: string; key: boolean };

export type RcaActionItem = { title: string; owner: string | null; dueDate: string | null; status: string; priority: string };
export type RcaActionGroup = { key: "IMMEDIATE" | "SHORT_TERM" | "LONG_TERM" | "LATER"; label: string; items: RcaActionItem[] };

export type RcaChart = {
  metric: MetricKind;
  label: string;
  /** [epoch ms, value] in the metric's unit, downsampled for the chart (the page and the PDF draw these). */
  points: [number, number][];
  baseline: number | null;
  from: number;
  to: number;
  markers: { t: number; label: string }[];
};

export type RcaDurations = {
  /** Deploy → detection. */
  detectMs: number | null;
  /** Detection → the first decision proposed. */
  decideMs: number | null;
  /** The rollback run, start → end. */
  rollbackMs: number | null;
  /** Deploy → the end of the rollback (or the resolution when there was none). */
  mitigateMs: number | null;
  /** Deploy → resolution. */
  resolveMs: number | null;
};

export type RcaGenerated = {
  incident: DocumentIncidentFacts;
  durations: RcaDurations;
  rollback: { strategy: string; status: string; startedAt: string | null; endedAt: string | null; decidedBy: string | null } | null;
  timeline: RcaTimelineRow[];
  impact: { recorded: RecordedImpact; recordedBy: string | null; recordedAt: string | null; computed: ComputedImpact };
  actionItems: { groupedBy: "horizon" | "due date"; groups: RcaActionGroup[] };
  related: { kind: "ROLLBACK_SUMMARY" | "VERIFICATION_REPORT"; documentId: string; title: string; version: number }[];
  charts: RcaChart[];
  /** The cost settings in force (RCA_HOURLY_RATE, RCA_CURRENCY) when it was generated. */
  costDefaults: { hourlyRate: number | null; currency: string };
};

// ───────────────────────────── written by people ─────────────────────────────

export const PRIORITIES = ["HIGH", "MEDIUM", "LOW"] as const;
export type Priority = (typeof PRIORITIES)[number];

export type RcaHuman = {
  /** Null: the generated draft stands. */
  summary: string | null;
  whatHappened: string;
  rootCause: { immediate: string; configuration: string; testing: string; deployment: string; monitoring: string };
  /** Each why an entry; the last one is the root cause. */
  fiveWhys: string[];
  outcomes: { wentWell: string; wentWrong: string };
  lessons: { technical: string[]; process: string[] };
  preventive: { technical: string; process: string };
  cost: { engineeringHours: number | null; hourlyRate: number | null; lostRevenue: number | null };
  recommendations: Record<"deployment" | "monitoring" | "testing", { priority: Priority; text: string }>;
  timelineScope: "all" | "key";
};

export const SECTION_KEYS = [
  "summary",
  "whatHappened",
  "rootCause",
  "fiveWhys",
  "outcomes",
  "lessons",
  "preventive",
  "cost",
  "recommendations",
  "timelineScope",
] as const satisfies readonly (keyof RcaHuman)[];
export type SectionKey = (typeof SECTION_KEYS)[number];

export const SECTION_LABELS: Record<SectionKey, string> = {
  summary: "Executive summary",
  whatHappened: "What happened",
  rootCause: "Root cause",
  fiveWhys: "Five whys",
  outcomes: "What went well and what went wrong",
  lessons: "Lessons learned",
  preventive: "Preventive measures",
  cost: "Cost of the incident",
  recommendations: "Recommendations",
  timelineScope: "Timeline rows",
};

/** Each section's own revision: an edit is made on the revision its writer read, or refused with the current text. */
export type SectionMeta = { rev: number; by: string | null; at: string | null };

export const MARKS = ["completed", "reviewed", "approved"] as const;
export type MarkKind = (typeof MARKS)[number];
export const MARK_LABELS: Record<MarkKind, string> = { completed: "Completed by", reviewed: "Reviewed by", approved: "Approved by" };
export type Mark = { by: string; byId: string; at: string; version: number };

export type RcaContent = {
  schema: typeof RCA_SCHEMA_VERSION;
  preparedBy: string | null;
  generated: RcaGenerated;
  human: RcaHuman;
  sections: Record<SectionKey, SectionMeta>;
  marks: Record<MarkKind, Mark | null>;
};

export function emptyHuman(): RcaHuman {
  return {
    summary: null,
    whatHappened: "",
    rootCause: { immediate: "", configuration: "", testing: "", deployment: "", monitoring: "" },
    fiveWhys: ["", "", "", "", ""],
    outcomes: { wentWell: "", wentWrong: "" },
    lessons: { technical: [], process: [] },
    preventive: { technical: "", process: "" },
    cost: { engineeringHours: null, hourlyRate: null, lostRevenue: null },
    recommendations: {
      deployment: { priority: "HIGH", text: "" },
      monitoring: { priority: "MEDIUM", text: "" },
      testing: { priority: "MEDIUM", text: "" },
    },
    timelineScope: "all",
  };
}

export function newRcaContent(generated: RcaGenerated, preparedBy: string | null): RcaContent {
  return {
    schema: RCA_SCHEMA_VERSION,
    preparedBy,
    generated,
    human: emptyHuman(),
    sections: Object.fromEntries(SECTION_KEYS.map((k) => [k, { rev: 0, by: null, at: null }])) as Record<SectionKey, SectionMeta>,
    marks: { completed: null, reviewed: null, approved: null },
  };
}

// ───────────────────────────── wording ─────────────────────────────

/** The timeline kinds that make the "key moments" view. */
export const KEY_KINDS: ReadonlySet<TimelineKind> = new Set<TimelineKind>([
  "INCIDENT_DECLARED",
  "STATUS_CHANGED",
  "SEVERITY_CHANGED",
  "IMPACT_UPDATED",
  "NOTE",
  "EVIDENCE_FROZEN",
  "DECISION_PROPOSED",
  "DECISION_APPROVED",
  "DECISION_REJECTED",
  "RUN_STARTED",
  "STEP_FAILED",
  "STEP_INTERRUPTED",
  "RUN_ENDED",
  "RUN_ABORTED",
  "VERIFICATION_STARTED",
  "SIGNED_OFF",
  "CHECKLIST_LOCKED",
  "INCIDENT_RESOLVED",
]);

export const timelineRows = (c: RcaContent) =>
  c.human.timelineScope === "key" ? c.generated.timeline.filter((r) => r.key) : c.generated.timeline;

/** The executive summary drafted from the data: the same data gives the same words. */
export function draftSummary(g: RcaGenerated): string {
  const i = g.incident;
  const parts: string[] = [];
  parts.push(
    `${i.service} ${i.badVersion} was deployed at ${utc(i.deployedAt)} and the problem was detected ${formatDuration(g.durations.detectMs)} later (${i.severity}).`,
  );
  const c = g.impact.computed;
  if (c.peakErrorRate && c.baselineErrorRate !== null) {
    const failed =
      c.estimatedFailedRequests === null
        ? ""
        : `; an estimated ${formatNumber(Math.round(c.estimatedFailedRequests), 0)} requests failed beyond the baseline`;
    parts.push(
      `The error rate peaked at ${formatMetricValue("ERROR_RATE", c.peakErrorRate.value)} against a baseline of ${formatMetricValue("ERROR_RATE", c.baselineErrorRate)} and stayed above it for ${formatDuration(c.timeAboveBaselineMs)}${failed}.`,
    );
  } else {
    parts.push(`No error-rate figures could be computed (${c.note ?? "no data"}).`);
  }
  const users = g.impact.recorded.usersAffected;
  if (users !== null) parts.push(`${formatNumber(users, 0)} users were affected.`);
  if (g.rollback) {
    const status = g.rollback.status === "SUCCEEDED" ? "completed" : g.rollback.status.toLowerCase();
    parts.push(
      `A ${g.rollback.strategy} rollback to ${i.previousVersion} ${status}${g.durations.rollbackMs !== null ? ` in ${formatDuration(g.durations.rollbackMs)}` : ""}${g.durations.mitigateMs !== null ? `, ${formatDuration(g.durations.mitigateMs)} after the deploy` : ""}.`,
    );
  } else {
    parts.push("No rollback was run.");
  }
  parts.push(
    i.resolvedAt ? `The incident was resolved at ${utc(i.resolvedAt)}.` : `The incident is ${i.status.toLowerCase().replace(/_/g, " ")}.`,
  );
  return parts.join(" ");
}

export const DURATION_LABELS: [keyof RcaDurations, string][] = [
  ["detectMs", "Time to detect (deploy → detection)"],
  ["decideMs", "Time to decide (detection → decision proposed)"],
  ["rollbackMs", "Rollback (start → end)"],
  ["mitigateMs", "Time to mitigate (deploy → rollback end)"],
  ["resolveMs", "Time to resolve (deploy → resolution)"],
];

export function formatMoney(amount: number | null, currency: string): string {
  return amount === null ? "not recorded" : `${formatNumber(amount, 2)} ${currency}`;
}

/** The cost: engineering hours × the hourly rate (the section's, else the configured one) + estimated lost revenue. */
export function incidentCost(c: RcaContent) {
  const { engineeringHours, lostRevenue } = c.human.cost;
  const rate = c.human.cost.hourlyRate ?? c.generated.costDefaults.hourlyRate;
  const engineering = engineeringHours !== null && rate !== null ? engineeringHours * rate : null;
  const total = engineering === null && lostRevenue === null ? null : (engineering ?? 0) + (lostRevenue ?? 0);
  return {
    rate,
    engineering,
    lostRevenue,
    total,
    currency: c.generated.costDefaults.currency,
    complete: engineering !== null && lostRevenue !== null,
  };
}

const PRIORITY_ORDER: Record<Priority, number> = { HIGH: 0, MEDIUM: 1, LOW: 2 };
export const RECOMMENDATION_AREAS = [
  ["deployment", "Deployment process"],
  ["monitoring", "Monitoring"],
  ["testing", "Testing"],
] as const;

export function recommendationsByPriority(h: RcaHuman) {
  return RECOMMENDATION_AREAS.map(([key, label]) => ({ key, label, ...h.recommendations[key] }))
    .filter((r) => r.text.trim() !== "")
    .sort((a, b) => PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority]);
}

// ───────────────────────────── Markdown / PDF tree ─────────────────────────────

const NOT_WRITTEN = "Not written yet.";

/** A person's Markdown, sanitised, under a heading of `depth`; "Not written yet." when empty. */
function written(text: string | null | undefined, depth: number): Block[] {
  const blocks = text?.trim() ? userMarkdownBlocks(text, depth) : [];
  return blocks.length ? blocks : [paragraph(emphasis(NOT_WRITTEN))];
}

const listOrNone = (items: readonly string[], depth: number): Block[] => {
  const kept = items.filter((s) => s.trim() !== "");
  if (kept.length === 0) return [paragraph(emphasis(NOT_WRITTEN))];
  return kept.flatMap((s, i) => [paragraph(strong(`${i + 1}.`)), ...userMarkdownBlocks(s, depth)]);
};

/** A section people write: its heading at `depth`, their Markdown one level below it. */
const writtenSection = (depth: 1 | 2 | 3 | 4, title: string, text: string | null | undefined): Block[] => [
  heading(depth, title),
  ...written(text, depth + 1),
];

/** A section of numbered entries people write (lessons): its heading, the entries one level below. */
const listSection = (depth: 1 | 2 | 3 | 4, title: string, items: readonly string[]): Block[] => [
  heading(depth, title),
  ...listOrNone(items, depth + 1),
];

export type RcaTreeTarget = "markdown" | "pdf";

export function rcaMarkdownTree(c: RcaContent, target: RcaTreeTarget = "markdown"): Root {
  const g = c.generated;
  const i = g.incident;
  const h = c.human;
  const header: Fact[] = [
    ["Incident", `INC-${i.number}: ${i.title}`],
    ["Service", `${i.service} (${i.badVersion} → ${i.previousVersion})`],
    ["Severity", i.severity],
    ["Deployed", utc(i.deployedAt)],
    ["Detected", utc(i.detectedAt)],
    ["Resolved", i.resolvedAt ? utc(i.resolvedAt) : "not resolved"],
    ["Prepared by", c.preparedBy ?? "—"],
  ];
  const cost = incidentCost(c);
  const c2 = g.impact.computed;
  const failedAttempts =
    c2.estimatedFailedRequests === null
      ? "no data"
      : `${formatNumber(Math.round(c2.estimatedFailedRequests), 0)} (estimated failed requests)`;
  const whys = h.fiveWhys.filter((w) => w.trim() !== "");
  const recommendations = recommendationsByPriority(h);
  return markdownDocument([
    heading(1, `Root-cause analysis — INC-${i.number}: ${i.title}`),
    factsTable(header),
    heading(2, "Executive summary"),
    h.summary?.trim() ? written(h.summary, 3) : [paragraph(draftSummary(g)), paragraph(emphasis("Drafted from the incident's records."))],
    heading(2, "Timeline"),
    paragraph(emphasis(h.timelineScope === "key" ? "Key moments (all events are in the incident's timeline)." : "Every recorded event.")),
    table(
      ["Time (UTC)", "Event", "Actor"],
      timelineRows(c).map((r) => [utc(r.at).replace(" UTC", ""), r.event, r.actor]),
    ),
    heading(3, "Durations"),
    table(
      ["Measure", "Duration"],
      DURATION_LABELS.map(([key, label]) => [label, g.durations[key] === null ? "—" : formatDuration(g.durations[key])]),
    ),
    writtenSection(2, "What happened", h.whatHappened),
    heading(2, "Impact"),
    heading(3, "User impact"),
    factsTable([
      [IMPACT_LABELS.usersAffected, formatImpactCount(g.impact.recorded.usersAffected)],
      ["Failed attempts", failedAttempts],
      [IMPACT_LABELS.supportTickets, formatImpactCount(g.impact.recorded.supportTickets)],
      [IMPACT_LABELS.complaints, formatImpactCount(g.impact.recorded.complaints)],
    ]),
    heading(3, "Business impact"),
    factsTable([
      [IMPACT_LABELS.failedTransactions, formatImpactCount(g.impact.recorded.failedTransactions)],
      ["Estimated revenue lost", formatMoney(h.cost.lostRevenue, cost.currency)],
    ]),
    heading(3, "Technical impact"),
    factsTable(computedImpactRows(g.impact.computed)),
    g.impact.computed.note ? paragraph(emphasis(`Note: ${g.impact.computed.note}.`)) : null,
    heading(2, "Root cause"),
    writtenSection(3, "Immediate cause", h.rootCause.immediate),
    heading(3, "Contributing factors"),
    writtenSection(4, "Configuration management", h.rootCause.configuration),
    writtenSection(4, "Testing gaps", h.rootCause.testing),
    writtenSection(4, "Deployment process", h.rootCause.deployment),
    writtenSection(4, "Monitoring", h.rootCause.monitoring),
    heading(2, "Five whys"),
    whys.length === 0
      ? paragraph(emphasis(NOT_WRITTEN))
      : whys.flatMap((w, n) => [
          paragraph(strong(n === whys.length - 1 ? `Why ${n + 1} (root cause)` : `Why ${n + 1}`)),
          ...userMarkdownBlocks(w, 4),
        ]),
    writtenSection(2, "What went well", h.outcomes.wentWell),
    writtenSection(2, "What went wrong", h.outcomes.wentWrong),
    heading(2, "Lessons learned"),
    listSection(3, "Technical", h.lessons.technical),
    listSection(3, "Process", h.lessons.process),
    heading(2, "Action items"),
    paragraph(emphasis(`Grouped by ${g.actionItems.groupedBy}.`)),
    g.actionItems.groups.flatMap((group) => [
      heading(3, group.label),
      group.items.length === 0
        ? paragraph(emphasis("None."))
        : table(
            ["Action", "Owner", "Due", "Status", "Priority"],
            group.items.map((a) => [
              a.title,
              a.owner ?? "unassigned",
              a.dueDate ? a.dueDate.slice(0, 10) : "no date",
              a.status,
              a.priority,
            ]),
          ),
    ]),
    heading(2, "Preventive measures"),
    writtenSection(3, "Technical", h.preventive.technical),
    writtenSection(3, "Process", h.preventive.process),
    heading(2, "Cost of the incident"),
    factsTable([
      ["Engineering hours", h.cost.engineeringHours === null ? "not recorded" : formatNumber(h.cost.engineeringHours, 1)],
      ["Hourly rate", formatMoney(cost.rate, cost.currency)],
      ["Engineering cost", formatMoney(cost.engineering, cost.currency)],
      ["Estimated lost revenue", formatMoney(cost.lostRevenue, cost.currency)],
      [
        "Total",
        cost.total === null ? "not recorded" : `${formatMoney(cost.total, cost.currency)}${cost.complete ? "" : " (part not recorded)"}`,
      ],
    ]),
    heading(2, "Recommendations"),
    recommendations.length === 0
      ? paragraph(emphasis(NOT_WRITTEN))
      : recommendations.flatMap((r) => [paragraph(strong(`${r.priority} — ${r.label}`)), ...userMarkdownBlocks(r.text, 4)]),
    heading(2, "Appendix"),
    heading(3, "Metrics over the incident window"),
    target === "pdf"
      ? g.charts.map((ch) => paragraph({ type: "image", url: `figure:${ch.metric}`, alt: chartCaption(ch) }))
      : g.charts.length === 0
        ? paragraph(emphasis("No metric data for the incident window."))
        : [
            paragraph(emphasis("The charts are drawn in the PDF and on the page; their series in brief:")),
            table(
              ["Metric", "Baseline", "Peak", "Samples"],
              g.charts.map((ch) => [
                ch.label,
                formatMetricValue(ch.metric, ch.baseline),
                formatMetricValue(ch.metric, ch.points.length ? Math.max(...ch.points.map((p) => p[1])) : null),
                String(ch.points.length),
              ]),
            ),
          ],
    heading(3, "Related documents"),
    g.related.length === 0 ? paragraph(emphasis("None yet.")) : orderedList(g.related.map((r) => `${r.title} (version ${r.version})`)),
    heading(2, "Sign-off"),
    table(
      ["", "Name", "Date (UTC)", "On version"],
      MARKS.map((m) => {
        const mark = c.marks[m];
        return [MARK_LABELS[m], mark?.by ?? "—", mark ? utc(mark.at) : "—", mark ? String(mark.version) : "—"];
      }),
    ),
  ]);
}

export function chartCaption(ch: RcaChart): string {
  return `${ch.label}, ${utc(new Date(ch.from).toISOString())} – ${utc(new Date(ch.to).toISOString())}${ch.baseline !== null ? `; dashed: pre-deploy baseline ${formatMetricValue(ch.metric, ch.baseline)}` : ""}`;
}

export const renderRcaMarkdown = (c: RcaContent): string => renderMarkdown(rcaMarkdownTree(c, "markdown"));
