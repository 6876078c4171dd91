// `npm test`: typecheck, lint, then unit, integration and e2e tests, each against real things.
// First it checks (and as root installs) what the tests need from the machine: see
// scripts/lib/requirements.ts. Integration and e2e each get a fresh database on the PostgreSQL of
// DATABASE_URL, or an embedded one without it. `npm test -- unit e2e` runs only those parts.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createPrismaClient } from "@/lib/db-client";
import { seedDemo } from "@/prisma/seed";
import { buildIfNeeded } from "./lib/next-build";
import { PROJECT_ROOT } from "./lib/postgres";
import { ensureRequirements, RequirementsError, type Suite } from "./lib/requirements";
import { createTestDatabase } from "./lib/test-database";

type Counts = { passed: number; failed: number; skipped: number };
const RESULTS = path.join(PROJECT_ROOT, "test-results");
const SUITES: Suite[] = ["typecheck", "lint", "unit", "integration", "e2e"];
const only = process.argv.slice(2); // e.g. `npm test -- unit e2e`
const unknown = only.filter((a) => !SUITES.includes(a as Suite));
if (unknown.length > 0) {
  console.error(`unknown part ${unknown.join(", ")}: npm test [-- ${SUITES.join(" | ")} …]`);
  process.exit(2);
}
const selected = SUITES.filter((s) => only.length === 0 || only.includes(s));
const wants = (suite: Suite) => selected.includes(suite);

function run(command: string, args: string[], env: Record<string, string> = {}): number {
  const result = spawnSync(command, args, { cwd: PROJECT_ROOT, stdio: "inherit", env: { ...process.env, ...env } });
  return result.status ?? 1;
}

function bin(name: string): string {
  return path.join(PROJECT_ROOT, "node_modules", ".bin", name);
}

function vitestCounts(file: string): Counts {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
  const r = JSON.parse(readFileSync(file, "utf8"));
  return {
    passed: r.numPassedTests,
    failed: r.numFailedTests + (r.success ? 0 : r.numFailedTests === 0 ? 1 : 0),
    skipped: r.numPendingTests + r.numTodoTests,
  };
}

function playwrightCounts(file: string): Counts {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
  const s = JSON.parse(readFileSync(file, "utf8")).stats;
  return {
    passed: s.expected + s.flaky,
    failed: s.unexpected + (s.unexpected === 0 && (s.errors?.length ?? 0) > 0 ? 1 : 0),
    skipped: s.skipped,
  };
}

/** typecheck and lint, through their package.json scripts (one definition): one check each in the counts. */
function npmScript(script: string): Counts {
  const ok = run("npm", ["run", "--silent", script]) === 0;
  return { passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 };
}

function vitestSuite(project: string): Counts {
  const out = path.join(RESULTS, `${project}.json`);
  rmSync(out, { force: true });
  run(bin("vitest"), ["run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${out}`]);
  return vitestCounts(out);
}

async function e2eSuite(): Promise<Counts> {
  const out = path.join(RESULTS, "e2e.json");
  rmSync(out, { force: true });
  buildIfNeeded((line) => console.log(`[test] ${line}`));
  const db = await createTestDatabase("e2e");
  try {
    const client = createPrismaClient(db.url);
    await seedDemo(client);
    await client.$disconnect();
    run(bin("playwright"), ["test"], { E2E_DATABASE_URL: db.url });
  } finally {
    await db.drop();
  }
  return playwrightCounts(out);
}

async function main() {
  mkdirSync(RESULTS, { recursive: true });
  const t0 = performance.now();
  try {
    await ensureRequirements(selected, (line) => console.log(`[test] ${line}`));
  } catch (e) {
    if (!(e instanceof RequirementsError)) throw e;
    console.error(`\n${e.message}`);
    process.exit(1);
  }
  const results: [string, Counts][] = [];
  if (wants("typecheck")) results.push(["typecheck", npmScript("typecheck")]);
  if (wants("lint")) results.push(["lint", npmScript("lint")]);
  if (wants("unit")) results.push(["unit", vitestSuite("unit")]);
  if (wants("integration")) results.push(["integration", vitestSuite("integration")]);
  if (wants("e2e")) results.push(["e2e", await e2eSuite()]);

  const total = results.reduce(
    (a, [, c]) => ({ passed: a.passed + c.passed, failed: a.failed + c.failed, skipped: a.skipped + c.skipped }),
    {
      passed: 0,
      failed: 0,
      skipped: 0,
    },
  );
  console.log(`\nBackout tests finished in ${((performance.now() - t0) / 1000).toFixed(0)}s`);
  for (const [name, c] of results) console.log(`${name}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
  console.log(`total: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
