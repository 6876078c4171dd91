// The incident page's way into the RCA: "Generate RCA" once the rollback ran (or at any time for an
// incident without one), else where the analysis stands and a link to it.
import Link from "next/link";
import { Section } from "@/components/ui/section";
import type { Actor } from "@/lib/audit/log";
import { can } from "@/lib/auth/roles";
import { MARK_LABELS, MARKS } from "@/lib/rca/content";
import type { IncidentRca } from "@/lib/rca/queries";
import { GenerateRcaButton } from "./generate-rca-button";

export function RcaEntry({
  user,
  incident,
  rca,
  rollbackRunning,
}: {
  user: Actor;
  incident: { id: string; number: number };
  /** The incident's RCA at its current version (getIncidentRca), or null. */
  rca: IncidentRca | null;
  rollbackRunning: boolean;
}) {
  const href = `/incidents/${incident.number}/rca`;
  const marks = rca
    ? MARKS.flatMap((m) =>
        rca.version.content.marks[m] ? [`${MARK_LABELS[m].replace(" by", "")} by ${rca.version.content.marks[m]?.by}`] : [],
      )
    : [];
  return (
    <Section id="rca" title="Root-cause analysis">
      <div className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-line bg-surface p-4 text-sm">
        {rca ? (
          <>
            <p>
              Version {rca.document.currentVersion}
              {marks.length > 0 ? ` · ${marks.join(" · ")}` : " · not marked completed yet"}
            </p>
            <Link href={href} className="font-medium text-accent underline-offset-2 hover:underline">
              Open the root-cause analysis
            </Link>
          </>
        ) : rollbackRunning ? (
          <p className="text-muted">The analysis can be generated once the rollback has ended.</p>
        ) : can(user.role, "rca:edit") ? (
          <>
            <p className="text-muted">Drafted from the timeline, the impact and the metrics; you complete the rest.</p>
            <GenerateRcaButton incidentId={incident.id} incidentNumber={incident.number} exists={false} />
          </>
        ) : (
          <p className="text-muted">No root-cause analysis yet.</p>
        )}
      </div>
    </Section>
  );
}
