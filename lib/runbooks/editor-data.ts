// What the runbook editor needs from the server: each strategy's template steps to start from,
// the steps each strategy requires (to show which are there), and the strategies' names.
import "server-only";
import type { RollbackStrategy } from "@/generated/prisma/enums";
import { STRATEGIES, STRATEGY_LABELS, STRATEGY_TEMPLATES } from "@/lib/rollback/plans";
import { strategyRoles } from "./rules";

export function editorData() {
  const roles = Object.fromEntries(
    STRATEGIES.map((s) => [s, strategyRoles(s).map((r) => ({ key: r.key, name: r.name, required: r.required }))]),
  ) as Record<RollbackStrategy, { key: string; name: string; required: boolean }[]>;
  return { templates: STRATEGY_TEMPLATES, roles, strategyLabels: STRATEGY_LABELS };
}
