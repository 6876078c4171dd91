-- A 5-minute level between the minute and the hour: the 7-day chart wants a 303 s step, and reading
-- 2,016 five-minute buckets per series is about five times cheaper than 10,080 minutes
-- (bench/README.md). Maintained by the same statement-level triggers as the other two levels
-- (migration 20261205215721_metric_rollups), whose functions now write all three.

-- CreateTable
CREATE TABLE "MetricRollupFiveMinute" (
    "serviceId" TEXT NOT NULL,
    "metric" "MetricKind" NOT NULL,
    "bucket" TIMESTAMPTZ(6) NOT NULL,
    "sum" DOUBLE PRECISION NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "MetricRollupFiveMinute_pkey" PRIMARY KEY ("serviceId","metric","bucket")
);

-- CreateIndex
CREATE INDEX "MetricRollupFiveMinute_chart_covering_idx" ON "MetricRollupFiveMinute"("serviceId", "metric", "bucket", "sum", "count");

-- AddForeignKey
ALTER TABLE "MetricRollupFiveMinute" ADD CONSTRAINT "MetricRollupFiveMinute_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE OR REPLACE FUNCTION "metric_rollup_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "MetricRollupMinute" AS r ("serviceId", metric, bucket, sum, count)
  SELECT "serviceId", metric, date_bin('1 minute', ts, '2000-01-01 00:00:00+00'), sum(value), count(*)
  FROM new_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT ("serviceId", metric, bucket) DO UPDATE SET sum = r.sum + EXCLUDED.sum, count = r.count + EXCLUDED.count;
  INSERT INTO "MetricRollupFiveMinute" AS r ("serviceId", metric, bucket, sum, count)
  SELECT "serviceId", metric, date_bin('5 minutes', ts, '2000-01-01 00:00:00+00'), sum(value), count(*)
  FROM new_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT ("serviceId", metric, bucket) DO UPDATE SET sum = r.sum + EXCLUDED.sum, count = r.count + EXCLUDED.count;
  INSERT INTO "MetricRollupHour" AS r ("serviceId", metric, bucket, sum, count)
  SELECT "serviceId", metric, date_bin('1 hour', ts, '2000-01-01 00:00:00+00'), sum(value), count(*)
  FROM new_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT ("serviceId", metric, bucket) DO UPDATE SET sum = r.sum + EXCLUDED.sum, count = r.count + EXCLUDED.count;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION "metric_rollup_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "MetricRollupMinute" AS r ("serviceId", metric, bucket, sum, count)
  SELECT "serviceId", metric, date_bin('1 minute', ts, '2000-01-01 00:00:00+00'), sum(v), sum(n)
  FROM (SELECT "serviceId", metric, ts, value AS v, 1 AS n FROM new_rows
        UNION ALL SELECT "serviceId", metric, ts, -value, -1 FROM old_rows) AS d
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT ("serviceId", metric, bucket) DO UPDATE SET sum = r.sum + EXCLUDED.sum, count = r.count + EXCLUDED.count;
  INSERT INTO "MetricRollupFiveMinute" AS r ("serviceId", metric, bucket, sum, count)
  SELECT "serviceId", metric, date_bin('5 minutes', ts, '2000-01-01 00:00:00+00'), sum(v), sum(n)
  FROM (SELECT "serviceId", metric, ts, value AS v, 1 AS n FROM new_rows
        UNION ALL SELECT "serviceId", metric, ts, -value, -1 FROM old_rows) AS d
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT ("serviceId", metric, bucket) DO UPDATE SET sum = r.sum + EXCLUDED.sum, count = r.count + EXCLUDED.count;
  INSERT INTO "MetricRollupHour" AS r ("serviceId", metric, bucket, sum, count)
  SELECT "serviceId", metric, date_bin('1 hour', ts, '2000-01-01 00:00:00+00'), sum(v), sum(n)
  FROM (SELECT "serviceId", metric, ts, value AS v, 1 AS n FROM new_rows
        UNION ALL SELECT "serviceId", metric, ts, -value, -1 FROM old_rows) AS d
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT ("serviceId", metric, bucket) DO UPDATE SET sum = r.sum + EXCLUDED.sum, count = r.count + EXCLUDED.count;
  -- An update that moved a sample's key (never done by the app) may empty a bucket.
  DELETE FROM "MetricRollupMinute" r
  USING (SELECT DISTINCT "serviceId", metric, date_bin('1 minute', ts, '2000-01-01 00:00:00+00') AS bucket FROM old_rows) AS d
  WHERE r."serviceId" = d."serviceId" AND r.metric = d.metric AND r.bucket = d.bucket AND r.count <= 0;
  DELETE FROM "MetricRollupFiveMinute" r
  USING (SELECT DISTINCT "serviceId", metric, date_bin('5 minutes', ts, '2000-01-01 00:00:00+00') AS bucket FROM old_rows) AS d
  WHERE r."serviceId" = d."serviceId" AND r.metric = d.metric AND r.bucket = d.bucket AND r.count <= 0;
  DELETE FROM "MetricRollupHour" r
  USING (SELECT DISTINCT "serviceId", metric, date_bin('1 hour', ts, '2000-01-01 00:00:00+00') AS bucket FROM old_rows) AS d
  WHERE r."serviceId" = d."serviceId" AND r.metric = d.metric AND r.bucket = d.bucket AND r.count <= 0;
  RETURN NULL;
END $$;

-- Only decrements: under ON DELETE CASCADE of a service its rollup rows may be gone already, and
-- inserting one back would break the foreign key.
CREATE OR REPLACE FUNCTION "metric_rollup_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "MetricRollupMinute" r SET sum = r.sum - d.s, count = r.count - d.n
  FROM (SELECT "serviceId", metric, date_bin('1 minute', ts, '2000-01-01 00:00:00+00') AS bucket, sum(value) AS s, count(*) AS n
        FROM old_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3) AS d
  WHERE r."serviceId" = d."serviceId" AND r.metric = d.metric AND r.bucket = d.bucket;
  DELETE FROM "MetricRollupMinute" r
  USING (SELECT DISTINCT "serviceId", metric, date_bin('1 minute', ts, '2000-01-01 00:00:00+00') AS bucket FROM old_rows) AS d
  WHERE r."serviceId" = d."serviceId" AND r.metric = d.metric AND r.bucket = d.bucket AND r.count <= 0;
  UPDATE "MetricRollupFiveMinute" r SET sum = r.sum - d.s, count = r.count - d.n
  FROM (SELECT "serviceId", metric, date_bin('5 minutes', ts, '2000-01-01 00:00:00+00') AS bucket, sum(value) AS s, count(*) AS n
        FROM old_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3) AS d
  WHERE r."serviceId" = d."serviceId" AND r.metric = d.metric AND r.bucket = d.bucket;
  DELETE FROM "MetricRollupFiveMinute" r
  USING (SELECT DISTINCT "serviceId", metric, date_bin('5 minutes', ts, '2000-01-01 00:00:00+00') AS bucket FROM old_rows) AS d
  WHERE r."serviceId" = d."serviceId" AND r.metric = d.metric AND r.bucket = d.bucket AND r.count <= 0;
  UPDATE "MetricRollupHour" r SET sum = r.sum - d.s, count = r.count - d.n
  FROM (SELECT "serviceId", metric, date_bin('1 hour', ts, '2000-01-01 00:00:00+00') AS bucket, sum(value) AS s, count(*) AS n
        FROM old_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3) AS d
  WHERE r."serviceId" = d."serviceId" AND r.metric = d.metric AND r.bucket = d.bucket;
  DELETE FROM "MetricRollupHour" r
  USING (SELECT DISTINCT "serviceId", metric, date_bin('1 hour', ts, '2000-01-01 00:00:00+00') AS bucket FROM old_rows) AS d
  WHERE r."serviceId" = d."serviceId" AND r.metric = d.metric AND r.bucket = d.bucket AND r.count <= 0;
  RETURN NULL;
END $$;

-- Samples stored before this migration.
INSERT INTO "MetricRollupFiveMinute" ("serviceId", metric, bucket, sum, count)
SELECT "serviceId", metric, date_bin('5 minutes', ts, '2000-01-01 00:00:00+00'), sum(value), count(*) FROM "MetricSample" GROUP BY 1, 2, 3;

ALTER TABLE "MetricRollupFiveMinute" SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_vacuum_insert_threshold = 10000);
