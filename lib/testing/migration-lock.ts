// For tests of concurrent start-up: hold the migrators' advisory lock on a database while
// processes start, so that they certainly all contend for it at once, then let go.
import pg from "pg";
import { PRISMA_MIGRATE_LOCK_KEY } from "@/scripts/lib/migrate";

/**
 * Takes the lock on `databaseUrl`, runs `start`, waits until `waiters` sessions wait for the lock
 * (or throws after `timeoutMs`, with `describe()` in the message), then releases it.
 */
export async function startWhileMigrationLocked<T>(
  databaseUrl: string,
  options: { waiters: number; timeoutMs: number; describe?: () => string },
  start: () => T,
): Promise<T> {
  const holder = new pg.Client({ connectionString: databaseUrl });
  await holder.connect();
  try {
    await holder.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
    const started = start();
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const { rows } = await holder.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        [PRISMA_MIGRATE_LOCK_KEY],
      );
      if (rows[0].n >= options.waiters) return started;
      if (Date.now() > deadline) {
        throw new Error(`only ${rows[0].n} of ${options.waiters} processes waited for the migration lock\n${options.describe?.() ?? ""}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    // Ending the session lets go of the lock, also when the wait failed.
    await holder.end();
  }
}
