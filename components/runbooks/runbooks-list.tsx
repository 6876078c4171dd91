// The service page's runbooks: what each strategy runs for this service, active ones first.
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { LocalTime } from "@/components/ui/local-time";
import type { RollbackStrategy } from "@/generated/prisma/enums";
import { EXECUTOR_LABELS } from "@/lib/rollback/executors/configs";
import type { PlanStep } from "@/lib/rollback/plans";

type Item = {
  id: string;
  name: string;
  strategy: RollbackStrategy;
  currentVersion: number;
  archivedAt: Date | null;
  steps: PlanStep[];
  savedAt: Date;
  savedBy: string | null;
};

export function RunbooksList({
  slug,
  runbooks,
  canEdit,
  strategyLabels,
}: {
  slug: string;
  runbooks: Item[];
  canEdit: boolean;
  strategyLabels: Record<RollbackStrategy, string>;
}) {
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-muted">
          What each rollback step runs for this service. A plan is built from the runbook of the chosen strategy; responders never type
          commands or URLs.
        </p>
        {canEdit && (
          <ButtonLink href={`/services/${slug}/runbooks/new`} variant="secondary">
            + New runbook
          </ButtonLink>
        )}
      </div>
      {runbooks.length === 0 ? (
        <p className="rounded-md border border-dashed border-line px-3 py-6 text-center text-sm text-muted">
          No runbooks yet: blue-green, database-restore and feature-flag plans use their strategy's template, whose steps say what they
          still need; custom plans need a runbook.
        </p>
      ) : (
        <ul aria-label="Runbooks" className="divide-y divide-line rounded-lg border border-line">
          {runbooks.map((r) => (
            <li key={r.id} className={r.archivedAt ? "px-4 py-3 opacity-70" : "px-4 py-3"}>
              <div className="flex flex-wrap items-center gap-2">
                <Link href={`/services/${slug}/runbooks/${r.id}`} className="font-medium hover:underline">
                  {r.name}
                </Link>
                <Badge tone="info">{strategyLabels[r.strategy]}</Badge>
                <Badge>v{r.currentVersion}</Badge>
                {r.archivedAt && <Badge tone="warn">archived</Badge>}
                <span className="text-xs text-muted">
                  saved by {r.savedBy ?? "the system"}, <LocalTime iso={r.savedAt.toISOString()} />
                </span>
              </div>
              <ol className="mt-1.5 flex flex-wrap gap-x-2 gap-y-1 text-xs text-muted">
                {r.steps.map((s, i) => (
                  <li key={s.key} title={EXECUTOR_LABELS[s.executor]}>
                    {i + 1}. {s.name}
                    {s.destructive && <span className="text-danger"> (destructive)</span>}
                    {i < r.steps.length - 1 && <span aria-hidden> →</span>}
                  </li>
                ))}
              </ol>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
