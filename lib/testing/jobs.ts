// Background jobs in integration tests: run what is due now, in this process, with the app's task
// list (as an instance's runner would), and read the queue.
import { runOnce } from "graphile-worker";
import { getDb } from "@/lib/db";
import { jobDatabaseUrl, jobLogger } from "@/lib/jobs/schema";
import { buildTaskList } from "@/lib/jobs/tasks";
import type { DeliverySettings } from "@/lib/notifications/settings";

/** Runs every due job (the checklist evaluation chain excepted: it reschedules itself) until none is left. */
export async function runDueJobs(notifications?: DeliverySettings): Promise<void> {
  await runOnce({
    connectionString: jobDatabaseUrl(),
    taskList: buildTaskList({ checklistEvaluateMs: null, notifications }),
    logger: jobLogger,
  });
}

export type QueuedJob = {
  task: string;
  key: string | null;
  payload: unknown;
  queue: string | null;
  runAt: Date;
  lockedAt: Date | null;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
};

/** The jobs in graphile-worker's table (waiting, running or failed), oldest first. */
export async function queuedJobs(task?: string): Promise<QueuedJob[]> {
  return getDb().$queryRaw<QueuedJob[]>`
    SELECT t.identifier AS task, j.key, j.payload, q.queue_name AS queue, j.run_at AS "runAt", j.locked_at AS "lockedAt",
           j.attempts::int AS attempts, j.max_attempts::int AS "maxAttempts", j.last_error AS "lastError"
    FROM graphile_worker._private_jobs j
    JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    LEFT JOIN graphile_worker._private_job_queues q ON q.id = j.job_queue_id
    WHERE ${task ?? null}::text IS NULL OR t.identifier = ${task ?? null}::text
    ORDER BY j.id`;
}
