// GET /api/incidents/:number/verification-report — the current verification report as Markdown.
import { getCurrentUser } from "@/lib/auth/session";
import { getVerificationReport } from "@/lib/checklist/queries";
import { getIncidentByNumber } from "@/lib/incidents/queries";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ number: string }> }) {
  const user = await getCurrentUser();
  if (!user) return new Response("Sign in again.\n", { status: 401 });
  const { number } = await params;
  const incident = /^\d{1,9}$/.test(number) ? await getIncidentByNumber(Number(number)) : null;
  const report = incident ? await getVerificationReport(incident.id) : null;
  if (!report) return new Response("No verification report for this incident yet.\n", { status: 404 });
  return new Response(report.version.markdown, {
    headers: {
      "content-type": "text/markdown; charset=utf-8",
      "content-disposition": `attachment; filename="INC-${number}-verification-report-v${report.version.version}.md"`,
      "cache-control": "no-store",
    },
  });
}
