"use client";

import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { useEvidence } from "@/components/incidents/evidence-provider";
import { ReadinessWarning } from "@/components/readiness/readiness-warning";
import { Button } from "@/components/ui/button";
import { Field, FormAlert, INPUT_CLASS } from "@/components/ui/field";
import type { DecisionTier, RollbackStrategy } from "@/generated/prisma/enums";
import { proposeDecisionAction } from "@/lib/decision/actions";
import { draftReason } from "@/lib/decision/draft-reason";
import { TIER_ORDER } from "@/lib/decision/tiers";
import { STRATEGIES, STRATEGY_LABELS } from "@/lib/rollback/plans";
import { TIER_HINT } from "./recommendation";

export type RunbookChoice = { id: string; name: string; strategy: RollbackStrategy; currentVersion: number };

/** Where the plan's steps will come from, in words. */
function planSource(strategy: RollbackStrategy, runbooks: RunbookChoice[]): string {
  if (runbooks.length === 1) return `Steps from the runbook “${runbooks[0].name}” (version ${runbooks[0].currentVersion}).`;
  if (runbooks.length > 1) return "This service has several runbooks for this strategy: choose one.";
  if (strategy === "CUSTOM") return "This service has no custom runbook: an admin configures one on the service page.";
  return "No runbook for this strategy yet: the plan uses the strategy's template, whose steps say what they still need.";
}

/** Tiers whose clock is short enough that the proposal asks, by default, for the rollback to start on approval. */
const URGENT: readonly DecisionTier[] = ["IMMEDIATE", "FAST"];

export function ProposeForm({
  incidentId,
  supersedes,
  runbooks,
  versions,
}: {
  incidentId: string;
  supersedes: boolean;
  runbooks: RunbookChoice[];
  versions: { bad: string; previous: string };
}) {
  const { evidence } = useEvidence();
  // Drafted once, from the evidence on screen when the form appears: the 5 s refresh never rewrites what the proposer edits.
  const [draft] = useState(() => draftReason(evidence, versions));
  const [startOnApproval, setStartOnApproval] = useState<boolean | null>(null);
  const [tier, setTier] = useState<DecisionTier | "">("");
  const [strategy, setStrategy] = useState<RollbackStrategy>("BLUE_GREEN");
  const choices = runbooks.filter((r) => r.strategy === strategy);
  const { execute, result, isPending } = useAction(proposeDecisionAction);
  const errors = (result.validationErrors?.fieldErrors ?? {}) as Partial<Record<string, string[]>>;
  const recommended = evidence?.evaluation?.recommendedTier;
  const chosenTier = tier || recommended || "FAST";
  const starts = startOnApproval ?? URGENT.includes(chosenTier);

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
          strategy,
          runbookId: choices.length > 1 ? String(f.get("runbookId")) : choices[0]?.id,
          reason: String(f.get("reason") ?? ""),
          startOnApproval: starts,
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
        <Field
          id="strategy"
          label="Strategy"
          error={errors.strategy?.[0]}
          hint={choices.length > 1 ? undefined : planSource(strategy, choices)}
        >
          <select
            id="strategy"
            name="strategy"
            value={strategy}
            onChange={(e) => setStrategy(e.target.value as RollbackStrategy)}
            className={INPUT_CLASS}
          >
            {STRATEGIES.map((s) => (
              <option key={s} value={s}>
                {STRATEGY_LABELS[s]}
              </option>
            ))}
          </select>
        </Field>
        {choices.length > 1 && (
          <Field id="runbookId" label="Runbook" hint={planSource(strategy, choices)}>
            <select id="runbookId" name="runbookId" className={INPUT_CLASS}>
              {choices.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name} (version {r.currentVersion})
                </option>
              ))}
            </select>
          </Field>
        )}
      </div>
      <Field
        id="reason"
        label="Reason"
        error={errors.reason?.[0]}
        hint={
          draft
            ? "Drafted from the verdicts and the framework's criteria above: edit it. The approver reads this."
            : "What the evidence shows and why this strategy. The approver reads this."
        }
      >
        <textarea
          id="reason"
          name="reason"
          rows={4}
          defaultValue={draft}
          className={INPUT_CLASS}
          aria-invalid={errors.reason ? true : undefined}
        />
      </Field>
      <label className="flex items-start gap-2 text-sm">
        <input
          type="checkbox"
          name="startOnApproval"
          checked={starts}
          onChange={(e) => setStartOnApproval(e.target.checked)}
          className="mt-1"
        />
        <span>
          Start the rollback as soon as it is approved
          <span className="block text-xs text-muted">
            The approver can then approve and start in one step: the steps run until the first destructive one, which keeps its own typed
            confirmation.
          </span>
        </span>
      </label>
      <ReadinessWarning strategy={strategy} runbookId={choices.length === 1 ? choices[0].id : null} />
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
