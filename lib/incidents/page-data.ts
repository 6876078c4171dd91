// What the incident page reads for each render, in one place: the page calls it, and so does the
// server's start-up warm-up (./warm.ts), which therefore reads exactly what the first page will.
import "server-only";
import { getChecklistView, getFinishedRun } from "@/lib/checklist/queries";
import { getDecisions } from "@/lib/decision/queries";
import { getIncidentOrThrow } from "@/lib/incidents/queries";
import { getResolveRequirement } from "@/lib/incidents/resolve";
import { getLatestRun, getRollbackSummaries } from "@/lib/rollback/queries";
import { listActiveRunbooks } from "@/lib/runbooks/queries";
import { listShareLinks } from "@/lib/share-links/queries";
import { getLatestStatusUpdate } from "@/lib/status-updates/queries";
import { readTimelineView } from "@/lib/timeline/view";

export async function loadIncidentPageData(
  ref: { id: string; number: number; serviceId: string },
  options: {
    searchParams: Record<string, string | string[] | undefined>;
    /** The viewer's remembered timeline order (a cookie), null for the default. */
    timelineOrder: string | null;
    /** Only for people who may share the incident. */
    withShareLinks: boolean;
  },
) {
  const [incident, timeline, decisions, run, summaries, checklist, finishedRun, resolveRequirement, latestUpdate, runbooks, links] =
    await Promise.all([
      getIncidentOrThrow(ref.id),
      readTimelineView(ref.id, ref.number, options.searchParams, options.timelineOrder),
      getDecisions(ref.id),
      getLatestRun(ref.id),
      getRollbackSummaries(ref.id),
      getChecklistView(ref.id),
      getFinishedRun(ref.id),
      getResolveRequirement(ref.id),
      getLatestStatusUpdate(ref.id),
      listActiveRunbooks(ref.serviceId),
      options.withShareLinks ? listShareLinks(ref.id) : null,
    ]);
  return { incident, timeline, decisions, run, summaries, checklist, finishedRun, resolveRequirement, latestUpdate, runbooks, links };
}
