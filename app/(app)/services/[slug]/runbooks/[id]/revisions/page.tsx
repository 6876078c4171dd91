import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ProposeRevisionForm } from "@/components/runbooks/propose-revision-form";
import { RevisionControls } from "@/components/runbooks/revision-controls";
import { Change } from "@/components/runbooks/version-history";
import { Badge, type Tone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { SectionPlaceholder } from "@/components/ui/section";
import type { RunbookRevisionStatus } from "@/generated/prisma/enums";
import { can } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { getRunbookWithHistory } from "@/lib/runbooks/queries";
import { getActionItemForRevision, listRunbookRevisions } from "@/lib/runbooks/revision-queries";

export const metadata: Metadata = { title: "Runbook revisions" };

type Props = {
  params: Promise<{ slug: string; id: string }>;
  searchParams: Promise<{ actionItem?: string; proposed?: string }>;
};

const STATUS: Record<RunbookRevisionStatus, [string, Tone]> = {
  DRAFT: ["draft: waiting for an admin", "warn"],
  PUBLISHED: ["published", "ok"],
  DECLINED: ["declined", "neutral"],
};

/** A runbook's revisions proposed from incidents: each draft's diff for an admin to publish or decline; the form to propose one. */
export default async function RunbookRevisionsPage({ params, searchParams }: Props) {
  const user = await requireUser();
  const { slug, id } = await params;
  const { actionItem: actionItemId, proposed } = await searchParams;
  const runbook = await getRunbookWithHistory(id);
  if (!runbook || runbook.service.slug !== slug) notFound();
  const base = `/services/${slug}/runbooks/${id}`;
  const canDecide = can(user.role, "service:configure");
  const item = actionItemId && can(user.role, "incident:update") ? await getActionItemForRevision(actionItemId) : null;
  const revisions = await listRunbookRevisions(id);
  // Step objects as they are stored (key, name, executor, config, flags): the starting point of a draft.
  const stepsJson = JSON.stringify(runbook.steps, null, 2);

  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <div>
        <Link href={base} className="text-sm text-muted hover:text-fg">
          ← {runbook.name}
        </Link>
        <h1 className="mt-1 text-2xl font-semibold">Revisions from incidents</h1>
        <p className="mt-1 text-sm text-muted">
          {runbook.service.name} · {runbook.name} · version {runbook.currentVersion}. A revision is a draft next version proposed from an
          incident's action item; {canDecide ? "you publish it as the next version or decline it." : "an admin publishes or declines it."}
        </p>
      </div>
      {proposed && (
        <p role="status" className="rounded-md bg-ok-soft px-3 py-2 text-sm text-ok">
          Proposed. An admin reviews the diff below and publishes or declines it.
        </p>
      )}

      {item && (
        <Card title={`Propose a revision from INC-${item.incident.number}`}>
          <p className="mb-3 text-sm">
            Action item: <strong>{item.title}</strong>{" "}
            <Link href={`/incidents/${item.incident.number}/record`} className="text-accent underline-offset-2 hover:underline">
              (INC-{item.incident.number})
            </Link>
          </p>
          <ProposeRevisionForm
            actionItemId={item.id}
            runbookId={runbook.id}
            baseVersion={runbook.currentVersion}
            stepsJson={stepsJson}
            backHref={`${base}/revisions`}
          />
        </Card>
      )}

      {revisions.length === 0 ? (
        <SectionPlaceholder>No revision has been proposed for this runbook.</SectionPlaceholder>
      ) : (
        <ol aria-label="Revisions" className="space-y-4">
          {revisions.map((r) => {
            const [label, tone] = STATUS[r.status];
            const stale = r.status === "DRAFT" && r.baseVersion !== runbook.currentVersion;
            return (
              <li key={r.id} aria-label={`Revision from INC-${r.incident.number}`} className="rounded-lg border border-line bg-surface p-4">
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <h2 className="font-semibold">
                    From{" "}
                    <Link href={`/incidents/${r.incident.number}`} className="underline hover:text-fg">
                      INC-{r.incident.number}
                    </Link>
                  </h2>
                  <Badge tone={tone}>{label}</Badge>
                  {r.publishedVersion && <Badge tone="info">version {r.publishedVersion}</Badge>}
                  <span className="text-muted">
                    on version {r.baseVersion}, by {r.proposedBy ?? "someone"}, <LocalTime iso={r.proposedAt.toISOString()} />
                  </span>
                </div>
                <p className="mt-2 text-sm">
                  <span className="font-medium">Lesson:</span> {r.lesson}
                </p>
                {r.actionItem && <p className="text-sm text-muted">Action item: {r.actionItem}</p>}
                {r.note && <p className="mt-1 text-sm italic">“{r.note}”</p>}
                <div className="mt-3 space-y-1.5 text-sm">
                  {r.changes.map((c) => (
                    <Change key={`${c.kind}:${c.key}`} change={c} />
                  ))}
                </div>
                {r.status === "DECLINED" && (
                  <p className="mt-3 text-sm">
                    Declined by {r.decidedBy ?? "an admin"}: {r.declineReason}
                  </p>
                )}
                {r.status === "PUBLISHED" && <p className="mt-3 text-sm text-muted">Published by {r.decidedBy ?? "an admin"}.</p>}
                {stale && (
                  <p className="mt-3 rounded-md bg-warn-soft px-3 py-2 text-sm text-warn">
                    The runbook is at version {runbook.currentVersion} now: this draft cannot be published; decline it and propose again.
                  </p>
                )}
                {r.status === "DRAFT" && canDecide && !stale && (
                  <div className="mt-3">
                    <RevisionControls revisionId={r.id} nextVersion={runbook.currentVersion + 1} />
                  </div>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}
