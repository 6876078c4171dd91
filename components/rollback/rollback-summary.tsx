// A rollback summary document, rendered from its structured content: readable on the incident
// page and on its own printable page. The same content's Markdown is the download.
import { verdictDisplay } from "@/components/charts/verdicts";
import { Badge, type Tone } from "@/components/ui/badge";
import { Fact } from "@/components/ui/fact";
import { LocalTime } from "@/components/ui/local-time";
import type { RunStatus } from "@/generated/prisma/enums";
import { formatChange, formatDuration } from "@/lib/metrics/format";
import type { RollbackSummaryDocument } from "@/lib/rollback/queries";
import {
  formatMetric,
  hasMetricData,
  PREPARATION_RESULT_WORDS,
  RUN_STATUS_WORDS,
  stabilityText,
  stepOutcome,
} from "@/lib/rollback/summary/content";

const TONE: Record<RunStatus, Tone> = { PENDING: "neutral", RUNNING: "info", SUCCEEDED: "ok", FAILED: "danger", ABORTED: "danger" };

const count = (n: number | null) => (n === null ? "not recorded" : n.toLocaleString("en-US"));

export function RollbackSummary({ doc, links }: { doc: RollbackSummaryDocument; links?: React.ReactNode }) {
  const c = doc.content;
  return (
    <article aria-labelledby={`summary-${doc.id}-title`} className="space-y-4" id={`summary-${doc.id}`}>
      <header className="flex flex-wrap items-center justify-between gap-2">
        <h3 id={`summary-${doc.id}-title`} className="flex flex-wrap items-center gap-2 font-semibold">
          {doc.title}
          <Badge tone={TONE[c.run.status]}>
            <span data-testid="summary-status">{RUN_STATUS_WORDS[c.run.status]}</span>
          </Badge>
        </h3>
        {links}
      </header>
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3">
        <Fact label="Version rolled back">
          <span className="font-mono">
            <span className="text-danger">{c.versions.from}</span> → <span className="text-ok">{c.versions.to}</span>
          </span>
        </Fact>
        <Fact label="Method">
          {c.method.label} ({c.method.tier})
        </Fact>
        <Fact label="Duration">{formatDuration(c.run.durationMs)}</Fact>
        <Fact label="Started">
          {c.run.startedAt ? <LocalTime iso={c.run.startedAt} /> : "—"}
          {c.run.startedBy && <span className="text-muted"> by {c.run.startedBy}</span>}
        </Fact>
        <Fact label="Ended">
          {c.run.endedAt ? <LocalTime iso={c.run.endedAt} /> : "—"}
          {c.run.endedBy && <span className="text-muted"> by {c.run.endedBy}</span>}
        </Fact>
        <Fact label="Time to stability">
          <span data-testid="summary-stability">{stabilityText(c.stability)}</span>
        </Fact>
      </dl>
      {c.run.endReason && <p className="text-sm">Reason given: {c.run.endReason}</p>}

      <section aria-label="Impact" className="space-y-1">
        <h4 className="text-sm font-semibold">Impact</h4>
        <p className="text-sm">
          Users affected {count(c.impact.usersAffected)} · support tickets {count(c.impact.supportTickets)} · complaints{" "}
          {count(c.impact.complaints)} · failed transactions {count(c.impact.failedTransactions)}
        </p>
      </section>

      <section aria-label="Metrics after the rollback" className="space-y-1">
        <h4 className="text-sm font-semibold">Metrics after the rollback against baseline</h4>
        {c.metrics.error ? (
          <p className="text-sm text-warn">Metrics unavailable: {c.metrics.error}</p>
        ) : !hasMetricData(c.metrics.rows) ? (
          <p className="text-sm text-muted">No metric data for the baseline or after the rollback.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Median of each metric in the baseline window and after the rollback</caption>
              <thead className="text-xs text-muted">
                <tr>
                  <th className="py-1 pr-3 font-medium">Metric</th>
                  <th className="hidden py-1 pr-3 font-medium sm:table-cell">Baseline</th>
                  <th className="py-1 pr-3 font-medium">After rollback</th>
                  <th className="hidden py-1 pr-3 font-medium sm:table-cell">Change</th>
                  <th className="py-1 font-medium">Verdict</th>
                </tr>
              </thead>
              <tbody>
                {c.metrics.rows.map((r) => (
                  <tr key={r.metric} className="border-t border-line">
                    <th scope="row" className="py-1 pr-3 font-normal">
                      {r.label}
                      {/* Phones: Baseline and Change fold in here (print keeps the full table). */}
                      <span className="block text-xs text-muted tabular-nums sm:hidden print:hidden">
                        baseline {formatMetric(r.metric, r.baseline)} · {formatChange(r.change)}
                      </span>
                    </th>
                    <td className="hidden py-1 pr-3 whitespace-nowrap tabular-nums sm:table-cell">{formatMetric(r.metric, r.baseline)}</td>
                    <td className="py-1 pr-3 whitespace-nowrap tabular-nums">{formatMetric(r.metric, r.after)}</td>
                    <td className="hidden py-1 pr-3 whitespace-nowrap tabular-nums sm:table-cell">{formatChange(r.change)}</td>
                    <td className="py-1">
                      <Badge tone={verdictDisplay(r.verdict).tone}>{verdictDisplay(r.verdict).label}</Badge>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="text-xs text-muted">Source: {c.metrics.source}.</p>
      </section>

      {c.preparation && (
        <section aria-label="Preparation log" className="space-y-1">
          <h4 className="text-sm font-semibold">Preparation log</h4>
          <p className="text-xs text-muted">
            Readiness checks run when the rollback was proposed, <LocalTime iso={c.preparation.checkedAt} />.
          </p>
          <ul className="space-y-0.5 text-sm">
            {c.preparation.checks.map((p) => (
              <li key={`${p.label}-${p.checkedAt}`}>
                <span className={p.result === "fail" ? "text-danger" : p.result === "pass" ? "text-ok" : "text-warn"}>
                  {PREPARATION_RESULT_WORDS[p.result]}
                </span>{" "}
                {p.label}: <span className="text-muted">{p.summary}</span> ·{" "}
                <span className="text-xs text-muted">
                  <LocalTime iso={p.checkedAt} style="time" />
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-label="Steps" className="space-y-1">
        <h4 className="text-sm font-semibold">Steps</h4>
        <ol className="list-decimal space-y-0.5 pl-5 text-sm">
          {c.steps.map((s) => (
            <li key={s.position}>
              {s.name} — <span className={s.state === "FAILED" ? "text-danger" : ""}>{stepOutcome(s)}</span>
              {s.summary && <span className="text-muted">: {s.summary}</span>}
            </li>
          ))}
        </ol>
      </section>

      <section aria-label="Next steps" className="space-y-1">
        <h4 className="text-sm font-semibold">Next steps</h4>
        <ul className="list-disc space-y-0.5 pl-5 text-sm">
          {c.nextSteps.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      </section>
    </article>
  );
}
