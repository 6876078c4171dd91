// The per-minute, 5-minute and hour rollups of the built-in store against real samples: the triggers keep them
// equal to the aggregate of MetricSample through inserts, re-sent samples (ON CONFLICT), retries and
// deletes; 7-day and 24 h charts read from them equal the charts of the raw samples; verdicts still read raw.
import pg from "pg";
import { describe, expect, it } from "vitest";
import type { MetricKind } from "@/generated/prisma/enums";
import { getDb } from "@/lib/db";
import { makeService } from "@/lib/testing/factories";
import { BuiltinProvider } from "./builtin";
import { loadChartSeries, loadMetricWindows, serviceForMetricsSelect } from "./incident-metrics";
import { storeSamples } from "./ingest";
import { lttb } from "./lttb";
import { chartResolution, pointBudget } from "./ranges";
import { generateIngestToken } from "./tokens";
import { METRIC_KINDS } from "./types";

const DAY = 86_400_000;
const db = () => getDb();

type Bucket = { metric: string; bucket: number; sum: number; count: number };

const LEVELS = [
  { table: '"MetricRollupMinute"', seconds: 60 },
  { table: '"MetricRollupFiveMinute"', seconds: 300 },
  { table: '"MetricRollupHour"', seconds: 3600 },
] as const;

/** The rollup as stored, and the same aggregate computed from the raw samples now (epoch arithmetic, not date_bin). */
async function rollupAndRaw(serviceId: string, level: (typeof LEVELS)[number]) {
  const stored = await db().$queryRawUnsafe<Bucket[]>(
    `SELECT metric::text, date_part('epoch', bucket) * 1000 AS bucket, sum, count FROM ${level.table} WHERE "serviceId" = $1 ORDER BY 1, 2`,
    serviceId,
  );
  const raw = await db().$queryRawUnsafe<Bucket[]>(
    `SELECT metric::text, floor(date_part('epoch', ts) / ${level.seconds}) * ${level.seconds} * 1000 AS bucket, sum(value) AS sum, count(*)::int AS count
     FROM "MetricSample" WHERE "serviceId" = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
    serviceId,
  );
  return { stored, raw };
}

/**
 * Element by element to `digits` significant decimals (relative to the value, at least 1): float8 sums added in
 * another order are equal only to rounding, and a sum of 300,000 has fewer decimals to spare than one of 3.
 */
function expectClose(actual: number[], expected: number[], digits = 9) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const e = expected[i] as number;
    expect(Math.abs((actual[i] as number) - e)).toBeLessThanOrEqual(10 ** -digits * Math.max(1, Math.abs(e)));
  }
}

function expectSameAggregate(stored: Bucket[], raw: Bucket[]) {
  expect(stored.map(({ metric, bucket, count }) => ({ metric, bucket, count }))).toEqual(
    raw.map(({ metric, bucket, count }) => ({ metric, bucket, count })),
  );
  // Sums are float8 added in another order (and adjusted by new − old on a re-send): equal to rounding.
  expectClose(
    stored.map((b) => b.sum),
    raw.map((b) => b.sum),
  );
}

describe("metric rollups", () => {
  it("equal the aggregate of the raw samples through inserts, re-sent samples, retried batches and deletes", async () => {
    const { id } = await makeService();
    const { hash, prefix } = generateIngestToken();
    const token = await db().ingestionToken.create({ data: { serviceId: id, name: "rollup test", tokenHash: hash, prefix } });
    const base = Math.floor((Date.now() - 3 * 3600_000) / 3600_000) * 3600_000;
    const batch = Array.from({ length: 400 }, (_, i) => ({
      metric: METRIC_KINDS[i % 3] as MetricKind,
      ts: new Date(base + Math.floor(i / 3) * 17_000 + 123),
      value: 1 + ((i * 7919) % 101) / 10,
    }));
    await storeSamples({ serviceId: id, tokenId: token.id, lastUsedAt: null }, batch);
    // A retry of the same batch, and a batch re-sending half of it with new values plus fresh samples.
    await storeSamples({ serviceId: id, tokenId: token.id, lastUsedAt: null }, batch);
    await storeSamples({ serviceId: id, tokenId: token.id, lastUsedAt: null }, [
      ...batch.slice(0, 200).map((s) => ({ ...s, value: s.value * 3 })),
      ...batch.slice(0, 50).map((s) => ({ ...s, ts: new Date(s.ts.getTime() + 1), value: 2 })),
    ]);
    for (const level of LEVELS) {
      const { stored, raw } = await rollupAndRaw(id, level);
      expect(raw.reduce((n, b) => n + b.count, 0)).toBe(450);
      expectSameAggregate(stored, raw);
    }
    // Deleting samples (as retention does) takes them out; an emptied bucket disappears.
    await db().metricSample.deleteMany({ where: { serviceId: id, ts: { lt: new Date(base + 3600_000) } } });
    for (const level of LEVELS) {
      const { stored, raw } = await rollupAndRaw(id, level);
      expect(stored.every((b) => b.bucket >= base + 3600_000)).toBe(true);
      expectSameAggregate(stored, raw);
    }
    // A rolled-back batch leaves no trace in the rollup.
    await expect(
      db().$transaction(async (tx) => {
        await tx.metricSample.create({ data: { serviceId: id, metric: "ERROR_RATE", ts: new Date(base + 5 * 3600_000), value: 1 } });
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    const { stored, raw } = await rollupAndRaw(id, LEVELS[0]);
    expectSameAggregate(stored, raw);
  });

  it("equal the raw aggregate for random batches with late samples, duplicates in and across batches, by COPY and by upsert", async () => {
    const { id } = await makeService();
    const { hash, prefix } = generateIngestToken();
    const token = await db().ingestionToken.create({ data: { serviceId: id, name: "random rollup test", tokenHash: hash, prefix } });
    const owner = { serviceId: id, tokenId: token.id, lastUsedAt: null };
    // A seeded generator: a failure can be replayed.
    let seed = 19;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const base = Math.floor((Date.now() - 6 * 3600_000) / 3600_000) * 3600_000;
    const sent: { metric: MetricKind; ts: Date; value: number }[] = [];
    for (let round = 0; round < 12; round++) {
      // Mostly the next few minutes, some late (an hour or more back, into buckets already written), some
      // re-sent from earlier batches with a new value, and duplicates inside the batch (the last one wins).
      const size = round % 3 === 2 ? 40 : 300 + Math.floor(random() * 900);
      const batch = Array.from({ length: size }, () => {
        const r = random();
        if (r < 0.1 && sent.length > 0) return { ...(sent[Math.floor(random() * sent.length)] as (typeof sent)[number]), value: random() };
        const late = r < 0.25 ? -Math.floor(random() * 3 * 3600_000) : 0;
        return {
          metric: METRIC_KINDS[Math.floor(random() * METRIC_KINDS.length)] as MetricKind,
          ts: new Date(base + 3 * 3600_000 + round * 120_000 + late + Math.floor(random() * 120_000)),
          value: Math.round(random() * 1e6) / 1e3,
        };
      });
      if (round % 4 === 1) batch.push({ ...(batch[0] as (typeof batch)[number]), value: 0.25 });
      await storeSamples(owner, batch);
      sent.push(...batch);
    }
    for (const level of LEVELS) {
      const { stored, raw } = await rollupAndRaw(id, level);
      expect(raw.length).toBeGreaterThan(level.seconds === 3600 ? 3 : 20);
      expectSameAggregate(stored, raw);
    }
    // Retention of the oldest hours, then everything: the rollups follow down to nothing.
    await db().metricSample.deleteMany({ where: { serviceId: id, ts: { lt: new Date(base + 2 * 3600_000) } } });
    for (const level of LEVELS) {
      const { stored, raw } = await rollupAndRaw(id, level);
      expectSameAggregate(stored, raw);
    }
    await db().metricSample.deleteMany({ where: { serviceId: id } });
    for (const level of LEVELS) expect((await rollupAndRaw(id, level)).stored).toEqual([]);
  });

  it("a sample needs an existing service (checked per statement, as the foreign key did per row); deleting a service deletes its samples", async () => {
    const { id } = await makeService();
    const { id: other } = await makeService();
    const ts = new Date(Date.now() - 3600_000);
    // Unknown service, alone or in a statement with a known one: refused with the foreign key's SQLSTATE, nothing stored.
    for (const ids of [["no-such-service"], [id, "no-such-service"]])
      await expect(
        db().$executeRawUnsafe(
          `INSERT INTO "MetricSample" ("serviceId", metric, ts, value) SELECT s, 'ERROR_RATE', $2::timestamptz, 0.1 FROM unnest($1::text[]) AS s`,
          ids,
          ts,
        ),
      ).rejects.toThrow(/23503|foreign key/);
    expect(await db().metricSample.count({ where: { serviceId: { in: [id, "no-such-service"] } } })).toBe(0);
    // Moving a sample to an unknown service is refused too.
    await db().metricSample.create({ data: { serviceId: id, metric: "ERROR_RATE", ts, value: 0.1 } });
    await expect(db().$executeRaw`UPDATE "MetricSample" SET "serviceId" = 'no-such-service' WHERE "serviceId" = ${id}`).rejects.toThrow(
      /23503|foreign key/,
    );
    // A service's id cannot change under its samples.
    await expect(db().$executeRaw`UPDATE "Service" SET id = 'renamed' WHERE id = ${id}`).rejects.toThrow(/23503|foreign key/);

    // A batch in flight holds its service: a concurrent delete of the service waits for it, then deletes the
    // batch's samples and rollups with the service (ON DELETE CASCADE, the other service untouched).
    await db().metricSample.create({ data: { serviceId: other, metric: "ERROR_RATE", ts, value: 0.2 } });
    const writer = new pg.Client({ connectionString: process.env.DATABASE_URL });
    const deleter = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await writer.connect();
    await deleter.connect();
    try {
      await writer.query("BEGIN");
      await writer.query(
        `INSERT INTO "MetricSample" ("serviceId", metric, ts, value) SELECT $1, 'LATENCY_P50', $2::timestamptz + g * interval '1 s', g FROM generate_series(1, 200) g`,
        [id, ts],
      );
      let deleted = false;
      const deleting = deleter.query(`DELETE FROM "Service" WHERE id = $1`, [id]).then(() => {
        deleted = true;
      });
      // The delete is blocked on the batch's lock (seen from the server, not by waiting a while).
      await expect
        .poll(async () => (await writer.query(`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted`)).rows[0].n, { timeout: 10_000 })
        .toBeGreaterThan(0);
      expect(deleted).toBe(false);
      await writer.query("COMMIT");
      await deleting;
    } finally {
      await writer.end();
      await deleter.end();
    }
    expect(await db().metricSample.count({ where: { serviceId: id } })).toBe(0);
    for (const level of LEVELS) expect((await rollupAndRaw(id, level)).stored).toEqual([]);
    expect(await db().metricSample.count({ where: { serviceId: other } })).toBe(1);
    const { stored, raw } = await rollupAndRaw(other, LEVELS[0]);
    expectSameAggregate(stored, raw);
    // And a sample for the deleted service is refused from now on.
    await expect(db().metricSample.create({ data: { serviceId: id, metric: "ERROR_RATE", ts, value: 0.1 } })).rejects.toThrow();
  });

  it("7-day and 24 h charts read from the rollups equal the charts of the raw samples; shorter charts and verdicts read raw samples", async () => {
    const { id } = await makeService();
    const service = await db().service.findUniqueOrThrow({ where: { id }, select: serviceForMetricsSelect });
    const now = Date.now();
    // 7 days and a bit of samples every 20 s (three per minute, at irregular seconds) for all six metrics.
    await db().$executeRaw`
      INSERT INTO "MetricSample" ("serviceId", metric, ts, value)
      SELECT ${id}, m, t, 100 + 50 * sin(extract(epoch FROM t) / 5000 + ord) + (extract(epoch FROM t)::bigint % 7)
      FROM unnest(enum_range(NULL::"MetricKind")) WITH ORDINALITY AS k(m, ord),
           generate_series(to_timestamp(${(now - 7 * DAY - 3600_000) / 1000}) + interval '7.25 s', to_timestamp(${now / 1000}), interval '20 s') AS t`;

    const provider = new BuiltinProvider(id);
    // The app's 7-day chart (one 5-minute bucket per point), a narrow one (three buckets per point, grouped),
    // a 2-day one and a 24 h one (minutes).
    const cases = [
      { days: 7, width: 1000, rollup: "fiveMinutes", step: 300 },
      { days: 7, width: 300, rollup: "fiveMinutes", step: 900 },
      { days: 2, width: 1000, rollup: "minute", step: 60 },
      { days: 1, width: 1000, rollup: "minute", step: 60 },
    ] as const;
    for (const c of cases) {
      const range = { from: now - c.days * DAY, to: now };
      const budget = pointBudget(c.width);
      const { stepSeconds, rollup } = chartResolution(range.to - range.from, budget, 5);
      expect({ rollup, stepSeconds }).toEqual({ rollup: c.rollup, stepSeconds: c.step });
      const chart = await loadChartSeries(service, range, c.width);
      expect(chart.error).toBeNull();
      // The raw samples, bucketed the same way (whole steps from the epoch, starting at the first one in range).
      const first = Math.ceil(range.from / (stepSeconds * 1000)) * stepSeconds * 1000;
      const raw = await provider.queryRange({ metrics: METRIC_KINDS, from: new Date(first), to: new Date(now), stepSeconds });
      const fromRollup = await provider.queryRange({
        metrics: METRIC_KINDS,
        from: new Date(range.from),
        to: new Date(now),
        stepSeconds,
        rollup: rollup ?? undefined,
      });
      for (const metric of METRIC_KINDS) {
        const r = raw.find((s) => s.metric === metric)!.points;
        const u = fromRollup.find((s) => s.metric === metric)!.points;
        expect(r.length).toBeGreaterThan((0.9 * (range.to - range.from)) / (stepSeconds * 1000));
        // Bucket means: the same buckets, the same means (to float rounding).
        expect(u.map((p) => p.t)).toEqual(r.map((p) => p.t));
        expectClose(
          u.map((p) => p.v),
          r.map((p) => p.v),
        );
        // The chart (LTTB of those buckets) picks the same points.
        const drawn = chart.series[metric]!;
        expect(drawn.map((p) => p.t)).toEqual(lttb(r, budget).map((p) => p.t));
        expectClose(
          drawn.map((p) => p.v),
          lttb(r, budget).map((p) => p.v),
        );
      }
    }

    // The 7-day and 24 h charts really read their rollups, and nothing else does: doubling a rollup's sums
    // doubles its chart, while the 6 h chart and the verdicts (raw samples) stay as they were.
    const sixHours = { from: now - 6 * 3600_000, to: now };
    const sixHoursBefore = await loadChartSeries(service, sixHours, 1000);
    const windowsBefore = await loadMetricWindows(service, new Date(now - 2 * 3600_000), now);
    const sampleCount = await db().metricSample.count({ where: { serviceId: id } });
    for (const { days, table } of [
      { days: 7, table: '"MetricRollupFiveMinute"' },
      { days: 1, table: '"MetricRollupMinute"' },
    ]) {
      const range = { from: now - days * DAY, to: now };
      const chart = await loadChartSeries(service, range, 1000);
      await db().$executeRawUnsafe(`UPDATE ${table} SET sum = sum * 2 WHERE "serviceId" = $1`, id);
      const doubled = await loadChartSeries(service, range, 1000);
      for (const metric of METRIC_KINDS)
        expectClose(
          doubled.series[metric]!.map((p) => p.v),
          chart.series[metric]!.map((p) => 2 * p.v),
          6,
        );
    }
    expect(await db().metricSample.count({ where: { serviceId: id } })).toBe(sampleCount);
    expect(await loadChartSeries(service, sixHours, 1000)).toEqual(sixHoursBefore);
    expect(await loadMetricWindows(service, new Date(now - 2 * 3600_000), now)).toEqual(windowsBefore);
  });
});
