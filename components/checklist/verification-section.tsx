// The Verification section of the control room: start verification once the rollback has
// finished, then the live checklist with its sign-offs and report.
import { LocalTime } from "@/components/ui/local-time";
import { Section, SectionPlaceholder } from "@/components/ui/section";
import type { Actor } from "@/lib/audit/log";
import { can } from "@/lib/auth/roles";
import { signOffRolesFor } from "@/lib/checklist/rules";
import type { ChecklistView } from "@/lib/checklist/view";
import { StartVerificationButton } from "./checklist-controls";
import { ChecklistPanel } from "./checklist-panel";

export function VerificationSection({
  user,
  incident,
  checklist,
  finishedRun,
}: {
  user: Actor;
  incident: { id: string; number: number; status: string };
  checklist: ChecklistView | null;
  finishedRun: { endedAt: Date | null } | null;
}) {
  const canEdit = can(user.role, "checklist:edit");
  const resolved = incident.status === "RESOLVED";
  if (!checklist && !finishedRun) {
    return (
      <Section id="verification" title="Verification">
        <SectionPlaceholder>
          {resolved
            ? "No verification: no rollback finished for this incident."
            : "When the rollback has finished, the team checks the service here (a checklist whose metric checks tick themselves), and three people sign off."}
        </SectionPlaceholder>
      </Section>
    );
  }
  return (
    <Section id="verification" title="Verification">
      {!checklist && finishedRun && (
        <div className="space-y-3 rounded-lg border border-line bg-surface p-4">
          <p className="text-sm">
            The rollback finished
            {finishedRun.endedAt && (
              <>
                {" "}
                at <LocalTime iso={finishedRun.endedAt.toISOString()} />
              </>
            )}
            . Verify it together: the checklist covers system health (metric checks tick themselves), critical features, the database, user
            impact and, 24 hours later, stability; then three people sign off.
          </p>
          {resolved ? (
            <p className="text-sm text-muted">The incident is resolved.</p>
          ) : canEdit ? (
            <StartVerificationButton incidentId={incident.id} />
          ) : (
            <p className="text-sm text-muted">A responder starts it.</p>
          )}
        </div>
      )}
      {checklist && (
        <ChecklistPanel
          initial={checklist}
          incidentNumber={incident.number}
          user={{ id: user.id, name: user.name }}
          resolved={resolved}
          permissions={{ canEdit, canUnlock: can(user.role, "checklist:unlock"), signOffRoles: signOffRolesFor(user.role) }}
        />
      )}
    </Section>
  );
}
