-- CreateTable
CREATE TABLE "MetricRollupMinute" (
    "serviceId" TEXT NOT NULL,
    "metric" "MetricKind" NOT NULL,
    "bucket" TIMESTAMPTZ(6) NOT NULL,
    "sum" DOUBLE PRECISION NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "MetricRollupMinute_pkey" PRIMARY KEY ("serviceId","metric","bucket")
);

-- CreateTable
CREATE TABLE "MetricRollupHour" (
    "serviceId" TEXT NOT NULL,
    "metric" "MetricKind" NOT NULL,
    "bucket" TIMESTAMPTZ(6) NOT NULL,
    "sum" DOUBLE PRECISION NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "MetricRollupHour_pkey" PRIMARY KEY ("serviceId","metric","bucket")
);

-- CreateIndex
CREATE INDEX "MetricRollupMinute_chart_covering_idx" ON "MetricRollupMinute"("serviceId", "metric", "bucket", "sum", "count");

-- CreateIndex
CREATE INDEX "MetricRollupHour_chart_covering_idx" ON "MetricRollupHour"("serviceId", "metric", "bucket", "sum", "count");

-- AddForeignKey
ALTER TABLE "MetricRollupMinute" ADD CONSTRAINT "MetricRollupMinute_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MetricRollupHour" ADD CONSTRAINT "MetricRollupHour_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The rollups are maintained by statement-level triggers on MetricSample, in the writing statement's own
-- transaction: a batch and its rollup commit or roll back together (crash-safe, no job to lose or repeat),
-- and every writer is covered (ingestion's COPY and upsert, the seed, tests). Transition tables carry the
-- rows a statement inserted, updated (old and new values: an ON CONFLICT DO UPDATE of a re-sent sample
-- adds new − old to the sum and nothing to the count, so a retry never double counts) or deleted
-- (retention and cascades take their samples out again; a bucket left with no samples is removed).
-- Buckets are UTC minutes and hours binned from a fixed origin, so the session time zone plays no part.
-- Rows are upserted in key order so that concurrent batches lock shared buckets in the same order.
CREATE FUNCTION "metric_rollup_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "MetricRollupMinute" AS r ("serviceId", metric, bucket, sum, count)
  SELECT "serviceId", metric, date_bin('1 minute', ts, '2000-01-01 00:00:00+00'), sum(value), count(*)
  FROM new_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT ("serviceId", metric, bucket) DO UPDATE SET sum = r.sum + EXCLUDED.sum, count = r.count + EXCLUDED.count;
  INSERT INTO "MetricRollupHour" AS r ("serviceId", metric, bucket, sum, count)
  SELECT "serviceId", metric, date_bin('1 hour', ts, '2000-01-01 00:00:00+00'), sum(value), count(*)
  FROM new_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT ("serviceId", metric, bucket) DO UPDATE SET sum = r.sum + EXCLUDED.sum, count = r.count + EXCLUDED.count;
  RETURN NULL;
END $$;

CREATE FUNCTION "metric_rollup_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "MetricRollupMinute" AS r ("serviceId", metric, bucket, sum, count)
  SELECT "serviceId", metric, date_bin('1 minute', ts, '2000-01-01 00:00:00+00'), sum(v), sum(n)
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
  DELETE FROM "MetricRollupMinute" r USING old_rows o
  WHERE r."serviceId" = o."serviceId" AND r.metric = o.metric AND r.bucket = date_bin('1 minute', o.ts, '2000-01-01 00:00:00+00') AND r.count <= 0;
  DELETE FROM "MetricRollupHour" r USING old_rows o
  WHERE r."serviceId" = o."serviceId" AND r.metric = o.metric AND r.bucket = date_bin('1 hour', o.ts, '2000-01-01 00:00:00+00') AND r.count <= 0;
  RETURN NULL;
END $$;

-- Only decrements: under ON DELETE CASCADE of a service its rollup rows may be gone already, and
-- inserting one back would break the foreign key.
CREATE FUNCTION "metric_rollup_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "MetricRollupMinute" r SET sum = r.sum - d.s, count = r.count - d.n
  FROM (SELECT "serviceId", metric, date_bin('1 minute', ts, '2000-01-01 00:00:00+00') AS bucket, sum(value) AS s, count(*) AS n
        FROM old_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3) AS d
  WHERE r."serviceId" = d."serviceId" AND r.metric = d.metric AND r.bucket = d.bucket;
  DELETE FROM "MetricRollupMinute" r
  USING (SELECT DISTINCT "serviceId", metric, date_bin('1 minute', ts, '2000-01-01 00:00:00+00') AS bucket FROM old_rows) AS d
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

CREATE TRIGGER "MetricSample_rollup_insert" AFTER INSERT ON "MetricSample"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "metric_rollup_insert"();
CREATE TRIGGER "MetricSample_rollup_update" AFTER UPDATE ON "MetricSample"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "metric_rollup_update"();
CREATE TRIGGER "MetricSample_rollup_delete" AFTER DELETE ON "MetricSample"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "metric_rollup_delete"();

-- Samples stored before this migration.
INSERT INTO "MetricRollupMinute" ("serviceId", metric, bucket, sum, count)
SELECT "serviceId", metric, date_bin('1 minute', ts, '2000-01-01 00:00:00+00'), sum(value), count(*) FROM "MetricSample" GROUP BY 1, 2, 3;
INSERT INTO "MetricRollupHour" ("serviceId", metric, bucket, sum, count)
SELECT "serviceId", metric, date_bin('1 hour', ts, '2000-01-01 00:00:00+00'), sum(value), count(*) FROM "MetricSample" GROUP BY 1, 2, 3;

-- Rewritten in place while their minute or hour is current: vacuum them as often as MetricSample
-- (index-only scans need the visibility map).
ALTER TABLE "MetricRollupMinute" SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_vacuum_insert_threshold = 10000);
ALTER TABLE "MetricRollupHour" SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000);
