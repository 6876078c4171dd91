"use client";

// In the proposal form: what would fail if this plan ran now, from the latest readiness checks.
import type { RollbackStrategy } from "@/generated/prisma/enums";
import { describeCheck } from "@/lib/readiness/types";
import { useFailedChecks } from "./readiness-provider";

export function ReadinessWarning({ strategy, runbookId }: { strategy: RollbackStrategy; runbookId: string | null }) {
  const failed = useFailedChecks(strategy, runbookId);
  if (failed.length === 0) return null;
  return (
    <div role="status" aria-label="Readiness warning" className="rounded-md bg-warn-soft px-3 py-2 text-sm text-warn">
      <p className="font-medium">
        {failed.length === 1 ? "A readiness check fails" : `${failed.length} readiness checks fail`}: this plan would not go through as it
        stands.
      </p>
      <ul className="mt-1 list-disc pl-5">
        {failed.map((c) => (
          <li key={c.id}>{describeCheck(c)}</li>
        ))}
      </ul>
      <p className="mt-1">You can still propose; the approver will have to acknowledge it.</p>
    </div>
  );
}
