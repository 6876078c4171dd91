// How a Prisma client is built: over node-postgres (no native query engine to download).
// Scripts (start-up, seed, CLI) use this directly; the app goes through lib/db.ts.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { DatabaseUnavailableError, isConnectionError } from "./db-retry";

/**
 * The pool, chosen for a database that may drop connections (a restart, a failover, a NAT that
 * forgets idle sockets): a request waits at most 5 s for a connection rather than hanging; TCP
 * keep-alive finds dead sockets; idle connections close after 30 s and every connection is
 * replaced after 30 min, so none outlives a server-side change for long.
 */
export const POOL_SETTINGS = {
  connectionTimeoutMillis: 5_000,
  idleTimeoutMillis: 30_000,
  maxLifetimeSeconds: 1_800,
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
} as const;

/** Reads: safe to send again. A write is never retried here (it may have committed before the connection dropped). */
const READS = new Set(["findUnique", "findUniqueOrThrow", "findFirst", "findFirstOrThrow", "findMany", "count", "aggregate", "groupBy"]);

const READ_RETRY_PAUSE_MS = 200;

/** poolSize: connections this client may open (pg's default is 10). */
export function createPrismaClient(connectionString: string, poolSize?: number) {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString, ...POOL_SETTINGS, ...(poolSize ? { max: poolSize } : {}) }),
    // Secret fields never leave the database unless a query asks for them by name.
    omit: {
      user: { passwordHash: true },
      ingestionToken: { tokenHash: true },
      shareLink: { tokenHash: true },
      apiToken: { tokenHash: true },
      notificationDestination: { url: true, secret: true },
    },
  }).$extends({
    name: "retry-reads",
    query: {
      // A read that lands on a connection the database dropped is tried once more (the pool hands
      // out a new connection); if the database still does not answer, a DatabaseUnavailableError
      // tells the page to say so rather than fail.
      async $allOperations({ operation, args, query }) {
        if (!READS.has(operation)) return query(args);
        try {
          return await query(args);
        } catch (e) {
          if (!isConnectionError(e)) throw e;
          // A moment for the pool to drop the dead connection (or for a restarting server to accept).
          await new Promise((r) => setTimeout(r, READ_RETRY_PAUSE_MS));
          try {
            return await query(args);
          } catch (again) {
            throw isConnectionError(again) ? new DatabaseUnavailableError(again) : again;
          }
        }
      },
    },
  });
}

export type Db = ReturnType<typeof createPrismaClient>;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
