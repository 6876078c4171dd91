import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { RollbackSummary } from "@/components/rollback/rollback-summary";
import { PrintButton } from "@/components/ui/print-button";
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
      <div className="flex flex-wrap items-center justify-between gap-2 print:hidden">
        <Link href={`/incidents/${number}`} className="text-sm text-muted hover:text-fg">
          ← INC-{number}
        </Link>
        <div className="flex items-center gap-3">
          <a className="text-sm text-accent underline-offset-2 hover:underline" href={`/api/documents/${doc.id}/markdown`} download>
            Download Markdown
          </a>
          <PrintButton />
        </div>
      </div>
      <p className="text-sm text-muted">
        INC-{doc.content.incident.number} · {doc.content.incident.title} · {doc.content.incident.service}
      </p>
      <div className="rounded-lg border border-line bg-surface p-6 print:border-0 print:p-0">
        <RollbackSummary doc={doc} />
      </div>
    </div>
  );
}
