import Link from "next/link";
import { PrintButton } from "@/components/ui/print-button";
import { documentHref, documentsHref, markdownHref, pdfHref } from "@/lib/documents/links";

/**
 * The top of every document page: back to the incident and its documents, download the version
 * shown as Markdown, print. Says which version this is, and when it is not the current one.
 */
export function DocumentHeader({
  incidentNumber,
  documentId,
  version,
  currentVersion,
  context,
}: {
  incidentNumber: number;
  documentId: string;
  /** The version shown (and downloaded). */
  version: number;
  currentVersion: number;
  /** One line under the bar: which incident the document belongs to. */
  context: string;
}) {
  const isOld = version !== currentVersion;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2 print:hidden">
        <div className="flex flex-wrap items-center gap-3 text-sm">
          <Link href={`/incidents/${incidentNumber}`} className="text-muted hover:text-fg">
            ← INC-{incidentNumber}
          </Link>
          <Link href={`${documentsHref(incidentNumber)}#document-${documentId}`} className="text-muted hover:text-fg">
            All documents
          </Link>
        </div>
        <div className="flex items-center gap-3">
          <a className="text-sm text-accent underline-offset-2 hover:underline" href={markdownHref(documentId, version)} download>
            Download Markdown
          </a>
          <a className="text-sm text-accent underline-offset-2 hover:underline" href={pdfHref(documentId, version)} download>
            Download PDF
          </a>
          <PrintButton />
        </div>
      </div>
      <p className="text-sm text-muted">
        {context}
        {currentVersion > 1 && ` · version ${version} of ${currentVersion}`}
      </p>
      {isOld && (
        <p role="status" className="rounded-md border border-warn/40 bg-warn-soft px-3 py-2 text-sm text-warn print:border-0 print:p-0">
          This is version {version}, not the current one.{" "}
          <Link href={documentHref(incidentNumber, documentId)} className="font-medium underline underline-offset-2">
            Read version {currentVersion}
          </Link>
        </p>
      )}
    </div>
  );
}
