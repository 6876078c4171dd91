"use client";

import { useAction } from "next-safe-action/hooks";
import { useAmberSteps } from "@/components/readiness/readiness-provider";
import { Badge } from "@/components/ui/badge";
import type { RollbackStrategy } from "@/generated/prisma/enums";
import { changePlanAction } from "@/lib/decision/actions";
import type { PlanStep } from "@/lib/rollback/plans";

export function PlanSteps({
  decisionId,
  plan,
  canChange,
  strategy,
  runbookId,
}: {
  decisionId: string;
  plan: PlanStep[];
  canChange: boolean;
  strategy: RollbackStrategy;
  runbookId: string | null;
}) {
  const change = useAction(changePlanAction);
  // Steps a readiness check says would fail now (components/readiness).
  const amber = useAmberSteps(strategy, runbookId);
  return (
    <div>
      <ol className="space-y-1.5" aria-label="Rollback plan">
        {plan.map((s, i) => (
          <li
            key={s.key}
            className={`flex items-baseline gap-2 text-sm ${amber.has(s.key) ? "rounded bg-warn-soft text-warn" : ""}`}
            data-readiness={amber.has(s.key) ? "failing" : undefined}
          >
            <span className="w-5 shrink-0 text-right font-mono text-xs text-muted">{i + 1}.</span>
            <span className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-0.5">
              <span>{s.name}</span>
              <span className="font-mono text-xs text-muted">{s.executor.toLowerCase().replace("_", "-")}</span>
              {s.destructive && <Badge tone="danger">destructive</Badge>}
              {s.changesTraffic && <Badge tone="info">changes traffic</Badge>}
              {amber.has(s.key) && <Badge tone="warn">readiness check fails</Badge>}
              {canChange && s.optional && (
                <button
                  type="button"
                  className="text-xs text-muted underline hover:text-fg"
                  disabled={change.isPending}
                  onClick={() => change.execute({ decisionId, removeStepKey: s.key })}
                >
                  Leave out
                  <span className="sr-only"> “{s.name}”</span>
                </button>
              )}
            </span>
          </li>
        ))}
      </ol>
      {change.result.serverError && (
        <p role="alert" className="mt-2 text-sm text-danger">
          {change.result.serverError}
        </p>
      )}
    </div>
  );
}
