// On an incident's page: what this service's earlier incidents taught, and what is still open from
// them ("last time: … — action item open").
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import type { ServiceLesson } from "@/lib/action-items/lessons";
import { dateToDueDay, STATUS_LABELS } from "@/lib/action-items/rules";
import { incidentRef } from "@/lib/incidents/schemas";
import { PriorityBadge } from "./action-item-card";

/** `earlier`: listServiceLessons of the incident. */
export function ServiceLessons({ earlier, serviceName }: { earlier: ServiceLesson[]; serviceName: string }) {
  if (earlier.length === 0) return null;
  const openCount = earlier.reduce((n, i) => n + i.actionItems.length, 0);
  return (
    <Card
      id="lessons"
      title={`Last time on ${serviceName}`}
      actions={openCount > 0 ? <span className="text-xs font-semibold text-warn">{openCount} action items still open</span> : undefined}
    >
      <ul aria-label="Earlier incidents on this service" className="space-y-4 text-sm">
        {earlier.map((i) => (
          <li key={i.id} aria-label={`${incidentRef(i.number)} ${i.title}`} className="space-y-1">
            <p>
              <Link href={`/incidents/${i.number}`} className="font-medium hover:underline">
                <span className="font-mono text-muted">{incidentRef(i.number)}</span> {i.title}
              </Link>{" "}
              <span className="text-xs text-muted">
                declared <LocalTime iso={i.declaredAt.toISOString()} style="date" />
              </span>
            </p>
            {(["technical", "process"] as const).map(
              (kind) =>
                i.lessons[kind].length > 0 && (
                  <div key={kind}>
                    <p className="text-xs font-medium text-muted">{kind === "technical" ? "Technical lessons" : "Process lessons"}</p>
                    <ul
                      aria-label={`${kind === "technical" ? "Technical" : "Process"} lessons of ${incidentRef(i.number)}`}
                      className="list-disc pl-5"
                    >
                      {i.lessons[kind].map((l) => (
                        <li key={l} className="whitespace-pre-wrap">
                          {l}
                        </li>
                      ))}
                    </ul>
                  </div>
                ),
            )}
            {i.actionItems.length > 0 ? (
              <ul aria-label={`Open action items of ${incidentRef(i.number)}`} className="space-y-1">
                {i.actionItems.map((a) => (
                  <li key={a.id} className="flex flex-wrap items-center gap-2">
                    <PriorityBadge priority={a.priority} />
                    <span>{a.title}</span>
                    <span className="text-xs text-muted">
                      action item {STATUS_LABELS[a.status].toLowerCase()} · {a.owner?.name ?? "unassigned"}
                      {a.dueDate && <> · due {dateToDueDay(a.dueDate)}</>}
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-xs text-muted">No action item left open.</p>
            )}
          </li>
        ))}
      </ul>
    </Card>
  );
}
