"use client";

// The incident's milestones (lib/timeline/milestones.ts) as a bar: each one's time in the viewer's
// zone, or "not yet" (open incident) / "missing" (resolved without it) — never estimated — and the
// times between them.
import { useDisplayZone } from "@/components/time/time-zone";
import { cn } from "@/components/ui/cn";
import { LocalTime } from "@/components/ui/local-time";
import { formatDuration } from "@/lib/metrics/format";
import { formatInstant } from "@/lib/time/format";
import { absentText, type Milestones } from "@/lib/timeline/milestones";

export function MilestonesBar({ milestones }: { milestones: Milestones }) {
  const { zone } = useDisplayZone();
  const reference = milestones.milestones.find((m) => m.key === "declared")?.at ?? milestones.milestones.find((m) => m.at)?.at;
  const referenceDay = reference ? formatInstant(reference, zone, "date") : null;
  const absent = absentText(milestones);
  return (
    <section aria-label="Milestones" className="rounded-lg border border-line bg-surface p-3">
      {/* Phones: one row that scrolls sideways (the whole bar would take a screen); wider: wrapped. */}
      <ol
        className="flex gap-x-1 overflow-x-auto pb-1 text-xs sm:flex-wrap sm:gap-y-2 sm:overflow-visible sm:pb-0"
        data-testid="milestones"
      >
        {milestones.milestones.map((m, i) => (
          <li key={m.key} className="flex shrink-0 items-center gap-1" data-milestone={m.key} data-missing={m.at ? undefined : "true"}>
            {i > 0 && (
              <span aria-hidden className="text-muted">
                →
              </span>
            )}
            <span className={cn("rounded-md border px-2 py-1", m.at ? "border-line" : "border-dashed border-line text-muted")}>
              <span className="block font-medium">{m.label}</span>
              <span className="block font-mono tabular-nums">
                {m.at ? (
                  <LocalTime iso={m.at} style={formatInstant(m.at, zone, "date") === referenceDay ? "time" : "datetime"} />
                ) : (
                  <span className="italic">{absent}</span>
                )}
              </span>
            </span>
          </li>
        ))}
      </ol>
      <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-1 text-xs sm:grid-cols-3 lg:grid-cols-6" data-testid="milestone-durations">
        {milestones.durations.map((d) => (
          <div key={d.key} data-duration={d.key}>
            <dt className="text-muted">{d.key === "total" ? "Total (deploy → resolved)" : d.label}</dt>
            <dd className={cn("font-semibold tabular-nums", d.ms === null && "font-normal italic text-muted")}>
              {d.ms === null ? absent : `${d.ms < 0 ? "−" : ""}${formatDuration(Math.abs(d.ms))}`}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
