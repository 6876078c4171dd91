import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RollbackSummary } from "@/components/rollback/rollback-summary";
import { DocumentHeader } from "@/components/ui/document-header";
import { requireUser } from "@/lib/auth/session";
import { getIncidentByNumber } from "@/lib/incidents/queries";
import { getRollbackSummary } from "@/lib/rollback/queries";

type Params = { params: Promise<{ number: string; documentId: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { number } = await params;
  return { title: `Rollback summary · INC-${number}` };
}

/** A rollback summary on its own, for reading and printing. */
export default async function RollbackSummaryPage({ params }: Params) {
  await requireUser();
  const { number, documentId } = await params;
  const incident = /^\d{1,9}$/.test(number) ? await getIncidentByNumber(Number(number)) : null;
  const doc = incident ? await getRollbackSummary(incident.id, documentId) : null;
  if (!incident || !doc) notFound();
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <DocumentHeader
        incidentNumber={number}
        markdownHref={`/api/documents/${doc.id}/markdown`}
        context={`INC-${doc.content.incident.number} · ${doc.content.incident.title} · ${doc.content.incident.service}`}
      />
      <div className="rounded-lg border border-line bg-surface p-4 sm:p-6 print:border-0 print:p-0">
        <RollbackSummary doc={doc} />
      </div>
    </div>
  );
}
