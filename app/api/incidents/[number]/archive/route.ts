// GET /api/incidents/:number/archive — the whole incident record as one zip (lib/postmortem/archive.ts),
// for whoever may read the incident.
import { readableIncidentOrResponse } from "@/lib/incidents/access";
import { buildIncidentArchive } from "@/lib/postmortem/archive";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ number: string }> }) {
  const { number } = await params;
  const access = await readableIncidentOrResponse(number);
  if (!access.ok) return access.response;
  const zip = await buildIncidentArchive(access.incident.id);
  return new Response(zip as Uint8Array<ArrayBuffer>, {
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="INC-${number}-record.zip"`,
      "cache-control": "no-store",
    },
  });
}
