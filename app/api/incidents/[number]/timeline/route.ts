// GET /api/incidents/:number/timeline?cursor=…&order=oldest|newest&kinds=…&starred=1&limit=N — the
// next page of an incident's timeline after `cursor` (the timeline panel's "Show more").
import { readableIncidentOrResponse } from "@/lib/incidents/access";
import { getTimelinePage } from "@/lib/timeline/queries";
import { parseTimelineQuery } from "@/lib/timeline/schemas";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ number: string }> }) {
  const access = await readableIncidentOrResponse((await params).number);
  if (!access.ok) return access.response;
  const search = new URL(request.url).searchParams;
  const limit = search.get("limit");
  if (limit !== null && !/^[1-9]\d{0,3}$/.test(limit)) {
    return Response.json({ error: "limit must be a whole number from 1 to 1000." }, { status: 400 });
  }
  const query = parseTimelineQuery({ kinds: search.get("kinds"), starred: search.get("starred"), order: search.get("order") });
  const page = await getTimelinePage(access.incident.id, Number((await params).number), query, {
    cursor: search.get("cursor"),
    limit: limit ? Number(limit) : undefined,
  });
  return Response.json(page, { headers: { "cache-control": "no-store" } });
}
