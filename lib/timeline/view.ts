// Everything the timeline panel and the milestones bar of a page need, in one read: the viewer's
// filter (URL) and remembered order (cookie), the first screen, the filter counts, the milestones.
import "server-only";
import { cookies } from "next/headers";
import { TIMELINE_ORDER_COOKIE } from "./order";
import { getMilestones, getTimelineCounts, getTimelinePage } from "./queries";
import { parseTimelineQuery } from "./schemas";

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? null;

/** The viewer's remembered timeline order (newest or oldest first), from its cookie. */
export async function timelineOrderCookie(): Promise<string | null> {
  return (await cookies()).get(TIMELINE_ORDER_COOKIE)?.value ?? null;
}

/** The timeline as a viewer with this remembered order (timelineOrderCookie) and URL filter sees it. */
export async function readTimelineView(
  incidentId: string,
  incidentNumber: number,
  searchParams: Record<string, string | string[] | undefined>,
  order: string | null,
) {
  const query = parseTimelineQuery({ kinds: one(searchParams.kinds), starred: one(searchParams.starred), order });
  const [first, counts, milestones] = await Promise.all([
    getTimelinePage(incidentId, incidentNumber, query),
    getTimelineCounts(incidentId),
    getMilestones(incidentId),
  ]);
  return { query, first, counts, milestones };
}
