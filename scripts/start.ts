// `npm start`: Backout with demo data. Without DATABASE_URL it brings up an embedded PostgreSQL
// whose data stays in .data/ across restarts. Migrations run on every start.
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createPrismaClient } from "@/lib/db-client";
import { DEMO_FLAG, DEMO_PASSWORD, DEMO_ROUTER_URL, DEMO_USERS, seedDemo } from "@/prisma/seed";
import { demoFlagsToken, demoRouterToken, startDemo } from "./lib/demo";
import { migrateDeploy } from "./lib/migrate";
import { buildIfNeeded } from "./lib/next-build";
import { startNextServer, waitForHttp } from "./lib/next-server";
import { createDatabaseIfMissing, DATA_DIR, embeddedPort, type PostgresServer, startEmbeddedPostgres } from "./lib/postgres";
import { ensureLocalAuthSecret } from "./lib/secrets";

const log = (line: string) => console.log(`[backout] ${line}`);

async function main() {
  const t0 = performance.now();
  const port = Number(process.env.PORT ?? 3000);
  let server: PostgresServer | null = null;
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    server = await startEmbeddedPostgres({ dataDir: path.join(DATA_DIR, "postgres"), port: embeddedPort(), log });
    await createDatabaseIfMissing(server, "backout");
    databaseUrl = server.urlFor("backout");
    log(`embedded PostgreSQL on 127.0.0.1:${embeddedPort()} (data in .data/postgres)`);
  } else {
    log("using the PostgreSQL in DATABASE_URL");
  }
  const stopDatabase = async () => {
    await server?.stop();
  };

  try {
    await migrateDeploy(databaseUrl, { log });
    log("database schema is up to date");
    const db = createPrismaClient(databaseUrl);
    const { seeded } = await seedDemo(db);
    await db.$disconnect();
    log(seeded ? "demo data created" : "demo data already present");
    buildIfNeeded(log);
  } catch (e) {
    await stopDatabase();
    throw e;
  }

  const authSecret = await ensureLocalAuthSecret();
  const routerToken = demoRouterToken();
  const flagsToken = demoFlagsToken();
  const next = startNextServer(port, {
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: authSecret,
    BACKOUT_DEMO: "1",
    // Secrets of the demo runbook's steps, referenced there by name (never stored in the runbook).
    DEMO_ROUTER_AUTH: `Bearer ${routerToken}`,
    DEMO_FLAGS_TOKEN: flagsToken,
    BACKOUT_NOTIFY_WEBHOOK: process.env.BACKOUT_NOTIFY_WEBHOOK ?? `${DEMO_ROUTER_URL}/admin/notify`,
  });
  let demo: Awaited<ReturnType<typeof startDemo>> = null;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    // Synchronously first: if we are killed right after, the server must not outlive us.
    next.kill("SIGTERM");
    // The server finishes its jobs and closes its pools before its database goes away (15 s at most).
    const nextExited =
      next.exitCode !== null || next.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => next.once("exit", () => r()));
    const grace = setTimeout(() => next.kill("SIGKILL"), 15_000);
    await Promise.all([nextExited, demo?.stop().catch(() => {})]);
    clearTimeout(grace);
    await stopDatabase();
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));
  next.on("exit", (code) => void shutdown(code ?? 1));

  await waitForHttp(`http://127.0.0.1:${port}/api/health`, 60_000);
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  log(`ready in ${seconds}s → http://localhost:${port}`);
  if (process.env.BACKOUT_DEMO_FLEET !== "0") {
    const db = createPrismaClient(databaseUrl);
    try {
      demo = await startDemo(db, `http://127.0.0.1:${port}`, routerToken, flagsToken, log);
      if (demo) {
        log(`demo fleet: router ${demo.routerUrl}, green v2.5.0 live. To switch by hand:`);
        log(`  curl -X POST -H 'Authorization: Bearer ${demo.routerToken}' -d '{"to":"blue"}' ${demo.routerUrl}/admin/switch`);
        log(`demo flag service (Unleash admin API): ${demo.flagsUrl}, ${DEMO_FLAG} on. To turn it off by hand:`);
        log(
          `  curl -X POST -H 'Authorization: ${demo.flagsToken}' ${demo.flagsUrl}/api/admin/projects/default/features/${DEMO_FLAG}/environments/production/off`,
        );
      }
    } catch (e) {
      log(`demo fleet did not start: ${e instanceof Error ? e.message : e}. Backout itself is running.`);
    } finally {
      await db.$disconnect();
    }
  }
  log("demo accounts (demo only — never use them on a real install):");
  for (const u of DEMO_USERS) log(`  ${u.email.padEnd(24)} ${u.role.padEnd(16)} password: ${DEMO_PASSWORD}`);
}

main().catch((e) => {
  console.error(`[backout] could not start: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
