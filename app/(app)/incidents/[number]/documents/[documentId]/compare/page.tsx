import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CompareForm } from "@/components/documents/compare-form";
import { VersionCompare } from "@/components/documents/version-compare";
import { can } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { compareVersions } from "@/lib/documents/compare";
import { documentHref, documentsHref, KIND_LABELS, parseVersionParam } from "@/lib/documents/links";
import { getIncidentDocumentVersion } from "@/lib/documents/queries";
import { getIncidentByNumber } from "@/lib/incidents/queries";

type Props = {
  params: Promise<{ number: string; documentId: string }>;
  searchParams: Promise<{ from?: string | string[]; to?: string | string[] }>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Compare versions · INC-${(await params).number}` };
}

/** Two versions of one document compared (?from=A&to=B). */
export default async function CompareVersionsPage({ params, searchParams }: Props) {
  const user = await requireUser();
  if (!can(user.role, "incident:read")) notFound();
  const { number, documentId } = await params;
  const query = await searchParams;
  const from = parseVersionParam(query.from);
  const to = parseVersionParam(query.to);
  const incident = /^\d{1,9}$/.test(number) ? await getIncidentByNumber(Number(number)) : null;
  if (!incident || !from || !to) notFound();
  const [before, after] = await Promise.all([
    getIncidentDocumentVersion(incident.id, documentId, from),
    getIncidentDocumentVersion(incident.id, documentId, to),
  ]);
  if (!before || !after) notFound();
  const doc = after.document;
  const versions = Array.from({ length: doc.currentVersion }, (_, i) => doc.currentVersion - i);
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <div>
        <div className="flex flex-wrap items-center gap-3 text-sm">
          <Link href={`/incidents/${doc.incident.number}`} className="text-muted hover:text-fg">
            ← INC-{doc.incident.number}
          </Link>
          <Link href={`${documentsHref(doc.incident.number)}#document-${doc.id}`} className="text-muted hover:text-fg">
            All documents
          </Link>
        </div>
        <h1 className="mt-1 text-2xl font-semibold">Compare versions</h1>
        <p className="mt-1 text-sm text-muted">
          {KIND_LABELS[doc.kind]} ·{" "}
          <Link href={documentHref(doc.incident.number, doc.id)} className="text-accent underline-offset-2 hover:underline">
            {doc.title}
          </Link>
        </p>
      </div>
      <CompareForm incidentNumber={doc.incident.number} documentId={doc.id} versions={versions} from={from} to={to} />
      <VersionCompare comparison={compareVersions(before.version, after.version)} from={from} to={to} />
    </div>
  );
}
