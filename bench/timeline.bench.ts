// Benchmark 5: an incident with a 5,000-entry timeline opens its first screen.
//
//   npx tsx --conditions=react-server bench/timeline.bench.ts
//
// Creates its own database (createTestDatabase, on DATABASE_URL's server), one incident with
// BENCH_EVENTS (5,000) timeline entries of every category (200 steps' start and end, notes,
// stars, checklist, decisions, documents, action items) and one incident with a single entry, then measures,
// interleaved round by round so that machine noise hits every case alike:
//   (a) the app's read of the first screen, in-process: what lib/timeline/view.ts runs — the first
//       page (50 entries, keyset), the filter counts and the milestones — on the 5,000-entry incident;
//   (b) the baseline in the same run: the whole timeline as the page read it before (every entry
//       with its actor, oldest first), mapped to entries as the export does;
//   (c) the incident page over HTTP from `next start` (the build that is there), signed in: the
//       time to the last byte of the HTML, which is server time on loopback;
//   (d) the same page for the incident with one entry: the ratio (c)/(d) is what 5,000 entries cost.
// The target is (c) p95 < 300 ms. The database is dropped at the end, also on failure.
//
// Knobs: BENCH_EVENTS (5000), BENCH_ITERATIONS (30), BENCH_WARMUP (5), BENCH_PORT, BENCH_KEEP_DB=1.
import { existsSync } from "node:fs";
import path from "node:path";
import type { TimelineKind } from "@/generated/prisma/enums";
import { hashPassword } from "@/lib/auth/password";
import { getDb } from "@/lib/db";
import { getMilestones, getTimelineCounts, getTimelinePage, getWholeTimeline } from "@/lib/timeline/queries";
import { parseTimelineQuery } from "@/lib/timeline/schemas";
import { PROJECT_ROOT } from "../scripts/lib/postgres";
import { createTestDatabase, type TestDatabase } from "../scripts/lib/test-database";
import { freePort, startServer, stopServer, waitForHealth } from "./next-server";
import { environmentLine, fmt, median, now, onInterrupt, selectBenchServer, summarize, table } from "./stats";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 5000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 30);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
const TARGET_P95_MS = 300;
const PASSWORD = "bench-timeline-password";

const MIX: TimelineKind[] = [
  "NOTE",
  "CHECKLIST_ITEM_UPDATED",
  "INCIDENT_UPDATED",
  "IMPACT_UPDATED",
  "DECISION_PROPOSED",
  "EVIDENCE_FROZEN",
  "DOCUMENT_UPDATED",
  "ACTION_ITEM_ADDED",
];

async function main() {
  selectBenchServer();
  if (!existsSync(path.join(PROJECT_ROOT, ".next/BUILD_ID"))) {
    console.error("run `npm run build` first: this benchmark measures the production build and never builds one");
    process.exit(1);
  }
  let db: TestDatabase | undefined;
  let server: ReturnType<typeof startServer> | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanUp = () => {
    cleaning ??= (async () => {
      if (server) await stopServer(server.child);
      await getDb()
        .$disconnect()
        .catch(() => {});
      if (process.env.BENCH_KEEP_DB) process.env.BACKOUT_KEEP_TEST_DB = "1";
      await db?.drop();
    })();
    return cleaning;
  };
  onInterrupt(cleanUp);

  try {
    db = await createTestDatabase("bench_timeline");
    console.log(`database ${db.name}`);
    process.env.DATABASE_URL = db.url;
    const client = getDb();
    const version = (await client.$queryRaw<{ v: string }[]>`SELECT current_setting('server_version') AS v`)[0]?.v ?? "?";
    const reader = await client.user.create({
      data: { email: "reader@backout.local", name: "Bench Reader", role: "RESPONDER", passwordHash: await hashPassword(PASSWORD) },
    });
    const service = await client.service.create({ data: { slug: "bench-timeline", name: "bench-timeline" } });
    const makeIncident = (title: string) =>
      client.incident.create({
        data: {
          title,
          serviceId: service.id,
          badVersion: "v2",
          previousVersion: "v1",
          severity: "SEV2",
          deployedAt: new Date(Date.now() - 26 * 3_600_000),
          detectedAt: new Date(Date.now() - 25 * 3_600_000),
          declaredById: reader.id,
        },
      });
    const big = await makeIncident(`Timeline benchmark: ${EVENTS} entries`);
    const small = await makeIncident("Timeline benchmark: one entry");

    // 200 steps' start and end entries (their executions are looked up by id, as the page does;
    // the ids name no rows here, which costs the same lookup), the rest of every other kind, one
    // entry every 17 s over a day, a few starred.
    const t0 = Date.now() - 24 * 3_600_000;
    const rows: Parameters<typeof client.timelineEvent.createMany>[0]["data"] = [];
    for (let i = 0; i < EVENTS; i++) {
      const at = new Date(t0 + i * 17_000);
      const stepPair = i < 400;
      const kind: TimelineKind = stepPair
        ? i % 2 === 0
          ? "STEP_STARTED"
          : i % 20 === 19
            ? "STEP_FAILED"
            : "STEP_SUCCEEDED"
        : (MIX[i % MIX.length] as TimelineKind);
      const executionId = stepPair ? `bench-exec-${Math.floor(i / 2)}` : undefined;
      rows.push({
        incidentId: big.id,
        at,
        recordedAt: at,
        kind,
        source: i % 3 === 0 ? "SYSTEM" : "USER",
        actorId: i % 3 === 0 ? null : reader.id,
        message: `Entry ${i}: ${kind.toLowerCase().replaceAll("_", " ")} — a line of text about what happened, as long as a real one`,
        payload: executionId ? { executionId, stepId: `bench-step-${Math.floor(i / 2)}` } : {},
        starredAt: i % 250 === 0 ? at : null,
      });
    }
    for (let i = 0; i < rows.length; i += 1000) await client.timelineEvent.createMany({ data: rows.slice(i, i + 1000) });
    await client.timelineEvent.create({
      data: { incidentId: small.id, kind: "INCIDENT_DECLARED", source: "USER", actorId: reader.id, message: "declared" },
    });
    console.log(`incident INC-${big.number}: ${EVENTS} entries; INC-${small.number}: 1 entry`);
    await client.$executeRawUnsafe('VACUUM ANALYZE "TimelineEvent"');

    const port = process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) : await freePort();
    server = startServer(port, db.url);
    const readyMs = await waitForHealth(port, server.child, 60_000);
    const base = `http://127.0.0.1:${port}`;
    console.log(`next start (pid ${server.child.pid}) on port ${port}, healthy after ${fmt(readyMs, 0)} ms`);
    const cookie = await signIn(base, reader.email);

    console.log(
      `HTML: ${await page(base, big.number, cookie)} characters with ${EVENTS} entries, ${await page(base, small.number, cookie)} with 1`,
    );
    const query = parseTimelineQuery({});
    const cases = {
      "(a) first screen, in-process": async () => {
        const [first] = await Promise.all([getTimelinePage(big.id, big.number, query), getTimelineCounts(big.id), getMilestones(big.id)]);
        if (first.entries.length !== 50) throw new Error(`first screen has ${first.entries.length} entries`);
      },
      "(b) baseline: whole timeline, in-process": async () => {
        const all = await getWholeTimeline(big.id, big.number);
        if (all.length !== EVENTS) throw new Error(`whole timeline has ${all.length} entries`);
      },
      [`(c) page, ${EVENTS} entries, HTTP`]: () => page(base, big.number, cookie),
      "(d) page, 1 entry, HTTP": () => page(base, small.number, cookie),
    } as Record<string, () => Promise<unknown>>;

    const samples = new Map<string, number[]>(Object.keys(cases).map((k) => [k, []]));
    for (let round = 0; round < WARMUP + ITERATIONS; round++) {
      for (const [name, fn] of Object.entries(cases)) {
        const start = now();
        await fn();
        if (round >= WARMUP) samples.get(name)?.push(now() - start);
      }
    }
    const s = Object.fromEntries([...samples].map(([k, v]) => [k, summarize(v)]));
    const names = Object.keys(cases);
    console.log(
      `\n${table(
        ["case", "n", "min ms", "median ms", "p95 ms", "max ms"],
        names.map((n) => [
          n,
          String(s[n]?.n),
          fmt(s[n]?.min ?? Number.NaN),
          fmt(s[n]?.median ?? Number.NaN),
          fmt(s[n]?.p95 ?? Number.NaN),
          fmt(s[n]?.max ?? Number.NaN),
        ]),
      )}`,
    );
    const [a, b, c, d] = names.map((n) => median(samples.get(n) ?? []));
    console.log(
      `\nratios of medians: (b)/(a) = ${fmt((b as number) / (a as number), 1)}×, (c)/(d) = ${fmt((c as number) / (d as number), 2)}×`,
    );
    const pageP95 = s[names[2] as string]?.p95 ?? Number.NaN;
    console.log(`target: page p95 < ${TARGET_P95_MS} ms — ${pageP95 < TARGET_P95_MS ? "met" : "NOT met"} (${fmt(pageP95)} ms)`);
    console.log(`environment: ${environmentLine(`PostgreSQL ${version}`)}`);
  } finally {
    await cleanUp();
  }
}

/** A session cookie, by the credentials sign-in (the form's own endpoint). */
async function signIn(base: string, email: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const jar = csrf.headers.getSetCookie().map((c) => c.split(";")[0]);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; ") },
    body: new URLSearchParams({ email, password: PASSWORD, csrfToken, callbackUrl: `${base}/incidents` }),
  });
  const all = [...jar, ...res.headers.getSetCookie().map((c) => c.split(";")[0])];
  const cookie = all.filter((c) => c && !c.endsWith("=")).join("; ");
  if (!/session-token=/.test(cookie)) throw new Error(`sign-in failed (${res.status})`);
  return `${cookie}; backout-tz=America/New_York`;
}

async function page(base: string, number: number, cookie: string): Promise<number> {
  const res = await fetch(`${base}/incidents/${number}`, { headers: { cookie, accept: "text/html" } });
  const html = await res.text();
  if (res.status !== 200 || !html.includes("Incident timeline")) throw new Error(`INC-${number} answered ${res.status}`);
  return html.length;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
