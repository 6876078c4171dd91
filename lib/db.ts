// The one Prisma client of the app process.
import "server-only";
import { createPrismaClient, type Db } from "./db-client";

export type { Db, Tx } from "./db-client";

const globalForPrisma = globalThis as unknown as { backoutPrisma?: Db };

// Lazily created so that importing this module (e.g. during `next build`) needs no database.
export function getDb(): Db {
  if (!globalForPrisma.backoutPrisma) {
    const url = process.env.DATABASE_URL;
    if (!url) {
      throw new Error("DATABASE_URL is not set. Start Backout with `npm start` (it brings up an embedded PostgreSQL) or set DATABASE_URL.");
    }
    globalForPrisma.backoutPrisma = createPrismaClient(url);
  }
  return globalForPrisma.backoutPrisma;
}
