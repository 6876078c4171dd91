// The readiness checks frozen into a decision (EvidenceSnapshot.readiness, immutable like the rest
// of the snapshot: a trigger refuses any UPDATE). They are read back by preparationLog (types.ts).
import "server-only";
import type { RollbackStrategy } from "@/generated/prisma/enums";
import { now as clockNow } from "@/lib/clock";
import { errorText } from "@/lib/rollback/executors/shared";
import { STRATEGY_WORDS } from "@/lib/runbooks/rules";
import { recentReadiness } from "./store";
import { checksForPlan, type FrozenReadiness, PROPOSAL_READINESS_MAX_AGE_MS, type ReadinessCheck } from "./types";

/**
 * The service's checks (recent, else run now; bounded, before the proposal's transaction), keeping
 * those of the plan: its runbook's, or — for a template plan — a plain "not configured".
 */
export async function freezeReadiness(serviceId: string, strategy: RollbackStrategy, runbookId: string | null): Promise<FrozenReadiness> {
  let at = clockNow().toISOString();
  let checks: ReadinessCheck[];
  try {
    const recent = await recentReadiness(serviceId, PROPOSAL_READINESS_MAX_AGE_MS);
    at = recent.checkedAt ?? at;
    checks = checksForPlan(recent.checks, strategy, runbookId);
  } catch (e) {
    checks = [unchecked(strategy, runbookId, at, "fail", `the readiness checks could not run: ${errorText(e)}`)];
  }
  if (checks.length === 0) {
    checks = [
      unchecked(
        strategy,
        runbookId,
        at,
        "not_configured",
        `no ${STRATEGY_WORDS[strategy]} runbook: the plan's steps come from the template and are not configured`,
      ),
    ];
  }
  return { checkedAt: at, strategy, runbookId, checks };
}

function unchecked(
  strategy: RollbackStrategy,
  runbookId: string | null,
  at: string,
  result: ReadinessCheck["result"],
  summary: string,
): ReadinessCheck {
  return {
    id: `${runbookId ?? "service"}:runbook`,
    kind: "runbook",
    runbookId,
    runbookName: null,
    strategy,
    stepKeys: [],
    label: "Runbook",
    result,
    summary,
    numbers: {},
    checkedAt: at,
    durationMs: 0,
  };
}
