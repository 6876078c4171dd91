import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArchiveButton } from "@/components/runbooks/archive-button";
import { StepsView } from "@/components/runbooks/steps-view";
import { VersionHistory } from "@/components/runbooks/version-history";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { can } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { STRATEGY_LABELS } from "@/lib/rollback/plans";
import { describeIssue } from "@/lib/runbooks/issues";
import { getRunbookWithHistory, runbookIssues } from "@/lib/runbooks/queries";

export const metadata: Metadata = { title: "Runbook" };

type Props = { params: Promise<{ slug: string; id: string }>; searchParams: Promise<{ saved?: string }> };

export default async function RunbookPage({ params, searchParams }: Props) {
  const user = await requireUser();
  const { slug, id } = await params;
  const { saved } = await searchParams;
  const runbook = await getRunbookWithHistory(id);
  if (!runbook || runbook.service.slug !== slug) notFound();
  const canEdit = can(user.role, "service:configure");
  const issues = canEdit ? runbookIssues(runbook.strategy, runbook.steps) : [];
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <Link href={`/services/${slug}`} className="text-sm text-muted hover:text-fg">
            ← {runbook.service.name}
          </Link>
          <h1 className="mt-1 text-2xl font-semibold">{runbook.name}</h1>
          <div className="mt-1 flex flex-wrap items-center gap-2 text-sm">
            <Badge tone="info">{STRATEGY_LABELS[runbook.strategy]}</Badge>
            <Badge>version {runbook.currentVersion}</Badge>
            {runbook.archivedAt && <Badge tone="warn">archived: not used for new plans</Badge>}
            <Link href={`/services/${slug}/runbooks/${id}/revisions`} className="text-accent underline-offset-2 hover:underline">
              Revisions from incidents
            </Link>
          </div>
          {!canEdit && <p className="mt-2 text-sm text-muted">Only admins change runbooks; you are seeing this one read-only.</p>}
        </div>
        {canEdit && (
          <div className="flex items-start gap-2">
            {!runbook.archivedAt && <ButtonLink href={`/services/${slug}/runbooks/${id}/edit`}>Edit steps</ButtonLink>}
            <ArchiveButton runbookId={runbook.id} archived={runbook.archivedAt !== null} />
          </div>
        )}
      </div>
      {saved && Number(saved) === runbook.currentVersion && (
        <p role="status" className="rounded-md bg-ok-soft px-3 py-2 text-sm text-ok">
          Saved as version {saved}. New plans use it; runs already planned keep the version they were built from.
        </p>
      )}
      {issues.length > 0 && (
        <div role="status" className="rounded-md border border-warn/40 bg-warn-soft px-3 py-2 text-sm text-warn">
          <p className="font-medium">Before this runbook runs</p>
          <ul className="mt-1 list-disc space-y-0.5 pl-5">
            {issues.map((i) => (
              <li key={`${i.path}:${i.message}`}>{describeIssue(i, runbook.steps)}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="grid items-start gap-6 xl:grid-cols-[3fr_2fr]">
        <Card title={`Steps (version ${runbook.currentVersion})`}>
          <StepsView steps={runbook.steps} />
        </Card>
        <Card title="Version history">
          <VersionHistory versions={runbook.history} current={runbook.currentVersion} />
        </Card>
      </div>
    </div>
  );
}
