"use client";

import { useDisplayZone } from "@/components/time/time-zone";
// The timeline's entries: each with its time (viewer's zone, seconds, zone named), who, from
// where (web, API, webhook, system), what happened, a step's duration and result, the document it
// wrote, and its star. Read-only (a stakeholder, a share link): no star buttons.
import { StarButton } from "@/components/timeline/star-button";
import { cn } from "@/components/ui/cn";
import { LocalTime } from "@/components/ui/local-time";
import { formatDuration } from "@/lib/metrics/format";
import { formatInstant } from "@/lib/time/format";
import type { TimelineEntry } from "@/lib/timeline/entries";

const RESULT_TONE: Record<string, string> = {
  succeeded: "text-ok",
  "marked done": "text-ok",
  failed: "text-danger",
  interrupted: "text-danger",
  canceled: "text-muted",
  skipped: "text-muted",
};

export function TimelineList({
  entries,
  readOnly,
  showLinks = true,
}: {
  entries: TimelineEntry[];
  /** No star buttons: for stakeholders and share links. */
  readOnly: boolean;
  /** Links to documents and the summary (off where the reader cannot open them). */
  showLinks?: boolean;
}) {
  const { zone } = useDisplayZone();
  if (entries.length === 0) return <p className="text-sm text-muted">Nothing here yet.</p>;
  let previousDay: string | null = null;
  return (
    <ol className="relative space-y-3 border-l border-line pl-4" aria-label="Incident timeline">
      {entries.map((e) => {
        // A date line wherever the day changes (in the viewer's zone): entries show only the time.
        const day = formatInstant(e.at, zone, "date");
        const dayLine = day !== previousDay;
        previousDay = day;
        return (
          <li key={e.id} className="relative" data-testid="timeline-entry" data-kind={e.kind}>
            {dayLine && <p className="mb-1 -ml-4 pl-4 text-[11px] font-semibold uppercase tracking-wide text-muted">{day}</p>}
            <span
              className={cn(
                "absolute -left-[21px] size-2.5 rounded-full border-2 border-surface",
                dayLine ? "top-7" : "top-1.5",
                e.starred ? "bg-warn" : e.category === "notes" ? "bg-fg" : "bg-accent",
              )}
              aria-hidden
            />
            <div className="flex items-start gap-2">
              <div className="min-w-0 flex-1">
                <p className="text-xs text-muted">
                  <span className="font-mono tabular-nums text-fg" data-testid="timeline-time">
                    <LocalTime iso={e.at} style="time" />
                  </span>
                  {e.actor && <> · {e.actor}</>}
                  <> · </>
                  <span title={e.sourceDetail ?? undefined}>{e.sourceDetail ? `${e.source} (${e.sourceDetail})` : e.source}</span>
                  {e.starred && (
                    <span className="ml-1 font-medium text-warn" title={e.starredBy ? `starred by ${e.starredBy}` : undefined}>
                      · key moment
                    </span>
                  )}
                </p>
                <p className={cn("text-sm break-words", e.category === "notes" && "whitespace-pre-wrap")}>
                  {e.category === "notes" && <span className="font-medium">Note: </span>}
                  {e.message}
                </p>
                {e.step && (
                  <p className="text-xs">
                    <span className={RESULT_TONE[e.step.result] ?? "text-muted"}>{e.step.result}</span>
                    {e.step.durationMs !== null && <span className="text-muted"> after {formatDuration(e.step.durationMs)}</span>}
                  </p>
                )}
                {e.recordedAt && (
                  <p className="text-xs text-muted">
                    noted at <LocalTime iso={e.recordedAt} style="time" />
                  </p>
                )}
                {showLinks && e.link && (
                  <a href={e.link.href} className="text-sm text-accent underline-offset-2 hover:underline">
                    {e.link.label}
                  </a>
                )}
              </div>
              {!readOnly && <StarButton eventId={e.id} starred={e.starred} />}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
