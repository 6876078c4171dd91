// The job runner: one per app instance, on the app's database, started by instrumentation-node.ts.
// graphile-worker keeps the jobs in its own schema (graphile_worker), installed and migrated here
// at start; instances share the work (each job is locked by one worker with SKIP LOCKED) and
// learn of new jobs by LISTEN/NOTIFY, polling as a fallback.
import "server-only";
import { parseCronItems, type Runner, run } from "graphile-worker";
import type { DeliverySettings } from "@/lib/notifications/settings";
import { jobDatabaseUrl, jobLogger, jobWorkerPreset } from "./schema";
import { buildTaskList, CHECKLIST_EVALUATE_KEY, MAINTENANCE_CRON } from "./tasks";

export { installJobSchema } from "./schema";

export const DEFAULT_CHECKLIST_EVALUATE_MS = 15_000;

export type JobRunnerOptions = {
  /** The app's database (DATABASE_URL by default). The runner opens its own small pool on it. */
  connectionString?: string;
  /** Jobs this instance runs at the same time. */
  concurrency?: number;
  /** How often to look for due jobs besides LISTEN (jobs scheduled for later are found by polling). */
  pollIntervalMs?: number;
  /** Interval of the checklist metric evaluation; null: this instance neither schedules nor runs it. */
  checklistEvaluateMs?: number | null;
  /** Retention and pruning on cron (default true). */
  maintenance?: boolean;
  /** Notification delivery attempts, backoff and timeout (default: BACKOUT_NOTIFY_* from the environment). */
  notifications?: DeliverySettings;
};

export type JobRunner = {
  /** Stops taking jobs, lets the running ones finish (graphile-worker releases any that cannot), closes the pool. */
  stop(): Promise<void>;
  /** graphile-worker's events (job:start, job:success, …), for logs and tests. */
  readonly events: Runner["events"];
};

export async function startJobRunner(opts: JobRunnerOptions = {}): Promise<JobRunner> {
  const checklistEvaluateMs = opts.checklistEvaluateMs === undefined ? DEFAULT_CHECKLIST_EVALUATE_MS : opts.checklistEvaluateMs;
  const concurrency = opts.concurrency ?? 2;
  const runner = await run({
    connectionString: jobDatabaseUrl(opts.connectionString),
    // The workers, the LISTEN connection and cron.
    maxPoolSize: concurrency + 2,
    concurrency,
    pollInterval: opts.pollIntervalMs ?? 2000,
    // The process's owner (Next.js, a script, a test) handles signals and calls stop().
    noHandleSignals: true,
    logger: jobLogger,
    taskList: buildTaskList({ checklistEvaluateMs, notifications: opts.notifications }),
    parsedCronItems: opts.maintenance === false ? [] : parseCronItems(MAINTENANCE_CRON),
    preset: jobWorkerPreset,
  });
  if (checklistEvaluateMs !== null) {
    // Starts the evaluation chain when the cluster has none; a chain waiting or running is left alone
    // (unsafe_dedupe: any job with the key, running or not, counts). One attempt per slot: a slot that
    // fails (or is failed by a shutdown that caught it starting) is never retried on top of a later
    // slot; the next slot, queued first thing by every run, is the retry.
    await runner.addJob("checklist.evaluate", {}, { jobKey: CHECKLIST_EVALUATE_KEY, jobKeyMode: "unsafe_dedupe", maxAttempts: 1 });
  }
  let stopping: Promise<void> | null = null;
  return {
    events: runner.events,
    stop: () => {
      stopping ??= runner.stop();
      return stopping;
    },
  };
}

/**
 * The runner's options from the environment; null when BACKOUT_JOBS=0 (this instance runs no jobs;
 * others on the same database do). Throws with the variable's name on a value that is not valid.
 */
export function jobRunnerOptionsFromEnv(env: Record<string, string | undefined> = process.env): JobRunnerOptions | null {
  if (env.BACKOUT_JOBS === "0") return null;
  if (env.BACKOUT_CHECKLIST_EVALUATOR === "0") return { checklistEvaluateMs: null };
  const raw = env.BACKOUT_CHECKLIST_EVALUATE_MS;
  if (raw === undefined || raw === "") return { checklistEvaluateMs: DEFAULT_CHECKLIST_EVALUATE_MS };
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 1000) {
    throw new Error(`BACKOUT_CHECKLIST_EVALUATE_MS must be a whole number of milliseconds, at least 1000 (got "${raw}").`);
  }
  return { checklistEvaluateMs: ms };
}
