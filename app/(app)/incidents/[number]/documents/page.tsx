import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DocumentList } from "@/components/documents/document-list";
import { can } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { getIncidentDocuments } from "@/lib/documents/queries";

type Params = { params: Promise<{ number: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `Documents · INC-${(await params).number}` };
}

/** The incident's documents with their versions. */
export default async function DocumentsPage({ params }: Params) {
  const user = await requireUser();
  if (!can(user.role, "incident:read")) notFound();
  const { number } = await params;
  const found = /^\d{1,9}$/.test(number) ? await getIncidentDocuments(Number(number)) : null;
  if (!found) notFound();
  const { incident, documents } = found;
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <div>
        <Link href={`/incidents/${incident.number}`} className="text-sm text-muted hover:text-fg">
          ← INC-{incident.number}
        </Link>
        <h1 className="mt-1 text-2xl font-semibold">Documents</h1>
        <p className="mt-1 text-sm text-muted">
          INC-{incident.number} · {incident.title}. Every change to a document is a new version; read, download or compare any of them.
        </p>
      </div>
      <DocumentList incidentNumber={incident.number} documents={documents} />
    </div>
  );
}
