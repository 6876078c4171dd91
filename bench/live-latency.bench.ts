// Benchmark: how long a committed change takes to reach a second browser over the live channel,
// next to a bare LISTEN/NOTIFY round trip measured in the same run.
//
//   npx tsx --conditions=react-server bench/live-latency.bench.ts
//
// Needs the production build already in .next (it never builds). Creates its own database
// (createTestDatabase, on DATABASE_URL's server; default postgres://postgres@127.0.0.1:5432), a
// user, a service and an incident directly in SQL, starts `next start` on a free port, and signs
// in with Debian's Chromium through the real sign-in form. The Chromium page opens an EventSource
// on /api/incidents/:n/stream — the route the incident page uses — and stamps each event's
// arrival with the machine's clock (performance.timeOrigin + performance.now(), the same epoch
// clock this process reads; the small offset between the two processes' anchors is measured
// first and taken off).
//
// Each change is a `$transaction` in this process calling the app's publishLive (LiveEvent row +
// pg_notify, lib/live/publish.ts), so it travels the app's whole path: commit → NOTIFY → the
// server's hub (one LISTEN connection) reads the row → SSE frame → EventSource in Chromium.
// Measured: arrival − commit acknowledged to the writer ("from commit"), and arrival − start of
// the transaction. The bare baseline: `SELECT pg_notify(…)` on one pg connection → the
// 'notification' event on another, both in this process. Changes are sent one at a time
// (the next after the previous arrived, plus a short pause), app and bare interleaved.
//
// Knobs (environment): BENCH_CHANGES (200), BENCH_WARMUP (20), BENCH_PAUSE_MS (20),
// BENCH_KEEP_DB=1 keeps the database.

import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { type Browser, chromium } from "@playwright/test";
import pg from "pg";
import { hashPassword } from "@/lib/auth/password";
import { createPrismaClient, type Db } from "@/lib/db-client";
import { publishLive } from "@/lib/live/publish";
import { PROJECT_ROOT } from "../scripts/lib/postgres";
import { createTestDatabase, type TestDatabase } from "../scripts/lib/test-database";
import { freePort, startServer, stopServer, waitForHealth } from "./next-server";
import { environmentLine, fmt, onInterrupt, selectBenchServer, summarize, table } from "./stats";

const CHANGES = Number(process.env.BENCH_CHANGES ?? 200);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);
const PAUSE_MS = Number(process.env.BENCH_PAUSE_MS ?? 20);
const EMAIL = "bench@backout.local";
const PASSWORD = "bench-password-1";
const BARE_CHANNEL = "bench_bare";

/** Epoch milliseconds with sub-millisecond resolution (the browser stamps arrivals the same way). */
const clock = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return execFileSync("which", ["chromium"], { encoding: "utf8" }).trim();
}

/** Resolves when `check` returns a value, polling every millisecond-ish; rejects after `ms`. */
function waitUntil<T>(what: string, check: () => T | undefined, ms = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + ms;
    const tick = () => {
      const v = check();
      if (v !== undefined) resolve(v);
      else if (Date.now() > deadline) reject(new Error(`timed out waiting for ${what}`));
      else setImmediate(tick);
    };
    tick();
  });
}

async function main() {
  if (!existsSync(path.join(PROJECT_ROOT, ".next", "BUILD_ID"))) {
    console.error("No production build in .next (BUILD_ID is missing): run `npm run build` first.");
    process.exit(1);
  }
  selectBenchServer();

  let db: TestDatabase | undefined;
  let prisma: Db | undefined;
  let server: ReturnType<typeof startServer> | undefined;
  let browser: Browser | undefined;
  const bare: pg.Client[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanUp = (): Promise<void> => {
    cleaning ??= (async () => {
      await browser?.close().catch(() => {});
      if (server) await stopServer(server.child).catch(() => {});
      for (const c of bare) await c.end().catch(() => {});
      await prisma?.$disconnect().catch(() => {});
      if (process.env.BENCH_KEEP_DB) process.env.BACKOUT_KEEP_TEST_DB = "1";
      await db?.drop().catch((e) => console.error(`could not drop ${db?.name}: ${e}`));
    })();
    return cleaning;
  };
  onInterrupt(cleanUp);

  try {
    db = await createTestDatabase("bench_live");
    console.log(`database ${db.name}`);
    prisma = createPrismaClient(db.url);
    const version = (await prisma.$queryRaw<{ v: string }[]>`SELECT current_setting('server_version') AS v`)[0]?.v ?? "?";
    const user = await prisma.user.create({
      data: { email: EMAIL, name: "Bench Viewer", role: "VIEWER", passwordHash: await hashPassword(PASSWORD) },
    });
    const service = await prisma.service.create({ data: { slug: "bench-live", name: "bench-live" } });
    const incident = await prisma.incident.create({
      data: {
        title: "Live latency benchmark",
        serviceId: service.id,
        badVersion: "v2",
        previousVersion: "v1",
        severity: "SEV3",
        deployedAt: new Date(Date.now() - 600_000),
        detectedAt: new Date(Date.now() - 300_000),
      },
    });

    const port = await freePort();
    server = startServer(port, db.url);
    const readyMs = await waitForHealth(port, server.child, 60_000);
    console.log(`next start (pid ${server.child.pid}) on port ${port}, healthy after ${fmt(readyMs, 0)} ms`);

    browser = await chromium.launch({
      executablePath: chromiumPath(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    const page = await (await browser.newContext()).newPage();
    const base = `http://127.0.0.1:${port}`;
    await page.goto(`${base}/sign-in`);
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/incidents$/);
    // A light same-origin page (no React app running beside the measurement), then the stream.
    await page.goto(`${base}/api/health`);

    // The page's clock against ours: both are epoch milliseconds, but each process anchors its
    // performance.timeOrigin once, so they may differ by a little. Estimated from the quickest of
    // 30 round trips (offset = page time − midpoint of ours), and taken off every arrival.
    let best = { rtt: Number.POSITIVE_INFINITY, offset: 0 };
    for (let i = 0; i < 30; i++) {
      const before = clock();
      const pageNow = await page.evaluate(() => performance.timeOrigin + performance.now());
      const after = clock();
      if (after - before < best.rtt) best = { rtt: after - before, offset: pageNow - (before + after) / 2 };
    }
    const clockOffset = best.offset;
    console.log(`page clock − bench clock: ${fmt(clockOffset, 2)} ms (± ${fmt(best.rtt / 2, 2)} ms)`);

    // Arrivals: the page stamps each benchmark event and tells us through an exposed function.
    const arrivals = new Map<number, number>();
    await page.exposeFunction("benchArrived", (n: number, at: number) => {
      arrivals.set(n, at - clockOffset);
    });
    await page.evaluate((number) => {
      const w = window as unknown as { benchArrived: (n: number, at: number) => void; benchOpen?: boolean };
      const es = new EventSource(`/api/incidents/${number}/stream`);
      es.addEventListener("open", () => {
        w.benchOpen = true;
      });
      es.addEventListener("checklist", (ev) => {
        const at = performance.timeOrigin + performance.now();
        const n = (JSON.parse((ev as MessageEvent<string>).data).payload as { bench: number }).bench;
        w.benchArrived(n, at);
      });
    }, incident.number);
    await page.waitForFunction(() => (window as unknown as { benchOpen?: boolean }).benchOpen === true);

    // The bare round trip: one connection notifies, another listens.
    const listener = new pg.Client({ connectionString: db.url });
    const notifier = new pg.Client({ connectionString: db.url });
    bare.push(listener, notifier);
    await Promise.all([listener.connect(), notifier.connect()]);
    await listener.query(`LISTEN ${BARE_CHANNEL}`);
    const bareArrivals = new Map<number, number>();
    listener.on("notification", (msg) => {
      if (msg.channel === BARE_CHANNEL) bareArrivals.set(Number(msg.payload), clock());
    });

    const app = { fromCommit: [] as number[], fromStart: [] as number[] };
    const bareMs: number[] = [];
    const client = prisma;
    const oneApp = async (n: number, record: boolean) => {
      const start = clock();
      await client.$transaction((tx) => publishLive(tx, incident.id, "checklist", { bench: n }, user.id));
      const committed = clock();
      const at = await waitUntil(`change ${n} in the browser`, () => arrivals.get(n));
      if (record) {
        app.fromCommit.push(at - committed);
        app.fromStart.push(at - start);
      }
    };
    const oneBare = async (n: number, record: boolean) => {
      const start = clock();
      await notifier.query("SELECT pg_notify($1, $2)", [BARE_CHANNEL, String(n)]);
      const at = await waitUntil(`bare notification ${n}`, () => bareArrivals.get(n));
      if (record) bareMs.push(at - start);
    };

    console.log(`warming up (${WARMUP} of each)…`);
    for (let i = 0; i < WARMUP; i++) {
      await oneApp(-1 - i, false);
      await oneBare(-1 - i, false);
      await sleep(PAUSE_MS);
    }
    const loadBefore = loadavg();
    const t0 = Date.now();
    for (let i = 0; i < CHANGES; i++) {
      // Alternate which goes first so that neither always follows the other's wake-up.
      if (i % 2 === 0) {
        await oneApp(i, true);
        await oneBare(i, true);
      } else {
        await oneBare(i, true);
        await oneApp(i, true);
      }
      await sleep(PAUSE_MS);
      if ((i + 1) % 50 === 0) console.log(`  ${i + 1}/${CHANGES}, load ${loadavg()[0]?.toFixed(1)}`);
    }
    const seconds = (Date.now() - t0) / 1000;
    const loadAfter = loadavg();

    const rows = [
      ["app: commit → browser (EventSource)", summarize(app.fromCommit)],
      ["app: transaction start → browser", summarize(app.fromStart)],
      ["bare: pg_notify → pg listener", summarize(bareMs)],
    ] as const;
    console.log("");
    console.log(`environment: ${environmentLine(`PostgreSQL ${version}`)}`);
    console.log(
      `${CHANGES} changes of each kind in ${fmt(seconds, 0)} s, one at a time, ${PAUSE_MS} ms apart; load average before ${loadBefore.map((l) => l.toFixed(1)).join(" / ")}, after ${loadAfter.map((l) => l.toFixed(1)).join(" / ")}`,
    );
    console.log(`browser timestamps corrected by the page clock's offset, ${fmt(clockOffset, 2)} ms (± ${fmt(best.rtt / 2, 2)} ms)`);
    console.log("");
    console.log(
      table(
        ["path", "n", "min ms", "p50 ms", "p95 ms", "max ms", "mean ms"],
        rows.map(([name, s]) => [name, String(s.n), fmt(s.min, 2), fmt(s.median, 2), fmt(s.p95, 2), fmt(s.max, 2), fmt(s.mean, 2)]),
      ),
    );
    const appS = rows[0][1];
    const bareS = rows[2][1];
    console.log("");
    console.log(
      `ratio app (from commit) / bare: p50 ${fmt(appS.median / bareS.median, 1)}×, p95 ${fmt(appS.p95 / bareS.p95, 1)}×; issue #6 asks for "within a second": p95 ${fmt(appS.p95, 1)} ms → ${appS.p95 < 1000 ? "MET" : "NOT MET"}`,
    );
  } catch (e) {
    if (server) console.error(`--- last output of next start ---\n${server.output()}`);
    throw e;
  } finally {
    await cleanUp();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
