import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { IncidentActionItems } from "@/components/action-items/incident-action-items";
import { DocumentHeader } from "@/components/documents/document-header";
import { GenerateRcaButton } from "@/components/rca/generate-rca-button";
import { RcaView } from "@/components/rca/rca-view";
import { loadIncidentActionItems } from "@/lib/action-items/queries";
import { can } from "@/lib/auth/roles";
import { compareHref, documentsHref, parseVersionParam } from "@/lib/documents/links";
import { requireReadableIncident } from "@/lib/incidents/access";
import { getIncidentRca } from "@/lib/rca/queries";

type Props = { params: Promise<{ number: string }>; searchParams: Promise<{ version?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `RCA · INC-${(await params).number}` };
}

/** The incident's root-cause analysis: read by everyone, written by responders and release managers. */
export default async function RcaPage({ params, searchParams }: Props) {
  const numberParam = (await params).number;
  const { user, incident: ref } = await requireReadableIncident(numberParam);
  // requireReadableIncident accepted the number: it is the incident's.
  const incident = { id: ref.id, number: Number(numberParam) };
  const version = parseVersionParam((await searchParams).version);
  if (version === null) notFound();
  const [rca, actionItems] = await Promise.all([
    getIncidentRca(incident.id, version),
    loadIncidentActionItems(incident.id, can(user.role, "action_item:edit")),
  ]);
  const mayEdit = can(user.role, "rca:edit");
  if (!rca) {
    if (version) notFound();
    return (
      <div className="mx-auto max-w-3xl space-y-4">
        <Link href={`/incidents/${incident.number}`} className="text-sm text-muted hover:text-fg">
          ← INC-{incident.number}
        </Link>
        <h1 className="text-2xl font-semibold">Root-cause analysis</h1>
        <p className="text-sm text-muted">INC-{incident.number} has no root-cause analysis yet.</p>
        {mayEdit && <GenerateRcaButton incidentId={incident.id} incidentNumber={incident.number} exists={false} />}
        <IncidentActionItems incident={incident} data={actionItems} />
      </div>
    );
  }
  const { document: doc } = rca;
  const shown = rca.version.version;
  const isCurrent = shown === doc.currentVersion;
  return (
    <div className="mx-auto max-w-4xl space-y-4">
      <DocumentHeader
        incidentNumber={incident.number}
        documentId={doc.id}
        version={shown}
        currentVersion={doc.currentVersion}
        context={`INC-${incident.number} · ${rca.version.content.generated.incident.title} · version written by ${rca.version.createdBy?.name ?? "Backout"}`}
      />
      <div className="flex flex-wrap items-center gap-3 text-sm print:hidden">
        {mayEdit && isCurrent && <GenerateRcaButton incidentId={incident.id} incidentNumber={incident.number} exists />}
        {doc.currentVersion > 1 && (
          <Link
            className="text-accent underline-offset-2 hover:underline"
            href={compareHref(incident.number, doc.id, Math.max(1, shown - 1), shown === 1 ? 2 : shown)}
          >
            Compare with the previous version
          </Link>
        )}
        <Link className="text-accent underline-offset-2 hover:underline" href={`${documentsHref(incident.number)}#document-${doc.id}`}>
          All {doc.currentVersion} versions
        </Link>
      </div>
      <RcaView
        documentId={doc.id}
        version={shown}
        content={rca.version.content}
        can={{
          edit: mayEdit && isCurrent,
          marks: {
            completed: isCurrent && can(user.role, "rca:edit"),
            reviewed: isCurrent && can(user.role, "rca:review"),
            approved: isCurrent && can(user.role, "rca:approve"),
          },
        }}
      />
      {/* Where action items come from: made here, they are the incident's (and the next generation lists them). */}
      <div className="print:hidden">
        <IncidentActionItems incident={incident} data={actionItems} />
      </div>
    </div>
  );
}
