// A fresh, uniquely named database for one test run, migrated to the current schema, on the
// PostgreSQL server of DATABASE_URL (CI: 127.0.0.1:5432) or, without it, on an embedded one.
import path from "node:path";
import { migrateDeploy } from "./migrate";
import { createDatabaseIfMissing, DATA_DIR, dropDatabase, externalServer, type PostgresServer, startEmbeddedPostgres } from "./postgres";

export type TestDatabase = { url: string; name: string; drop(): Promise<void> };

export async function resolveTestServer(): Promise<PostgresServer> {
  const url = process.env.DATABASE_URL;
  if (url) return externalServer(url);
  return startEmbeddedPostgres({
    dataDir: path.join(DATA_DIR, "test-postgres"),
    port: Number(process.env.BACKOUT_TEST_PG_PORT ?? 54339),
    log: (line) => console.log(`[test] ${line}`),
    throwaway: true,
  });
}

export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const server = await resolveTestServer();
  const name = `backout_${label}_${Date.now().toString(36)}_${process.pid}`;
  await createDatabaseIfMissing(server, name);
  const url = server.urlFor(name);
  try {
    await migrateDeploy(url);
  } catch (e) {
    await dropDatabase(server, name).catch(() => {});
    await server.stop();
    throw e;
  }
  return {
    url,
    name,
    async drop() {
      if (process.env.BACKOUT_KEEP_TEST_DB) {
        console.log(`kept test database ${name} (BACKOUT_KEEP_TEST_DB)`);
      } else {
        await dropDatabase(server, name);
      }
      await server.stop();
    },
  };
}
