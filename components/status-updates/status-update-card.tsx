// The stakeholder update at the top of an incident, for everyone: where things stand, the impact so
// far, what is being done, when the next update is due. Responders also see when the promised next
// update is overdue, and post the next one here. `people: false` (a share link that hides who is
// who) leaves the author's name out.
import { LocalTime } from "@/components/ui/local-time";
import type { LatestStatusUpdate } from "@/lib/status-updates/queries";
import { OverdueFlag } from "./overdue-flag";
import { PostUpdateForm } from "./post-update-form";

export function StatusUpdateCard({
  incidentId,
  latest,
  overdueMs,
  resolved = false,
  canPost,
  people = true,
}: {
  incidentId?: string;
  latest: LatestStatusUpdate | null;
  /** How late the promised next update is (only passed to those who owe it). */
  overdueMs?: number | null;
  resolved?: boolean;
  canPost: boolean;
  people?: boolean;
}) {
  return (
    <section id="status-update" aria-labelledby="status-update-h" className="scroll-mt-4 rounded-lg border border-line bg-surface">
      <header className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-0.5 border-b border-line px-4 py-2.5">
        <h2 id="status-update-h" className="text-sm font-semibold tracking-wide">
          Status update{latest ? ` #${latest.sequence}` : ""}
        </h2>
        {latest && (
          <p className="text-xs text-muted">
            Posted <LocalTime iso={latest.postedAt.toISOString()} />
            {people && latest.author ? ` by ${latest.author.name}` : ""}
          </p>
        )}
      </header>
      <div className="space-y-3 px-4 py-3">
        {canPost && latest?.nextUpdateAt && (
          // Keyed: a new update (or the incident resolved) starts the judging afresh from the server's word.
          <OverdueFlag
            key={`${latest.id}-${resolved}`}
            dueIso={latest.nextUpdateAt.toISOString()}
            overdueMs={overdueMs ?? null}
            resolved={resolved}
          />
        )}
        {latest ? (
          <>
            <p className="text-base font-medium whitespace-pre-wrap">{latest.status}</p>
            <dl className="grid gap-3 text-sm sm:grid-cols-2">
              <div>
                <dt className="text-xs uppercase tracking-wide text-muted">Impact so far</dt>
                <dd className="mt-0.5 whitespace-pre-wrap">{latest.impact}</dd>
              </div>
              <div>
                <dt className="text-xs uppercase tracking-wide text-muted">What is being done</dt>
                <dd className="mt-0.5 whitespace-pre-wrap">{latest.actions}</dd>
              </div>
            </dl>
            <p className="text-xs text-muted">
              {latest.nextUpdateAt ? (
                <>
                  Next update by <LocalTime iso={latest.nextUpdateAt.toISOString()} />
                </>
              ) : (
                "No further update planned."
              )}
            </p>
          </>
        ) : (
          <p className="text-sm text-muted">No status update has been posted yet.</p>
        )}
        {canPost && incidentId && (
          <PostUpdateForm
            incidentId={incidentId}
            after={latest?.sequence ?? 0}
            previous={latest ? { status: latest.status, impact: latest.impact, actions: latest.actions } : null}
          />
        )}
      </div>
    </section>
  );
}
