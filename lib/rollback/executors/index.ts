// The executors of rollback steps, by kind. Each validates its config (NotConfiguredError before
// doing anything), may refuse a destructive step whose precondition does not hold (RefusedError),
// and otherwise returns a StepResult: ok, a one-line summary, and details in output.
import type { ExecutorKind } from "@/generated/prisma/enums";
import { commandExecutor } from "./command";
import { flagDisableExecutor } from "./flag-disable";
import { healthCheckExecutor } from "./health-check";
import { httpExecutor } from "./http";
import { notifyExecutor } from "./notify";
import { postgresExecutor } from "./postgres";
import type { ExecutionContext, Executor, StepResult } from "./types";
import { verifyMetricsExecutor } from "./verify-metrics";
import { waitExecutor } from "./wait";

export type { ExecutionContext, Executor, LogStream, StepResult } from "./types";
export { NotConfiguredError, RefusedError } from "./types";

export const EXECUTORS: Record<ExecutorKind, Executor> = {
  HTTP: httpExecutor,
  COMMAND: commandExecutor,
  POSTGRES: postgresExecutor,
  HEALTH_CHECK: healthCheckExecutor,
  WAIT: waitExecutor,
  VERIFY_METRICS: verifyMetricsExecutor,
  NOTIFY: notifyExecutor,
  FLAG_DISABLE: flagDisableExecutor,
};

export function runExecutor(kind: ExecutorKind, config: unknown, ctx: ExecutionContext): Promise<StepResult> {
  const executor = EXECUTORS[kind];
  if (!executor) return Promise.reject(new Error(`unknown executor kind ${String(kind)}`));
  return executor(config, ctx);
}
