// The root-cause analysis on a page: the generated parts from the version's data, people's
// sections (sanitised Markdown) each with its editor for those who may edit, the charts drawn on
// the server, and the completed / reviewed / approved marks. Without edit rights (a stakeholder,
// an older version) it is the same document with no control.
import type { ReactNode } from "react";
import { UserMarkdown } from "@/components/documents/user-markdown";
import { LocalTime } from "@/components/ui/local-time";
import { computedImpactRows, formatImpactCount, IMPACT_LABELS } from "@/lib/incidents/impact";
import { formatDuration, formatNumber } from "@/lib/metrics/format";
import {
  DURATION_LABELS,
  draftSummary,
  formatMoney,
  incidentCost,
  MARK_LABELS,
  MARKS,
  type MarkKind,
  PRIORITIES,
  type RcaContent,
  RECOMMENDATION_AREAS,
  recommendationsByPriority,
  SECTION_LABELS,
  type SectionKey,
  timelineRows,
} from "@/lib/rca/content";
import { RcaChartSvg } from "./rca-chart";
import { MarkButton } from "./rca-marks";
import { type FieldSpec, SectionEditor } from "./section-editor";

export type RcaPermissions = { edit: boolean; marks: Record<MarkKind, boolean> };

const text = (path: string[], label: string, rows?: number): FieldSpec => ({ kind: "text", path, label, rows });
const priorities = PRIORITIES.map((p) => [p, p.charAt(0) + p.slice(1).toLowerCase()] as const);

const FIELDS: Record<SectionKey, FieldSpec[]> = {
  summary: [
    { kind: "text", path: [], label: "Executive summary", rows: 6, hint: "Markdown. Clear it to go back to the draft from the records." },
  ],
  whatHappened: [text([], "What happened", 6)],
  rootCause: [
    text(["immediate"], "Immediate cause"),
    text(["configuration"], "Configuration management", 3),
    text(["testing"], "Testing gaps", 3),
    text(["deployment"], "Deployment process", 3),
    text(["monitoring"], "Monitoring", 3),
  ],
  fiveWhys: [{ kind: "list", path: [], label: "Five whys (the last one is the root cause)", item: "Why", add: "Add a why" }],
  outcomes: [text(["wentWell"], "What went well"), text(["wentWrong"], "What went wrong")],
  lessons: [
    { kind: "list", path: ["technical"], label: "Technical lessons", item: "Technical lesson", add: "Add a technical lesson" },
    { kind: "list", path: ["process"], label: "Process lessons", item: "Process lesson", add: "Add a process lesson" },
  ],
  preventive: [text(["technical"], "Technical measures"), text(["process"], "Process measures")],
  cost: [
    { kind: "amount", path: ["engineeringHours"], label: "Engineering hours" },
    { kind: "amount", path: ["hourlyRate"], label: "Hourly rate", hint: "Blank: the configured rate (RCA_HOURLY_RATE)." },
    { kind: "amount", path: ["lostRevenue"], label: "Estimated lost revenue" },
  ],
  recommendations: RECOMMENDATION_AREAS.flatMap(([key, label]): FieldSpec[] => [
    { kind: "choice", path: [key, "priority"], label: `${label}: priority`, options: priorities },
    text([key, "text"], `${label}: recommendation`, 3),
  ]),
  timelineScope: [
    {
      kind: "choice",
      path: [],
      label: "Rows in the timeline table",
      options: [
        ["all", "Every recorded event"],
        ["key", "Key moments only"],
      ],
    },
  ],
};

const utc = (iso: string) => `${iso.slice(0, 19).replace("T", " ")}`;

function Block({
  id,
  title,
  level = 2,
  edit,
  children,
}: {
  id: string;
  title: string;
  level?: 2 | 3;
  edit?: ReactNode;
  children: ReactNode;
}) {
  const H = level === 2 ? "h2" : "h3";
  return (
    <section aria-labelledby={`${id}-h`} className="space-y-2 break-inside-avoid-page">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <H id={`${id}-h`} className={level === 2 ? "border-b border-line pb-1 text-lg font-semibold w-full" : "text-base font-semibold"}>
          {title}
        </H>
      </div>
      {children}
      {edit}
    </section>
  );
}

function Facts({ rows, label }: { rows: readonly (readonly [string, ReactNode])[]; label: string }) {
  return (
    <table aria-label={label} className="w-full text-sm">
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k} className="border-b border-line/60 align-top">
            <th scope="row" className="w-1/3 py-1.5 pr-3 text-left font-medium text-muted">
              {k}
            </th>
            <td className="py-1.5">{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function RcaView({
  documentId,
  version,
  content: c,
  can,
}: {
  documentId: string;
  version: number;
  content: RcaContent;
  can: RcaPermissions;
}) {
  const g = c.generated;
  const h = c.human;
  const i = g.incident;
  const editor = (section: SectionKey, title = SECTION_LABELS[section]) =>
    can.edit ? (
      <SectionEditor
        documentId={documentId}
        section={section}
        title={title}
        rev={c.sections[section].rev}
        value={section === "summary" ? (h.summary ?? draftSummary(g)) : h[section]}
        fields={FIELDS[section]}
      />
    ) : null;
  const edited = (section: SectionKey) => {
    const m = c.sections[section];
    return m.by && m.at ? (
      <p className="text-xs text-muted">
        Last edited by {m.by}, <LocalTime iso={m.at} />
      </p>
    ) : null;
  };
  const cost = incidentCost(c);
  const computed = g.impact.computed;
  const recs = recommendationsByPriority(h);
  const whys = h.fiveWhys.filter((w) => w.trim() !== "");
  return (
    <article
      aria-label="Root-cause analysis"
      className="space-y-8 rounded-lg border border-line bg-surface p-4 sm:p-6 print:border-0 print:p-0"
    >
      <header className="space-y-3">
        <h1 className="text-2xl font-semibold">
          Root-cause analysis — INC-{i.number}: {i.title}
        </h1>
        <Facts
          label="Incident"
          rows={[
            ["Service", `${i.service} (${i.badVersion} → ${i.previousVersion})`],
            ["Severity", i.severity],
            ["Deployed", <LocalTime key="d" iso={i.deployedAt} />],
            ["Detected", <LocalTime key="t" iso={i.detectedAt} />],
            ["Resolved", i.resolvedAt ? <LocalTime key="r" iso={i.resolvedAt} /> : "not resolved"],
            ["Prepared by", c.preparedBy ?? "—"],
          ]}
        />
      </header>

      <Block id="rca-summary" title="Executive summary" edit={editor("summary")}>
        {h.summary ? (
          <UserMarkdown text={h.summary} />
        ) : (
          <>
            <p className="text-sm leading-relaxed">{draftSummary(g)}</p>
            <p className="text-xs italic text-muted">Drafted from the incident's records.</p>
          </>
        )}
        {edited("summary")}
      </Block>

      <Block id="rca-timeline" title="Timeline" edit={editor("timelineScope")}>
        <p className="text-xs text-muted">
          {h.timelineScope === "key" ? "Key moments (every event is in the incident's timeline)." : "Every recorded event."} Times in UTC.
        </p>
        <div className="overflow-x-auto">
          <table aria-label="Timeline" className="w-full text-sm">
            <thead>
              <tr className="border-b border-line text-left text-xs text-muted">
                <th className="py-1 pr-3 font-medium whitespace-nowrap">Time (UTC)</th>
                <th className="py-1 pr-3 font-medium">Event</th>
                <th className="py-1 font-medium">Actor</th>
              </tr>
            </thead>
            <tbody>
              {timelineRows(c).map((r, n) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows are the recorded order
                <tr key={n} className="border-b border-line/60 align-top">
                  <td className="py-1 pr-3 font-mono text-xs whitespace-nowrap">{utc(r.at)}</td>
                  <td className="py-1 pr-3">{r.event}</td>
                  <td className="py-1 whitespace-nowrap">{r.actor}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <h3 className="pt-2 text-base font-semibold">Durations</h3>
        <Facts
          label="Durations"
          rows={DURATION_LABELS.map(([key, label]) => [label, g.durations[key] === null ? "—" : formatDuration(g.durations[key])] as const)}
        />
      </Block>

      <Block id="rca-what" title="What happened" edit={editor("whatHappened")}>
        <UserMarkdown text={h.whatHappened} />
        {edited("whatHappened")}
      </Block>

      <Block id="rca-impact" title="Impact">
        <h3 className="text-base font-semibold">User impact</h3>
        <Facts
          label="User impact"
          rows={[
            [IMPACT_LABELS.usersAffected, formatImpactCount(g.impact.recorded.usersAffected)],
            [
              "Failed attempts",
              computed.estimatedFailedRequests === null
                ? "no data"
                : `${formatNumber(Math.round(computed.estimatedFailedRequests), 0)} (estimated failed requests)`,
            ],
            [IMPACT_LABELS.supportTickets, formatImpactCount(g.impact.recorded.supportTickets)],
            [IMPACT_LABELS.complaints, formatImpactCount(g.impact.recorded.complaints)],
          ]}
        />
        <h3 className="text-base font-semibold">Business impact</h3>
        <Facts
          label="Business impact"
          rows={[
            [IMPACT_LABELS.failedTransactions, formatImpactCount(g.impact.recorded.failedTransactions)],
            ["Estimated revenue lost", formatMoney(h.cost.lostRevenue, cost.currency)],
          ]}
        />
        <h3 className="text-base font-semibold">Technical impact</h3>
        <Facts label="Technical impact" rows={computedImpactRows(computed)} />
        {computed.note && <p className="text-xs text-muted">Note: {computed.note}.</p>}
      </Block>

      <Block id="rca-cause" title="Root cause" edit={editor("rootCause")}>
        <h3 className="text-base font-semibold">Immediate cause</h3>
        <UserMarkdown text={h.rootCause.immediate} minDepth={4} />
        <h3 className="text-base font-semibold">Contributing factors</h3>
        {(
          [
            ["configuration", "Configuration management"],
            ["testing", "Testing gaps"],
            ["deployment", "Deployment process"],
            ["monitoring", "Monitoring"],
          ] as const
        ).map(([key, label]) => (
          <div key={key} className="space-y-1">
            <h4 className="text-sm font-semibold">{label}</h4>
            <UserMarkdown text={h.rootCause[key]} minDepth={5} />
          </div>
        ))}
        {edited("rootCause")}
      </Block>

      <Block id="rca-whys" title="Five whys" edit={editor("fiveWhys")}>
        {whys.length === 0 ? (
          <p className="text-sm italic text-muted">Not written yet.</p>
        ) : (
          <ol aria-label="Five whys" className="space-y-2">
            {whys.map((w, n) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the whys are a chain by position
              <li key={n} className="rounded-md border border-line px-3 py-2">
                <p className="text-xs font-semibold uppercase tracking-wide text-muted">
                  {n === whys.length - 1 ? `Why ${n + 1} · root cause` : `Why ${n + 1}`}
                </p>
                <UserMarkdown text={w} minDepth={4} />
              </li>
            ))}
          </ol>
        )}
        {edited("fiveWhys")}
      </Block>

      <Block id="rca-outcomes" title="What went well and what went wrong" edit={editor("outcomes")}>
        <div className="grid gap-4 sm:grid-cols-2">
          <div className="space-y-1">
            <h3 className="text-base font-semibold">What went well</h3>
            <UserMarkdown text={h.outcomes.wentWell} minDepth={4} />
          </div>
          <div className="space-y-1">
            <h3 className="text-base font-semibold">What went wrong</h3>
            <UserMarkdown text={h.outcomes.wentWrong} minDepth={4} />
          </div>
        </div>
        {edited("outcomes")}
      </Block>

      <Block id="rca-lessons" title="Lessons learned" edit={editor("lessons")}>
        <div className="grid gap-4 sm:grid-cols-2">
          {(
            [
              ["technical", "Technical"],
              ["process", "Process"],
            ] as const
          ).map(([key, label]) => {
            const items = h.lessons[key].filter((s) => s.trim() !== "");
            return (
              <div key={key} className="space-y-1">
                <h3 className="text-base font-semibold">{label}</h3>
                {items.length === 0 ? (
                  <p className="text-sm italic text-muted">Not written yet.</p>
                ) : (
                  <ul aria-label={`${label} lessons`} className="list-disc space-y-1 pl-5">
                    {items.map((l, n) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: lessons are listed in the order written
                      <li key={n}>
                        <UserMarkdown text={l} minDepth={4} />
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            );
          })}
        </div>
        {edited("lessons")}
      </Block>

      <Block id="rca-actions" title="Action items">
        <p className="text-xs text-muted">Grouped by {g.actionItems.groupedBy}. As of the last generation from the records.</p>
        {g.actionItems.groups.map((group) => (
          <div key={group.key} className="space-y-1">
            <h3 className="text-sm font-semibold">{group.label}</h3>
            {group.items.length === 0 ? (
              <p className="text-sm italic text-muted">None.</p>
            ) : (
              <ul className="space-y-1 text-sm">
                {group.items.map((a, n) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a snapshot list
                  <li key={n}>
                    <span className="font-medium">{a.title}</span>{" "}
                    <span className="text-muted">
                      · {a.owner ?? "unassigned"} · {a.dueDate ? a.dueDate.slice(0, 10) : "no date"} · {a.status} · {a.priority}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        ))}
      </Block>

      <Block id="rca-preventive" title="Preventive measures" edit={editor("preventive")}>
        <h3 className="text-base font-semibold">Technical</h3>
        <UserMarkdown text={h.preventive.technical} minDepth={4} />
        <h3 className="text-base font-semibold">Process</h3>
        <UserMarkdown text={h.preventive.process} minDepth={4} />
        {edited("preventive")}
      </Block>

      <Block id="rca-cost" title="Cost of the incident" edit={editor("cost")}>
        <Facts
          label="Cost"
          rows={[
            ["Engineering hours", h.cost.engineeringHours === null ? "not recorded" : formatNumber(h.cost.engineeringHours, 1)],
            ["Hourly rate", formatMoney(cost.rate, cost.currency)],
            ["Engineering cost", formatMoney(cost.engineering, cost.currency)],
            ["Estimated lost revenue", formatMoney(cost.lostRevenue, cost.currency)],
            [
              "Total",
              cost.total === null
                ? "not recorded"
                : `${formatMoney(cost.total, cost.currency)}${cost.complete ? "" : " (part not recorded)"}`,
            ],
          ]}
        />
        {edited("cost")}
      </Block>

      <Block id="rca-recommendations" title="Recommendations" edit={editor("recommendations")}>
        {recs.length === 0 ? (
          <p className="text-sm italic text-muted">Not written yet.</p>
        ) : (
          recs.map((r) => (
            <div key={r.key} className="space-y-1">
              <h3 className="text-sm font-semibold">
                {r.priority.charAt(0) + r.priority.slice(1).toLowerCase()} priority · {r.label}
              </h3>
              <UserMarkdown text={r.text} minDepth={4} />
            </div>
          ))
        )}
        {edited("recommendations")}
      </Block>

      <Block id="rca-appendix" title="Appendix">
        <h3 className="text-base font-semibold">Metrics over the incident window</h3>
        {g.charts.length === 0 ? (
          <p className="text-sm italic text-muted">No metric data for the incident window.</p>
        ) : (
          <div className="space-y-4">
            {g.charts.map((ch) => (
              <RcaChartSvg key={ch.metric} chart={ch} />
            ))}
          </div>
        )}
        <h3 className="text-base font-semibold">Related documents</h3>
        {g.related.length === 0 ? (
          <p className="text-sm italic text-muted">None yet.</p>
        ) : (
          <ul className="list-disc pl-5 text-sm">
            {g.related.map((r) => (
              <li key={r.documentId}>
                <a className="text-accent underline-offset-2 hover:underline" href={`/incidents/${i.number}/documents/${r.documentId}`}>
                  {r.title}
                </a>{" "}
                <span className="text-muted">(version {r.version})</span>
              </li>
            ))}
          </ul>
        )}
      </Block>

      <Block id="rca-signoff" title="Sign-off">
        <ul aria-label="Sign-off" className="space-y-2">
          {MARKS.map((m) => {
            const mark = c.marks[m];
            return (
              <li key={m} className="flex flex-wrap items-center justify-between gap-2 border-b border-line/60 pb-2 text-sm">
                <span>
                  <span className="font-medium">{MARK_LABELS[m]}:</span>{" "}
                  {mark ? (
                    <>
                      {mark.by}, <LocalTime iso={mark.at} /> <span className="text-muted">(version {mark.version})</span>
                    </>
                  ) : (
                    <span className="text-muted">not yet</span>
                  )}
                </span>
                {can.marks[m] && <MarkButton kind={m} documentId={documentId} version={version} again={mark !== null} />}
              </li>
            );
          })}
        </ul>
      </Block>
    </article>
  );
}
