import { notFound, redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { documentHref } from "@/lib/documents/links";
import { findIncidentDocument } from "@/lib/documents/queries";
import { getIncidentByNumber } from "@/lib/incidents/queries";

/** The incident's verification report (linked from the Verification section): its document page. */
export default async function VerificationReportPage({ params }: { params: Promise<{ number: string }> }) {
  await requireUser();
  const { number } = await params;
  const incident = /^\d{1,9}$/.test(number) ? await getIncidentByNumber(Number(number)) : null;
  const doc = incident ? await findIncidentDocument(incident.id, "VERIFICATION_REPORT") : null;
  if (!doc) notFound();
  redirect(documentHref(number, doc.id));
}
