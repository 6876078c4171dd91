import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import type { IncidentListRow } from "@/lib/incidents/queries";
import { incidentRef } from "@/lib/incidents/schemas";
import { SeverityBadge, StatusBadge } from "./badges";
import { Elapsed } from "./elapsed";

function UpdateOverdueBadge() {
  return (
    <Badge tone="warn" className="ml-1">
      update overdue
    </Badge>
  );
}

export function IncidentTable({
  rows,
  caption,
  empty,
  timeLabel = "Age",
  overdueUpdates,
}: {
  rows: IncidentListRow[];
  caption: string;
  empty: string;
  /** The last column: time since detection, or (resolved incidents) until resolution. */
  timeLabel?: string;
  /** Incidents whose promised stakeholder update is overdue (shown to responders). */
  overdueUpdates?: ReadonlySet<string>;
}) {
  if (rows.length === 0) return <p className="px-4 py-6 text-sm text-muted">{empty}</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-line text-xs uppercase tracking-wide text-muted">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">
              Incident
            </th>
            <th scope="col" className="hidden px-4 py-2 font-medium sm:table-cell">
              Severity
            </th>
            <th scope="col" className="hidden px-4 py-2 font-medium sm:table-cell">
              Service
            </th>
            <th scope="col" className="hidden px-4 py-2 font-medium md:table-cell">
              Versions
            </th>
            <th scope="col" className="hidden px-4 py-2 font-medium sm:table-cell">
              Status
            </th>
            <th scope="col" className="hidden px-4 py-2 font-medium sm:table-cell">
              {timeLabel}
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {rows.map((r) => (
            <tr key={r.id} className="hover:bg-surface-2">
              <td className="px-4 py-3">
                {/* Named "INC-7: Checkout failing", not the two parts run together. */}
                <Link
                  href={`/incidents/${r.number}`}
                  aria-label={`${incidentRef(r.number)}: ${r.title}`}
                  className="font-medium text-fg hover:underline"
                >
                  <span className="mr-2 font-mono text-xs text-muted">{incidentRef(r.number)}</span>
                  {r.title}
                </Link>
                <p className="mt-0.5 text-xs text-muted">
                  Declared <LocalTime iso={r.declaredAt.toISOString()} />
                </p>
                {/* Phones: the columns hidden below fold into the first cell. */}
                <p className="mt-1.5 flex flex-wrap items-center gap-1.5 text-xs sm:hidden">
                  <SeverityBadge severity={r.severity} />
                  <StatusBadge status={r.status} />
                  {overdueUpdates?.has(r.id) && <UpdateOverdueBadge />}
                  <span className="text-muted">{r.service.name}</span>
                  <span className="text-muted">
                    · {timeLabel} <Elapsed since={r.detectedAt.toISOString()} until={r.resolvedAt?.toISOString()} />
                  </span>
                </p>
              </td>
              <td className="hidden px-4 py-3 sm:table-cell">
                <SeverityBadge severity={r.severity} />
              </td>
              <td className="hidden px-4 py-3 whitespace-nowrap sm:table-cell">{r.service.name}</td>
              <td className="hidden px-4 py-3 font-mono text-xs whitespace-nowrap md:table-cell">
                <span className="text-danger">{r.badVersion}</span> → <span className="text-ok">{r.previousVersion}</span>
              </td>
              <td className="hidden px-4 py-3 sm:table-cell">
                <StatusBadge status={r.status} />
                {overdueUpdates?.has(r.id) && <UpdateOverdueBadge />}
              </td>
              <td className="hidden px-4 py-3 text-muted whitespace-nowrap sm:table-cell">
                <Elapsed since={r.detectedAt.toISOString()} until={r.resolvedAt?.toISOString()} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
