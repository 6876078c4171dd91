// `npm run migrate`: applies the committed migrations to DATABASE_URL and exits, for a deploy
// pipeline that migrates once before it starts instances with BACKOUT_SKIP_MIGRATIONS=1.
// `npm run serve` and `npm start` do the same on their own at start-up.
import { migrateDeploy } from "./lib/migrate";

const log = (line: string) => console.log(`[backout] ${line}`);

async function main() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is required (postgres://user:pass@host:5432/backout).");
  const { applied, upToDate } = await migrateDeploy(databaseUrl, { log });
  log(`database schema is up to date (${applied.length} applied now, ${upToDate.length} already applied)`);
}

main().catch((e) => {
  console.error(`[backout] ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
