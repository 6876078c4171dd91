// The one Prisma client of the process, over node-postgres (no native query engine).
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";

function createClient() {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) {
    throw new Error("DATABASE_URL is not set. Start Backout with `npm start` (it brings up an embedded PostgreSQL) or set DATABASE_URL.");
  }
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString }),
    // Secret fields never leave the database unless a query asks for them by name.
    omit: { user: { passwordHash: true }, ingestionToken: { tokenHash: true } },
  });
}

export type Db = ReturnType<typeof createClient>;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

const globalForPrisma = globalThis as unknown as { backoutPrisma?: Db };

// Lazily created so that importing this module (e.g. during `next build`) needs no database.
export function getDb(): Db {
  globalForPrisma.backoutPrisma ??= createClient();
  return globalForPrisma.backoutPrisma;
}
