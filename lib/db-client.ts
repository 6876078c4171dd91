// How a Prisma client is built: over node-postgres (no native query engine to download).
// Scripts (start-up, seed, CLI) use this directly; the app goes through lib/db.ts.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";

/** poolSize: connections this client may open (pg's default is 10). */
export function createPrismaClient(connectionString: string, poolSize?: number) {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString, ...(poolSize ? { max: poolSize } : {}) }),
    // Secret fields never leave the database unless a query asks for them by name.
    omit: { user: { passwordHash: true }, ingestionToken: { tokenHash: true } },
  });
}

export type Db = ReturnType<typeof createPrismaClient>;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
