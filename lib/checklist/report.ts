// The verification report: rendered from the checklist as structured content (what the page shows)
// and Markdown (what people paste or export). Pure: the same checklist gives the same report.

import type { Root } from "mdast";
import type { ChecklistItemStatus, ChecklistSection, SignOffRole, SystemStability } from "@/generated/prisma/enums";
import { factsList, heading, markdownDocument, paragraph, renderMarkdown, strong, table } from "@/lib/documents/markdown";
import { formatMetricValue } from "@/lib/metrics/format";
import { formatUtcOrDash as utc } from "@/lib/time/format";
import { SIGN_OFF_LABELS, SIGN_OFF_ROLES, STATUS_LABELS } from "./rules";
import { SECTION_INFO, SECTIONS } from "./template-schema";
import type { ChecklistView } from "./view";

export type ReportIncident = {
  number: number;
  title: string;
  serviceName: string;
  badVersion: string;
  previousVersion: string;
  status: string;
  resolvedAt: string | null;
};

export type ReportItem = {
  key: string;
  label: string;
  status: ChecklistItemStatus;
  /** "Done automatically: 0.4% at …", "Override: …", the value, the test result. */
  detail: string;
  note: string | null;
  /** Who last changed it and when; null while untouched. */
  by: string | null;
  at: string | null;
};

export type ReportContent = {
  incident: ReportIncident;
  generatedAt: string;
  rollbackEndedAt: string;
  startedAt: string;
  startedBy: string | null;
  lockedAt: string | null;
  totals: Record<ChecklistItemStatus, number> & { all: number; automatic: number; overrides: number };
  sections: { section: ChecklistSection; title: string; items: ReportItem[] }[];
  signOffs: {
    role: SignOffRole;
    label: string;
    by: string | null;
    at: string | null;
    rollbackSuccessful: boolean | null;
    systemStable: SystemStability | null;
    outstandingIssues: string;
    comments: string;
  }[];
  waiver: { reason: string; by: string | null; at: string | null } | null;
};

const STABILITY_LABELS: Record<SystemStability, string> = { STABLE: "Yes", PARTIAL: "Partially", UNSTABLE: "No" };

function itemDetail(item: ChecklistView["items"][number]): string {
  const parts: string[] = [];
  if (item.autoSatisfied && item.satisfiedValue !== null && item.metric) {
    const base = item.satisfiedBaseline !== null ? ` (baseline ${formatMetricValue(item.metric, item.satisfiedBaseline)})` : "";
    parts.push(`automatically: ${formatMetricValue(item.metric, item.satisfiedValue)}${base} at ${utc(item.satisfiedAt)}`);
  }
  if (item.isOverride) parts.push("override of the automatic check");
  if (item.value !== null) parts.push(item.value);
  if (item.testResult !== null) parts.push(`test: ${item.testResult}`);
  return parts.join("; ");
}

export function buildReport(checklist: ChecklistView, incident: ReportIncident, generatedAt: Date): ReportContent {
  const totals = { all: 0, automatic: 0, overrides: 0, PENDING: 0, PASSED: 0, FAILED: 0, NOT_APPLICABLE: 0 };
  for (const i of checklist.items) {
    totals.all++;
    totals[i.status]++;
    if (i.autoSatisfied) totals.automatic++;
    if (i.isOverride) totals.overrides++;
  }
  const sections = SECTIONS.map((section) => ({
    section,
    title: SECTION_INFO[section].title,
    items: checklist.items
      .filter((i) => i.section === section)
      .map((i) => ({
        key: i.key,
        label: i.label,
        status: i.status,
        detail: itemDetail(i),
        note: i.note,
        by: i.version === 1 ? null : (i.updatedBy?.name ?? "automatic check"),
        at: i.version === 1 ? null : i.updatedAt,
      })),
  })).filter((s) => s.items.length > 0);
  const signOffs = SIGN_OFF_ROLES.map((role) => {
    const s = checklist.signOffs.find((x) => x.role === role);
    return {
      role,
      label: SIGN_OFF_LABELS[role],
      by: s?.user.name ?? null,
      at: s?.signedAt ?? null,
      rollbackSuccessful: s ? s.rollbackSuccessful : null,
      systemStable: s ? s.systemStable : null,
      outstandingIssues: s?.outstandingIssues ?? "",
      comments: s?.comments ?? "",
    };
  });
  return {
    incident,
    generatedAt: generatedAt.toISOString(),
    rollbackEndedAt: checklist.rollbackEndedAt,
    startedAt: checklist.startedAt,
    startedBy: checklist.startedBy?.name ?? null,
    lockedAt: checklist.lockedAt,
    totals,
    sections,
    signOffs,
    waiver: checklist.waiver ? { reason: checklist.waiver.reason, by: checklist.waiver.by?.name ?? null, at: checklist.waiver.at } : null,
  };
}

/** The report as a Markdown tree: labels, notes, names and comments go in as text (escaped by the builder). */
export function reportMarkdownTree(r: ReportContent): Root {
  const t = r.totals;
  return markdownDocument([
    heading(1, `Verification report — INC-${r.incident.number}: ${r.incident.title}`),
    factsList([
      ["Service", `${r.incident.serviceName}, rolled back from ${r.incident.badVersion} to ${r.incident.previousVersion}`],
      ["Rollback ended", utc(r.rollbackEndedAt)],
      ["Verification started", `${utc(r.startedAt)}${r.startedBy ? ` by ${r.startedBy}` : ""}`],
      ["Signed off and locked", r.lockedAt ? utc(r.lockedAt) : "not yet"],
      [
        "Items",
        `${t.all} — ${t.PASSED} done (${t.automatic} by the metrics, ${t.overrides} overridden), ${t.FAILED} failed, ${t.NOT_APPLICABLE} not applicable, ${t.PENDING} open`,
      ],
      ["Generated", utc(r.generatedAt)],
    ]),
    r.sections.flatMap((s) => [
      heading(2, s.title),
      table(
        ["Item", "Status", "Details", "Note", "By"],
        s.items.map((i) => [i.label, STATUS_LABELS[i.status], i.detail, i.note ?? "", i.by ? `${i.by}, ${utc(i.at)}` : "—"]),
      ),
    ]),
    heading(2, "Sign-off"),
    table(
      ["Role", "By", "Rollback successful", "System stable", "Outstanding issues", "Comments"],
      r.signOffs.map((s) =>
        s.by
          ? [
              s.label,
              `${s.by}, ${utc(s.at)}`,
              s.rollbackSuccessful ? "Yes" : "No",
              s.systemStable ? STABILITY_LABELS[s.systemStable] : "",
              s.outstandingIssues,
              s.comments,
            ]
          : [s.label, "not signed"],
      ),
    ),
    r.waiver &&
      paragraph([strong("Sign-off waived"), ` by ${r.waiver.by ?? "a release manager"} at ${utc(r.waiver.at)}: ${r.waiver.reason}`]),
  ]);
}

export const renderReportMarkdown = (r: ReportContent): string => renderMarkdown(reportMarkdownTree(r));

export { STABILITY_LABELS };
