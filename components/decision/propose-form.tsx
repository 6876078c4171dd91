"use client";

import { useRouter } from "next/navigation";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { useLive } from "@/components/incidents/live-provider";
import { Button } from "@/components/ui/button";
import { Field, FormAlert, INPUT_CLASS } from "@/components/ui/field";
import type { DecisionTier, RollbackStrategy } from "@/generated/prisma/enums";
import { proposeDecisionAction } from "@/lib/decision/actions";
import { TIER_ORDER } from "@/lib/decision/rules";
import { STRATEGIES, STRATEGY_LABELS } from "@/lib/rollback/plans";
import { TIER_HINT } from "./recommendation";

export function ProposeForm({ incidentId, supersedes }: { incidentId: string; supersedes: boolean }) {
  const router = useRouter();
  const { live } = useLive();
  const [tier, setTier] = useState<DecisionTier | "">("");
  const { execute, result, isPending } = useAction(proposeDecisionAction, { onSuccess: () => router.refresh() });
  const errors = (result.validationErrors?.fieldErrors ?? {}) as Partial<Record<string, string[]>>;
  const recommended = live?.evaluation?.recommendedTier;
  const chosenTier = tier || recommended || "FAST";

  return (
    <form
      aria-label="Propose rollback"
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        execute({
          incidentId,
          tier: chosenTier,
          strategy: String(f.get("strategy")) as RollbackStrategy,
          reason: String(f.get("reason") ?? ""),
        });
      }}
    >
      {result.serverError && <FormAlert>{result.serverError}</FormAlert>}
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id="tier" label="Urgency" error={errors.tier?.[0]}>
          <select
            id="tier"
            name="tier"
            value={chosenTier}
            onChange={(e) => setTier(e.target.value as DecisionTier)}
            className={INPUT_CLASS}
          >
            {TIER_ORDER.map((t) => (
              <option key={t} value={t}>
                {t} — {TIER_HINT[t]}
                {t === recommended ? " (recommended)" : ""}
              </option>
            ))}
          </select>
        </Field>
        <Field id="strategy" label="Strategy" error={errors.strategy?.[0]}>
          <select id="strategy" name="strategy" defaultValue="BLUE_GREEN" className={INPUT_CLASS}>
            {STRATEGIES.map((s) => (
              <option key={s} value={s}>
                {STRATEGY_LABELS[s]}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field
        id="reason"
        label="Reason"
        error={errors.reason?.[0]}
        hint="What the evidence shows and why this strategy. The approver reads this."
      >
        <textarea id="reason" name="reason" rows={3} className={INPUT_CLASS} aria-invalid={errors.reason ? true : undefined} />
      </Field>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={isPending}>
          {isPending ? "Freezing evidence…" : "Propose rollback"}
        </Button>
        <p className="text-xs text-muted">
          The evidence on this page is frozen into the decision.{supersedes ? " This replaces the current proposal and its approvals." : ""}
        </p>
      </div>
    </form>
  );
}
