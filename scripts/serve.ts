// `npm run serve`: production. Needs DATABASE_URL and AUTH_SECRET, runs migrations, seeds
// nothing, then serves the built app. Run `npm run build` first.
import { existsSync } from "node:fs";
import path from "node:path";
import { migrateDeploy } from "./lib/migrate";
import { startNextServer } from "./lib/next-server";
import { PROJECT_ROOT } from "./lib/postgres";

function fail(message: string): never {
  console.error(`[backout] ${message}`);
  process.exit(1);
}

async function main() {
  const databaseUrl = process.env.DATABASE_URL ?? fail("DATABASE_URL is required in production (postgres://user:pass@host:5432/backout).");
  if (!process.env.AUTH_SECRET) {
    fail("AUTH_SECRET is required in production: a random string of 32+ bytes shared by every instance (e.g. `openssl rand -base64 32`).");
  }
  if (!existsSync(path.join(PROJECT_ROOT, ".next", "BUILD_ID"))) fail("No build found: run `npm run build` first.");
  if (process.env.BACKOUT_SKIP_MIGRATIONS !== "1") await migrateDeploy(databaseUrl, { log: (line) => console.log(`[backout] ${line}`) });
  const next = startNextServer(Number(process.env.PORT ?? 3000), {});
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => next.kill(signal));
  next.on("exit", (code) => process.exit(code ?? 1));
}

main().catch((e) => fail(e instanceof Error ? e.message : String(e)));
