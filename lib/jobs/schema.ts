// graphile-worker's schema (graphile_worker) on the app's database, and the logger the job code
// shares. No "server-only": the test set-up installs the schema too.
import { Logger, runMigrations } from "graphile-worker";

// graphile-worker logs every job at info and its internals at debug: keep what needs a person.
export const jobLogger = new Logger(() => (level, message) => {
  const l = level as string;
  if (l === "error" || l === "warning") console.error(`[jobs] ${message}`);
  else if (process.env.BACKOUT_JOBS_DEBUG === "1") console.log(`[jobs] ${l}: ${message}`);
});

/**
 * Completions and failures through graphile-worker's batcher (delay 0: at once), not its unbatched
 * path: that one does not await the query recording a job's end, so a stop (or the end of a
 * runOnce) could close the pool under it and leave a finished job locked, to run again hours
 * later; the batcher is drained before the pool closes.
 */
export const jobWorkerPreset = { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } };

export function jobDatabaseUrl(given?: string): string {
  const url = given ?? process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: background jobs live in the app's database.");
  return url;
}

/**
 * Installs or migrates graphile-worker's schema (safe when instances start together: a migration
 * another instance applied first is skipped). Needed even by an instance that runs no jobs, since
 * its transactions add them (enqueueJob).
 */
export async function installJobSchema(connectionString?: string): Promise<void> {
  await runMigrations({ connectionString: jobDatabaseUrl(connectionString), logger: jobLogger });
}
