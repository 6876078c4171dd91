// GET /api/incidents/:number/timeline/export?format=csv|md — the whole timeline as a file, in UTC
// (ISO 8601), for whoever may read the incident.

import { now } from "@/lib/clock";
import { readableIncidentOrResponse } from "@/lib/incidents/access";
import { getIncidentOrThrow } from "@/lib/incidents/queries";
import { incidentRef } from "@/lib/incidents/schemas";
import { timelineCsv, timelineMarkdown } from "@/lib/timeline/export";
import { getMilestones, getWholeTimeline } from "@/lib/timeline/queries";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ number: string }> }) {
  const access = await readableIncidentOrResponse((await params).number);
  if (!access.ok) return access.response;
  const format = new URL(request.url).searchParams.get("format");
  if (format !== "csv" && format !== "md") return Response.json({ error: "format must be csv or md." }, { status: 400 });
  const incident = await getIncidentOrThrow(access.incident.id);
  const entries = await getWholeTimeline(incident.id, incident.number);
  const name = `${incidentRef(incident.number)}-timeline`;
  if (format === "csv") {
    return new Response(timelineCsv(entries), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${name}.csv"`,
        "cache-control": "no-store",
      },
    });
  }
  const markdown = timelineMarkdown(
    { ref: incidentRef(incident.number), title: incident.title },
    entries,
    await getMilestones(incident.id),
    now(),
  );
  return new Response(markdown, {
    headers: {
      "content-type": "text/markdown; charset=utf-8",
      "content-disposition": `attachment; filename="${name}.md"`,
      "cache-control": "no-store",
    },
  });
}
