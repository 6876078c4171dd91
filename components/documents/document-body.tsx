// A document version rendered from its structured content by its kind's component; a kind without
// one yet is shown as its Markdown source (React escapes it: no HTML of the document's reaches the page).
import { VerificationReport } from "@/components/checklist/verification-report";
import { RcaView } from "@/components/rca/rca-view";
import { RollbackSummary } from "@/components/rollback/rollback-summary";
import type { ReportContent } from "@/lib/checklist/report";
import type { DocumentVersionRead } from "@/lib/documents/queries";
import type { RcaContent } from "@/lib/rca/content";
import type { RollbackSummaryContent } from "@/lib/rollback/summary/content";

export function DocumentBody({ read }: { read: DocumentVersionRead }) {
  const { document: doc, version } = read;
  switch (doc.kind) {
    case "ROLLBACK_SUMMARY":
      return (
        <div className="rounded-lg border border-line bg-surface p-4 sm:p-6 print:border-0 print:p-0">
          <RollbackSummary
            doc={{
              id: doc.id,
              title: doc.title,
              runId: doc.runId,
              createdAt: doc.createdAt,
              content: version.content as unknown as RollbackSummaryContent,
              markdown: version.markdown,
            }}
          />
        </div>
      );
    case "VERIFICATION_REPORT":
      return <VerificationReport content={version.content as unknown as ReportContent} version={version} />;
    case "RCA":
      // Read-only here; the RCA's own page (/incidents/N/rca) is where it is written.
      return (
        <RcaView
          documentId={doc.id}
          version={version.version}
          content={version.content as unknown as RcaContent}
          can={{ edit: false, marks: { completed: false, reviewed: false, approved: false } }}
        />
      );
    default:
      return (
        <div className="rounded-lg border border-line bg-surface p-4 sm:p-6 print:border-0 print:p-0">
          <h1 className="mb-3 text-2xl font-semibold">{doc.title}</h1>
          <pre className="font-sans text-sm whitespace-pre-wrap">{version.markdown}</pre>
        </div>
      );
  }
}

/** What the header's context line says about the incident, from the content the document recorded. */
export function documentContext(read: DocumentVersionRead): string {
  const n = read.document.incident.number;
  if (read.document.kind === "ROLLBACK_SUMMARY") {
    const c = read.version.content as unknown as RollbackSummaryContent;
    return `INC-${n} · ${c.incident.title} · ${c.incident.service}`;
  }
  if (read.document.kind === "VERIFICATION_REPORT") {
    const r = read.version.content as unknown as ReportContent;
    return `INC-${n} · ${r.incident.title} · ${r.incident.serviceName} ${r.incident.badVersion} → ${r.incident.previousVersion}`;
  }
  return `INC-${n} · ${read.document.title}`;
}
