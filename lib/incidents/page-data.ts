// What the incident page reads for each render, in one place: the page calls it, and so does the
// server's start-up warm-up (./warm.ts), which therefore reads exactly what the first page will.
// The sections take their data from here rather than reading their own: all of it is read at once,
// not section after section as each one renders.
import "server-only";
import { listServiceLessons } from "@/lib/action-items/lessons";
import { loadIncidentActionItems } from "@/lib/action-items/queries";
import { getChecklistView, getFinishedRun } from "@/lib/checklist/queries";
import { getDecisions } from "@/lib/decision/queries";
import { getIncidentOrThrow } from "@/lib/incidents/queries";
import { getResolveRequirement } from "@/lib/incidents/resolve";
import { getIncidentRca } from "@/lib/rca/queries";
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
    /** The new-action-item form's options, only for people who may edit action items. */
    withActionItemForm: boolean;
  },
) {
  return resolveAll({
    incident: getIncidentOrThrow(ref.id),
    timeline: readTimelineView(ref.id, ref.number, options.searchParams, options.timelineOrder),
    decisions: getDecisions(ref.id),
    run: getLatestRun(ref.id),
    summaries: getRollbackSummaries(ref.id),
    checklist: getChecklistView(ref.id),
    finishedRun: getFinishedRun(ref.id),
    resolveRequirement: getResolveRequirement(ref.id),
    latestUpdate: getLatestStatusUpdate(ref.id),
    runbooks: listActiveRunbooks(ref.serviceId),
    links: options.withShareLinks ? listShareLinks(ref.id) : null,
    actionItems: loadIncidentActionItems(ref.id, options.withActionItemForm),
    rca: getIncidentRca(ref.id),
    lessons: listServiceLessons(ref.id),
  });
}

/** Every promise of the object at once, each under its name. */
async function resolveAll<T extends Record<string, unknown>>(promises: T): Promise<{ [K in keyof T]: Awaited<T[K]> }> {
  const values = await Promise.all(Object.values(promises));
  return Object.fromEntries(Object.keys(promises).map((k, i) => [k, values[i]])) as { [K in keyof T]: Awaited<T[K]> };
}
