// Background jobs in integration tests: run what is due now, in this process, with the app's task
// list (as an instance's runner would), and read the queue.
import { runOnce } from "graphile-worker";
import { getDb } from "@/lib/db";
import { jobDatabaseUrl, jobLogger, jobWorkerPreset } from "@/lib/jobs/schema";
import { buildTaskList } from "@/lib/jobs/tasks";
import type { DeliverySettings } from "@/lib/notifications/settings";

/**
 * Runs every due job (the periodic checklist evaluation excepted: it reschedules itself, so it would
 * never leave none; a checklist's one first evaluation is run) until none is left.
 */
export async function runDueJobs(notifications?: DeliverySettings): Promise<void> {
  const taskList = buildTaskList({ checklistEvaluateMs: null, checklistFirstEvaluation: true, notifications });
  await runOnce({ connectionString: jobDatabaseUrl(), taskList, logger: jobLogger, preset: jobWorkerPreset });
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

/**
 * Runs `fn` while any transaction that adds a job with `key` fails at COMMIT, after everything in it
 * ran (a deferred trigger on the job row refuses it): `fn`'s change failing with "commit refused by
 * the test" shows the job was added in the change's own transaction.
 */
export async function withJobCommitRefused<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const db = getDb();
  // Named per call: test files run side by side on one database.
  const name = `test_refuse_commit_${Math.random().toString(36).slice(2, 10)}`;
  await db.$executeRawUnsafe(
    `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'commit refused by the test'; END $$`,
  );
  await db.$executeRawUnsafe(
    `CREATE CONSTRAINT TRIGGER ${name} AFTER INSERT ON graphile_worker._private_jobs DEFERRABLE INITIALLY DEFERRED
     FOR EACH ROW WHEN (NEW.key = '${key.replaceAll("'", "''")}') EXECUTE FUNCTION ${name}()`,
  );
  try {
    return await fn();
  } finally {
    await db.$executeRawUnsafe(`DROP TRIGGER ${name} ON graphile_worker._private_jobs`);
    await db.$executeRawUnsafe(`DROP FUNCTION ${name}()`);
  }
}
