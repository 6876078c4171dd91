// The tasks the job runner runs, by job name (enqueue.ts names the jobs and their payloads).
import "server-only";
import type { CronItem, JobHelpers, Task, TaskList } from "graphile-worker";
import { z } from "zod";
import { evaluateMetricItems } from "@/lib/checklist/evaluator";
import { getDb } from "@/lib/db";
import { pruneAbandonedPresence } from "@/lib/live/presence";
import { pruneLiveEvents } from "@/lib/live/publish";
import { applyRetention } from "@/lib/metrics/ingest";
import { deliverForDestination } from "@/lib/notifications/deliver";
import { recordOverdueActionItems } from "@/lib/notifications/overdue";
import { type DeliverySettings, deliverySettingsFromEnv } from "@/lib/notifications/settings";
import { ensureRollbackSummary } from "@/lib/rollback/summary/generate";
import type { JobName } from "./enqueue";
import { nextSlot } from "./schedule";

/** Job key (and advisory lock name) of the checklist evaluation: one waiting job cluster-wide, never two running. */
export const CHECKLIST_EVALUATE_KEY = "checklist.evaluate";

const summaryPayload = z.object({ runId: z.string().min(1) });

/** A payload that does not parse fails the job with a message naming the job (it is kept, failed, for a person to read). */
function parsePayload<T>(name: JobName, schema: z.ZodType<T>, payload: unknown): T {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new Error(`Job "${name}" has an invalid payload: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

const firstEvaluationPayload = z.object({ incidentId: z.string().min(1) });

/**
 * The first metric evaluation of a checklist just started. A failure is logged, not retried: the
 * periodic evaluation ("checklist.evaluate") is the retry, and a person can tick the item meanwhile.
 */
const checklistFirstEvaluation: Task = async (payload, helpers) => {
  const { incidentId } = parsePayload("checklist.first_evaluation", firstEvaluationPayload, payload);
  try {
    await evaluateMetricItems({ incidentId });
  } catch (e) {
    helpers.logger.error(`first metric evaluation of incident ${incidentId} failed: ${e instanceof Error ? e.message : e}`);
  }
};

const rollbackSummary: Task = async (payload) => {
  const { runId } = parsePayload("rollback.summary", summaryPayload, payload);
  // Null while a step of an aborted run is still running: the worker enqueues the job again when it stops.
  await ensureRollbackSummary(runId);
};

/**
 * The checklist metric evaluation, once per interval per cluster. graphile-worker's cron counts in
 * whole minutes and the interval is 15 s by default, so the job reschedules itself: first thing,
 * it queues the next run at its next slot under the same job key (the running job gives the key
 * up, so one waits, whichever instance takes it). Two runs never overlap: a run holds a session
 * advisory lock while it evaluates, and a run that finds it held skips its slot. The lock, unlike
 * a graphile-worker queue, goes with the connection when a process dies, so a crash mid-evaluation
 * never holds up the next slot.
 */
function checklistEvaluate(everyMs: number): Task {
  return async (_payload, helpers: JobHelpers) => {
    const next = nextSlot(helpers.job.run_at.getTime(), Date.now(), everyMs);
    await helpers.addJob("checklist.evaluate", {}, { jobKey: CHECKLIST_EVALUATE_KEY, runAt: new Date(next), maxAttempts: 1 });
    await helpers.withPgClient(async (client) => {
      const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked", [
        CHECKLIST_EVALUATE_KEY,
      ]);
      if (!rows[0].locked) {
        helpers.logger.warn(
          `checklist evaluation skipped the slot of ${helpers.job.run_at.toISOString()}: the previous one is still running`,
        );
        return;
      }
      try {
        await evaluateMetricItems();
      } catch (e) {
        // Not rethrown: a failed job would be retried on top of the next slot; the next slot is the retry.
        helpers.logger.error(`checklist metric evaluation failed: ${e instanceof Error ? e.message : e}`);
      } finally {
        await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [CHECKLIST_EVALUATE_KEY]);
      }
    });
  };
}

const metricsRetention: Task = async (_payload, helpers) => {
  const deleted = await applyRetention();
  if (deleted > 0) helpers.logger.info(`metrics retention deleted ${deleted} samples`);
};

const pruneLive: Task = async () => {
  await pruneLiveEvents(getDb());
  await pruneAbandonedPresence(getDb());
};

const deliverPayload = z.object({ destinationId: z.string().min(1) });

function notificationDeliver(settings: DeliverySettings): Task {
  return async (payload, helpers) => {
    const { destinationId } = parsePayload("notification.deliver", deliverPayload, payload);
    await deliverForDestination(destinationId, settings, helpers);
  };
}

const actionItemsOverdue: Task = async (_payload, helpers) => {
  const recorded = await recordOverdueActionItems();
  if (recorded > 0) helpers.logger.info(`recorded ${recorded} overdue action items`);
};

export type TaskOptions = {
  /** Interval of the checklist metric evaluation; null: this instance neither schedules nor runs it. */
  checklistEvaluateMs: number | null;
  /**
   * Whether this instance takes a checklist's first evaluation (queued when verification starts).
   * Default: when it runs the periodic one (BACKOUT_CHECKLIST_EVALUATOR=0 turns both off).
   */
  checklistFirstEvaluation?: boolean;
  /** Attempts, backoff and timeout of notification deliveries (default: from the environment). */
  notifications?: DeliverySettings;
};

export function buildTaskList(opts: TaskOptions): TaskList {
  const tasks: { [N in JobName]?: Task } = {
    "rollback.summary": rollbackSummary,
    "metrics.retention": metricsRetention,
    "live.prune": pruneLive,
    "notification.deliver": notificationDeliver(opts.notifications ?? deliverySettingsFromEnv()),
    "action_items.overdue": actionItemsOverdue,
  };
  if (opts.checklistEvaluateMs !== null) tasks["checklist.evaluate"] = checklistEvaluate(opts.checklistEvaluateMs);
  if (opts.checklistFirstEvaluation ?? opts.checklistEvaluateMs !== null) tasks["checklist.first_evaluation"] = checklistFirstEvaluation;
  return tasks;
}

/**
 * Maintenance on graphile-worker's cron: each item is scheduled once per cluster at its time
 * (instances agree through the known_crontabs table), with no backfill of times missed while the
 * cluster was down (a later run deletes the same rows).
 */
export const MAINTENANCE_CRON: (CronItem & { task: JobName })[] = [
  { task: "metrics.retention", identifier: "metrics.retention", match: "*/15 * * * *", options: { backfillPeriod: 0, maxAttempts: 3 } },
  { task: "live.prune", identifier: "live.prune", match: "23 * * * *", options: { backfillPeriod: 0, maxAttempts: 3 } },
  {
    task: "action_items.overdue",
    identifier: "action_items.overdue",
    match: "*/5 * * * *",
    options: { backfillPeriod: 0, maxAttempts: 3 },
  },
];
