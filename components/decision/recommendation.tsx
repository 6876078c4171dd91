"use client";

// The decision framework, re-evaluated on every evidence poll: the recommended tier with its
// clock, and every criterion with the value that met it. Responders tick the criteria that the metrics cannot see.
import { useAction } from "next-safe-action/hooks";
import { useEffect, useState } from "react";
import { useEvidence } from "@/components/incidents/evidence-provider";
import { Badge, type Tone } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import type { DecisionTier } from "@/generated/prisma/enums";
import { setManualCriterionAction } from "@/lib/decision/actions";
import { TIER_DEADLINE_MINUTES, TIER_ORDER } from "@/lib/decision/tiers";
import { formatDuration } from "@/lib/metrics/format";

export const TIER_TONE: Record<DecisionTier, Tone> = { IMMEDIATE: "danger", FAST: "danger", PLANNED: "warn", MONITOR: "ok" };
export const TIER_HINT: Record<DecisionTier, string> = {
  IMMEDIATE: "act within 5 min",
  FAST: "act within 30 min",
  PLANNED: "act within 2 h",
  MONITOR: "keep watching",
};

export function useNow(): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}

/** "12m 03s left" or "overdue by 3m 10s", from detection and the tier's deadline. */
export function TierClock({ tier, detectedAt, doneAt }: { tier: DecisionTier; detectedAt: string; doneAt?: string | null }) {
  const now = useNow();
  const minutes = TIER_DEADLINE_MINUTES[tier];
  if (minutes === null) return <span className="text-muted">no deadline</span>;
  const deadline = Date.parse(detectedAt) + minutes * 60_000;
  const at = doneAt ? Date.parse(doneAt) : now;
  if (at === null) return <span>…</span>;
  const left = deadline - at;
  if (doneAt)
    return (
      <span className={left < 0 ? "text-danger" : "text-ok"}>
        {left < 0 ? `${formatDuration(-left)} after the deadline` : `${formatDuration(left)} before the deadline`}
      </span>
    );
  return (
    <span className={cn("font-semibold tabular-nums", left < 0 ? "text-danger" : "")} data-testid="tier-clock">
      {left < 0 ? `overdue by ${formatDuration(-left)}` : `${formatDuration(left)} left`}
    </span>
  );
}

export function Recommendation({ incidentId, detectedAt, canTick }: { incidentId: string; detectedAt: string; canTick: boolean }) {
  const { evidence } = useEvidence();
  const evaluation = evidence?.evaluation;
  const tick = useAction(setManualCriterionAction);
  const [noteFor, setNoteFor] = useState<string | null>(null);

  if (!evidence) return <p className="text-sm text-muted">Evaluating the decision framework…</p>;
  if (!evaluation) return <p className="text-sm text-danger">The framework cannot evaluate without metrics: {evidence.error}</p>;

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <span className="text-sm text-muted">Framework recommends</span>
        <Badge tone={TIER_TONE[evaluation.recommendedTier]} className="text-sm">
          <span data-testid="recommended-tier">{evaluation.recommendedTier}</span>
        </Badge>
        <span className="text-sm text-muted">{TIER_HINT[evaluation.recommendedTier]}</span>
        <span className="text-sm">
          <TierClock tier={evaluation.recommendedTier} detectedAt={detectedAt} />
        </span>
      </div>
      {tick.result.serverError && (
        <p role="alert" className="text-sm text-danger">
          {tick.result.serverError}
        </p>
      )}
      <div className="grid gap-3 md:grid-cols-3">
        {TIER_ORDER.filter((t) => t !== "MONITOR").map((tier) => (
          <div key={tier} className="rounded-md border border-line p-2">
            <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-muted">{tier}</p>
            <ul className="space-y-1.5" aria-label={`${tier} criteria`}>
              {evaluation.criteria
                .filter((c) => c.tier === tier)
                .map((c) => (
                  <li key={c.id} className={cn("rounded px-1.5 py-1 text-sm", c.met && "bg-danger-soft")}>
                    {c.kind === "manual" ? (
                      <label className="flex items-start gap-2">
                        <input
                          type="checkbox"
                          className="mt-1"
                          checked={c.met}
                          disabled={!canTick || tick.isPending}
                          onChange={(e) =>
                            e.target.checked ? setNoteFor(c.id) : tick.execute({ incidentId, criterionId: c.id, checked: false, note: "" })
                          }
                        />
                        <span>
                          {c.label}
                          <span className="block text-xs text-muted">{c.detail}</span>
                        </span>
                      </label>
                    ) : (
                      <span className="flex items-start gap-2">
                        <span aria-hidden className={cn("mt-0.5 text-xs", c.met ? "text-danger" : c.evaluable ? "text-ok" : "text-muted")}>
                          {c.met ? "●" : c.evaluable ? "○" : "?"}
                        </span>
                        <span>
                          {c.label}
                          <span className="sr-only">{c.met ? " (met)" : c.evaluable ? " (not met)" : " (cannot tell)"}</span>
                          <span className="block text-xs text-muted">{c.detail}</span>
                        </span>
                      </span>
                    )}
                    {noteFor === c.id && (
                      <form
                        className="mt-1 flex gap-1"
                        onSubmit={(e) => {
                          e.preventDefault();
                          tick.execute({
                            incidentId,
                            criterionId: c.id,
                            checked: true,
                            note: String(new FormData(e.currentTarget).get("note") ?? ""),
                          });
                          setNoteFor(null);
                        }}
                      >
                        <label htmlFor={`note-${c.id}`} className="sr-only">
                          What did you see?
                        </label>
                        <input
                          id={`note-${c.id}`}
                          name="note"
                          required
                          placeholder="What did you see?"
                          className="min-w-0 flex-1 rounded border border-line bg-surface px-2 py-1 text-xs"
                        />
                        <button type="submit" className="rounded bg-fg px-2 text-xs text-canvas">
                          Tick
                        </button>
                      </form>
                    )}
                  </li>
                ))}
            </ul>
          </div>
        ))}
      </div>
    </div>
  );
}
