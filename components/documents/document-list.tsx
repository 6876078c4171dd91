// An incident's documents, each with its versions: read or download any version, compare two.
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { documentHref, KIND_LABELS, markdownHref } from "@/lib/documents/links";
import type { IncidentDocument } from "@/lib/documents/queries";
import { CompareForm } from "./compare-form";

const LINK = "text-accent underline-offset-2 hover:underline";

function DocumentCard({ incidentNumber, doc }: { incidentNumber: number; doc: IncidentDocument }) {
  const numbers = doc.versions.map((v) => v.version);
  const kind = KIND_LABELS[doc.kind];
  return (
    <article id={`document-${doc.id}`} aria-label={doc.title} className="scroll-mt-4">
      <Card
        title={
          <span className="flex flex-wrap items-center gap-2">
            <Link href={documentHref(incidentNumber, doc.id)} className="hover:underline">
              {doc.title}
            </Link>
            {!doc.title.startsWith(kind) && <Badge>{kind}</Badge>}
          </span>
        }
        actions={
          <span className="flex shrink-0 gap-3 text-sm">
            <Link href={documentHref(incidentNumber, doc.id)} className={LINK}>
              Read
            </Link>
            <a href={markdownHref(doc.id)} className={LINK} download>
              Markdown
            </a>
          </span>
        }
      >
        <div className="space-y-4">
          <div className="overflow-x-auto">
            <table className="w-full table-fixed text-left text-sm">
              <caption className="sr-only">Versions of {doc.title}</caption>
              <thead className="text-xs text-muted">
                <tr>
                  <th className="w-28 py-1 pr-3 font-medium">Version</th>
                  <th className="w-2/5 py-1 pr-3 font-medium">Written</th>
                  <th className="py-1 pr-3 font-medium">By</th>
                  <th className="w-36 py-1 font-medium">
                    <span className="sr-only">Links</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-line">
                {doc.versions.map((v) => (
                  <tr key={v.version}>
                    <td className="py-1.5 pr-3 tabular-nums">
                      {v.version}
                      {v.version === doc.currentVersion && (
                        <Badge tone="info" className="ml-2">
                          current
                        </Badge>
                      )}
                    </td>
                    <td className="py-1.5 pr-3">
                      <LocalTime iso={v.createdAt.toISOString()} />
                    </td>
                    <td className="py-1.5 pr-3">{v.createdBy?.name ?? <span className="text-muted">Backout</span>}</td>
                    <td className="py-1.5 text-right whitespace-nowrap">
                      <Link
                        href={documentHref(incidentNumber, doc.id, v.version)}
                        className={LINK}
                        aria-label={`Read version ${v.version}`}
                      >
                        Read
                      </Link>
                      <span className="text-muted"> · </span>
                      <a href={markdownHref(doc.id, v.version)} className={LINK} download aria-label={`Download version ${v.version}`}>
                        Markdown
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {numbers.length > 1 && (
            <CompareForm incidentNumber={incidentNumber} documentId={doc.id} versions={numbers} from={numbers[1]} to={numbers[0]} />
          )}
        </div>
      </Card>
    </article>
  );
}

export function DocumentList({ incidentNumber, documents }: { incidentNumber: number; documents: IncidentDocument[] }) {
  if (documents.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-line px-4 py-4 text-sm text-muted">
        No documents yet. A rollback summary is written when a rollback run ends, and the verification report when the checklist is signed
        off or rendered.
      </p>
    );
  }
  return (
    <div className="space-y-4">
      {documents.map((d) => (
        <DocumentCard key={d.id} incidentNumber={incidentNumber} doc={d} />
      ))}
    </div>
  );
}
