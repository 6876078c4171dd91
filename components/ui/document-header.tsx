import Link from "next/link";
import { PrintButton } from "./print-button";

/** The top of a document page (rollback summary, verification report): back to the incident, download, print. */
export function DocumentHeader({
  incidentNumber,
  markdownHref,
  context,
}: {
  incidentNumber: number | string;
  markdownHref: string;
  /** One line under the bar: which incident the document belongs to. */
  context: string;
}) {
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2 print:hidden">
        <Link href={`/incidents/${incidentNumber}`} className="text-sm text-muted hover:text-fg">
          ← INC-{incidentNumber}
        </Link>
        <div className="flex items-center gap-3">
          <a className="text-sm text-accent underline-offset-2 hover:underline" href={markdownHref} download>
            Download Markdown
          </a>
          <PrintButton />
        </div>
      </div>
      <p className="text-sm text-muted">{context}</p>
    </div>
  );
}
