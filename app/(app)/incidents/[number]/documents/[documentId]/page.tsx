import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { DocumentBody, documentContext } from "@/components/documents/document-body";
import { DocumentHeader } from "@/components/documents/document-header";
import { can } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { KIND_LABELS, parseVersionParam } from "@/lib/documents/links";
import { getIncidentDocumentVersion } from "@/lib/documents/queries";
import { getIncidentByNumber } from "@/lib/incidents/queries";

type Props = {
  params: Promise<{ number: string; documentId: string }>;
  searchParams: Promise<{ version?: string | string[] }>;
};

async function load({ params, searchParams }: Props) {
  const user = await requireUser();
  if (!can(user.role, "incident:read")) notFound();
  const { number, documentId } = await params;
  const version = parseVersionParam((await searchParams).version);
  const incident = /^\d{1,9}$/.test(number) ? await getIncidentByNumber(Number(number)) : null;
  const read = incident && version !== null ? await getIncidentDocumentVersion(incident.id, documentId, version) : null;
  if (!read) notFound();
  return read;
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  const read = await load(props);
  return { title: `${KIND_LABELS[read.document.kind]} · INC-${read.document.incident.number}` };
}

/** One version of a document (the current one unless ?version=N), for reading and printing. */
export default async function DocumentPage(props: Props) {
  const read = await load(props);
  const width = read.document.kind === "VERIFICATION_REPORT" ? "max-w-4xl space-y-6" : "max-w-3xl space-y-4";
  return (
    <div className={`mx-auto ${width}`}>
      <DocumentHeader
        incidentNumber={read.document.incident.number}
        documentId={read.document.id}
        version={read.version.version}
        currentVersion={read.document.currentVersion}
        context={documentContext(read)}
      />
      <DocumentBody read={read} />
    </div>
  );
}
