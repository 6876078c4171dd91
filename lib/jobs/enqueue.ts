// Adding a background job. A job is added with the transaction of the change that causes it, so it
// exists exactly when the change committed: no job for a rolled-back change, no change without its
// job (the outbox pattern, done by the job library's own table instead of by hand).
import "server-only";
import type { Tx } from "@/lib/db";

/** Every job the app runs, with its payload. The tasks that run them are in tasks.ts. */
export type JobPayloads = {
  /** Write the summary document of a run that ended (idempotent: a second run finds it written). */
  "rollback.summary": { runId: string };
  /** Judge the metric items of open checklists; reschedules itself one interval later. */
  "checklist.evaluate": Record<string, never>;
  /** Judge the metric items of one incident's checklist now (queued by the start of its verification). */
  "checklist.first_evaluation": { incidentId: string };
  /** Delete metric samples older than their service's retention. */
  "metrics.retention": Record<string, never>;
  /** Delete live events older than LIVE_EVENT_KEEP_DAYS, and presence rows long abandoned. */
  "live.prune": Record<string, never>;
  /** Send a notification destination's waiting deliveries, oldest first (lib/notifications/deliver.ts). */
  "notification.deliver": { destinationId: string };
  /** Record action items that became overdue, once each (their timeline entry notifies). */
  "action_items.overdue": Record<string, never>;
};
export type JobName = keyof JobPayloads;

export type EnqueueOptions = {
  /** Not before this time (default: now). */
  runAt?: Date;
  /**
   * At most one waiting job per key: adding another replaces the waiting one (its payload and run
   * time), or, when the job with this key is already running, adds a new one to run after it.
   */
  jobKey?: string;
  /** Jobs of one queue run one at a time, across the cluster. */
  queueName?: string;
  /** Attempts before the job is left failed (graphile-worker's default is 25, with exponential backoff). */
  maxAttempts?: number;
};

/**
 * Adds a job inside `tx`, the transaction of the change that causes it (graphile-worker's
 * `add_job` in SQL). Refuses a client that is not a transaction: a job added outside the change's
 * transaction could exist for a change that rolled back, or be missing for one that committed.
 */
export async function enqueueJob<N extends JobName>(tx: Tx, name: N, payload: JobPayloads[N], opts: EnqueueOptions = {}): Promise<void> {
  // Prisma's transaction client has no $disconnect; the database client has.
  if (typeof (tx as unknown as { $disconnect?: unknown }).$disconnect === "function") {
    throw new Error(`enqueueJob("${name}") needs the transaction of the change that causes the job, not the database client.`);
  }
  await tx.$executeRaw`
    SELECT graphile_worker.add_job(
      ${name}::text,
      ${JSON.stringify(payload)}::json,
      queue_name => ${opts.queueName ?? null}::text,
      run_at => ${opts.runAt ?? null}::timestamptz,
      max_attempts => ${opts.maxAttempts ?? null}::int,
      job_key => ${opts.jobKey ?? null}::text
    )`;
}
