// Rollback plans: the ordered steps a strategy runs, and the hash an approval is bound to.
// Pure. Steps come from the service's runbook for the strategy when one is configured, else
// from the template below, whose steps say plainly what they need before they can run.
import { z } from "zod";
import type { RollbackStrategy } from "@/generated/prisma/enums";
import { describeStep } from "./describe";
import { EXECUTOR_KINDS } from "./executors/configs";

export const STRATEGIES = ["BLUE_GREEN", "FEATURE_FLAG", "DATABASE_RESTORE", "CUSTOM"] as const satisfies readonly RollbackStrategy[];

export const STRATEGY_LABELS: Record<RollbackStrategy, string> = {
  BLUE_GREEN: "Blue-green traffic switch",
  FEATURE_FLAG: "Feature-flag rollback",
  DATABASE_RESTORE: "Database restore",
  CUSTOM: "Custom runbook",
};

export const planStepSchema = z.object({
  key: z.string().regex(/^[a-z0-9-]{1,60}$/, "Step keys are lowercase words joined by dashes."),
  name: z.string().min(1).max(120),
  executor: z.enum(EXECUTOR_KINDS),
  /** Executor settings from the runbook; never typed by a user at execution time. */
  config: z.record(z.string(), z.unknown()).default({}),
  destructive: z.boolean().default(false),
  changesTraffic: z.boolean().default(false),
  /** May responders leave it out of the plan (which voids any approval)? */
  optional: z.boolean().default(false),
});

export type PlanStep = z.output<typeof planStepSchema>;
export type Plan = PlanStep[];

const step = (s: z.input<typeof planStepSchema>): PlanStep => planStepSchema.parse(s);

/** The release-engineering sequence of each strategy; a runbook replaces it with configured steps. */
export const STRATEGY_TEMPLATES: Record<RollbackStrategy, Plan> = {
  BLUE_GREEN: [
    step({ key: "identify-active", name: "Identify the active environment", executor: "HTTP" }),
    step({ key: "verify-target-health", name: "Verify the target environment's health", executor: "HEALTH_CHECK" }),
    step({ key: "switch-traffic", name: "Switch traffic to the previous version", executor: "HTTP", changesTraffic: true }),
    step({ key: "wait-propagation", name: "Wait for propagation", executor: "WAIT", config: { seconds: 30 } }),
    step({ key: "verify-metrics", name: "Verify metrics", executor: "VERIFY_METRICS", config: { maxErrorRate: 0.05, maxP99Ms: 200 } }),
    step({ key: "verify-endpoints", name: "Verify critical endpoints", executor: "HEALTH_CHECK" }),
    step({ key: "write-report", name: "Write the rollback report", executor: "NOTIFY", config: { report: true }, optional: true }),
    step({ key: "notify", name: "Notify stakeholders", executor: "NOTIFY", optional: true }),
  ],
  DATABASE_RESTORE: [
    step({ key: "verify-backup", name: "Verify the backup", executor: "POSTGRES", config: { operation: "check-backup" } }),
    step({ key: "maintenance-on", name: "Enable maintenance mode", executor: "HTTP" }),
    step({ key: "stop-instances", name: "Stop application instances", executor: "COMMAND", destructive: true }),
    step({ key: "emergency-backup", name: "Take the emergency backup", executor: "POSTGRES", config: { operation: "backup" } }),
    step({ key: "restore", name: "Restore the database", executor: "POSTGRES", config: { operation: "restore" }, destructive: true }),
    step({ key: "verify-integrity", name: "Verify data integrity", executor: "POSTGRES", config: { operation: "integrity" } }),
    step({ key: "start-previous", name: "Start the previous version", executor: "COMMAND" }),
    step({ key: "verify-health", name: "Verify health", executor: "HEALTH_CHECK" }),
    step({ key: "maintenance-off", name: "Disable maintenance mode", executor: "HTTP" }),
  ],
  FEATURE_FLAG: [
    step({ key: "flags-off", name: "Turn the release's feature flags off", executor: "FLAG_DISABLE", changesTraffic: true }),
    step({ key: "verify-metrics", name: "Verify metrics", executor: "VERIFY_METRICS", config: { maxErrorRate: 0.05, maxP99Ms: 200 } }),
  ],
  CUSTOM: [],
};

/** Two different release managers must approve a database restore; one suffices otherwise. */
export function requiredApprovals(strategy: RollbackStrategy): number {
  return strategy === "DATABASE_RESTORE" ? 2 : 1;
}

export function hasDestructiveSteps(plan: Plan): boolean {
  return plan.some((s) => s.destructive);
}

export function parsePlan(value: unknown): Plan {
  return z.array(planStepSchema).parse(value);
}

/** The plan without one optional step. */
export function withoutStep(plan: Plan, key: string): Plan {
  const target = plan.find((s) => s.key === key);
  if (!target) throw new Error(`The plan has no step ${key}.`);
  if (!target.optional) throw new Error(`"${target.name}" is required by the strategy and cannot be left out.`);
  return plan.filter((s) => s.key !== key);
}

/**
 * What a new run of this plan runs by itself before its first destructive step ("Start rollback",
 * "Approve and start"): the steps, in order, and the destructive step it stops before (which keeps
 * its own typed confirmation). No steps when the plan starts with a destructive one.
 */
export function stepsBeforeDestructive(plan: Plan): {
  steps: { position: number; step: PlanStep }[];
  stopBefore: { position: number; name: string } | null;
} {
  const first = plan.findIndex((s) => s.destructive);
  const end = first === -1 ? plan.length : first;
  return {
    steps: plan.slice(0, end).map((step, position) => ({ position, step })),
    stopBefore: first === -1 ? null : { position: first, name: plan[first].name },
  };
}

/** What a new run of the plan runs by itself ("Start rollback", "Approve and start"), in words for its confirmation. */
export function describeFirstStretch(plan: Plan): {
  steps: { position: number; name: string; description: string }[];
  stopBefore: { position: number; name: string } | null;
} {
  const { steps, stopBefore } = stepsBeforeDestructive(plan);
  return {
    steps: steps.map(({ position, step }) => ({ position, name: step.name, description: describeStep(step.executor, step.config) })),
    stopBefore,
  };
}
