import { LocalTime } from "@/components/ui/local-time";
import type { TimelineKind, TimelineSource } from "@/generated/prisma/enums";

export type TimelineItem = {
  id: string;
  at: Date;
  kind: TimelineKind;
  source: TimelineSource;
  message: string;
  actor: { name: string } | null;
  payload?: unknown;
};

/** The event that wrote a rollback summary links to it on the page. */
function summaryAnchor(payload: unknown): string | undefined {
  const p = payload as { documentId?: unknown; kind?: unknown } | null;
  return p?.kind === "ROLLBACK_SUMMARY" && typeof p.documentId === "string" && /^[a-z0-9]+$/i.test(p.documentId)
    ? `#summary-${p.documentId}`
    : undefined;
}

const SOURCE_LABEL: Record<TimelineSource, string> = {
  USER: "",
  SYSTEM: "system",
  ALERTMANAGER: "Alertmanager",
  EXECUTOR: "executor",
  METRICS: "metrics",
  API: "API",
  WEBHOOK: "webhook",
};

export function Timeline({ events }: { events: TimelineItem[] }) {
  if (events.length === 0) return <p className="text-sm text-muted">Nothing has happened yet.</p>;
  return (
    <ol className="relative space-y-4 border-l border-line pl-4" aria-label="Incident timeline">
      {events.map((e) => (
        <li key={e.id} className="relative">
          <span className="absolute -left-[21px] top-1.5 size-2.5 rounded-full border-2 border-surface bg-accent" aria-hidden />
          <p className="text-xs text-muted">
            <LocalTime iso={e.at.toISOString()} />
            {e.actor ? ` · ${e.actor.name}` : SOURCE_LABEL[e.source] ? ` · ${SOURCE_LABEL[e.source]}` : ""}
          </p>
          <p className="text-sm">{e.message}</p>
          {summaryAnchor(e.payload) && (
            <a href={summaryAnchor(e.payload)} className="text-sm text-accent underline-offset-2 hover:underline">
              Read the rollback summary
            </a>
          )}
        </li>
      ))}
    </ol>
  );
}
