-- Ingestion at the speed of the database (issue 19): the per-row work of a batch insert into MetricSample
-- becomes per-statement work.
--
-- 1. The foreign key MetricSample.serviceId → Service ran its check once per row (an SPI query locking the
--    service row, 5,000 times for a batch of 5,000 samples: about a quarter of the insert's time,
--    bench/README.md). A batch has one service, so the same guarantee is given once per statement: the
--    statement trigger below locks every service named by the new rows FOR KEY SHARE, exactly the lock the
--    foreign key's check takes (a concurrent DELETE of the service waits for the batch, or the batch finds the
--    service gone), and refuses with the foreign key's SQLSTATE 23503 when one does not exist. Deleting a
--    service deletes its samples (the ON DELETE CASCADE), by a statement trigger on Service. Changing a
--    service's id while it has samples is refused (ids are generated and never changed by the app).
-- 2. The rollups read the statement's new rows once (aggregated per minute) instead of once per level; the
--    5-minute and hour levels are summed from those minute aggregates. Still incremental (+= under the row
--    lock of ON CONFLICT DO UPDATE), so concurrent batches touching the same bucket both count; the levels
--    are written minute → 5 minutes → hour, each in key order, as before, so lock order is unchanged.
ALTER TABLE "MetricSample" DROP CONSTRAINT "MetricSample_serviceId_fkey";

CREATE FUNCTION "metric_sample_services_exist"(ids text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  missing text;
BEGIN
  WITH wanted AS (SELECT DISTINCT id FROM unnest(ids) AS i(id)),
       held AS (SELECT s.id FROM "Service" s WHERE s.id IN (SELECT id FROM wanted) ORDER BY s.id FOR KEY SHARE OF s)
  SELECT w.id INTO missing FROM wanted w WHERE NOT EXISTS (SELECT 1 FROM held h WHERE h.id = w.id) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'insert or update on table "MetricSample" violates foreign key constraint "MetricSample_serviceId_fkey"'
      USING ERRCODE = 'foreign_key_violation', DETAIL = format('Key ("serviceId")=(%s) is not present in table "Service".', missing),
            TABLE = 'MetricSample', CONSTRAINT = 'MetricSample_serviceId_fkey';
  END IF;
END $$;

-- Adds per-minute sums and counts (parallel arrays, one element per series and minute) to the three levels:
-- the minutes as they are, the 5-minute and hour buckets summed from them. Minute → 5 minutes → hour, each
-- in key order, so that concurrent batches lock shared buckets in the same order.
CREATE FUNCTION "metric_rollup_add"(s text[], m "MetricKind"[], b timestamptz[], total float8[], n int[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "MetricRollupMinute" AS r ("serviceId", metric, bucket, sum, count)
  SELECT * FROM unnest(s, m, b, total, n) ORDER BY 1, 2, 3
  ON CONFLICT ("serviceId", metric, bucket) DO UPDATE SET sum = r.sum + EXCLUDED.sum, count = r.count + EXCLUDED.count;
  INSERT INTO "MetricRollupFiveMinute" AS r ("serviceId", metric, bucket, sum, count)
  SELECT u.s, u.m, date_bin('5 minutes', u.b, '2000-01-01 00:00:00+00'), sum(u.total), sum(u.n)
  FROM unnest(s, m, b, total, n) AS u(s, m, b, total, n) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT ("serviceId", metric, bucket) DO UPDATE SET sum = r.sum + EXCLUDED.sum, count = r.count + EXCLUDED.count;
  INSERT INTO "MetricRollupHour" AS r ("serviceId", metric, bucket, sum, count)
  SELECT u.s, u.m, date_bin('1 hour', u.b, '2000-01-01 00:00:00+00'), sum(u.total), sum(u.n)
  FROM unnest(s, m, b, total, n) AS u(s, m, b, total, n) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT ("serviceId", metric, bucket) DO UPDATE SET sum = r.sum + EXCLUDED.sum, count = r.count + EXCLUDED.count;
END $$;

-- Replaces metric_rollup_insert: the service check, then the three rollup levels from one pass over new_rows.
CREATE FUNCTION "metric_sample_after_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  s text[]; m "MetricKind"[]; b timestamptz[]; total float8[]; n int[];
BEGIN
  SELECT array_agg("serviceId"), array_agg(metric), array_agg(bucket), array_agg(su), array_agg(c)
  INTO s, m, b, total, n
  FROM (SELECT "serviceId", metric, date_bin('1 minute', ts, '2000-01-01 00:00:00+00') AS bucket, sum(value) AS su, count(*)::int AS c
        FROM new_rows GROUP BY 1, 2, 3) AS g;
  IF s IS NULL THEN RETURN NULL; END IF;
  PERFORM "metric_sample_services_exist"(s);
  PERFORM "metric_rollup_add"(s, m, b, total, n);
  RETURN NULL;
END $$;

-- Replaces metric_rollup_update: the net change per minute (new − old) once, the service check (an update
-- could move a sample to another service; the app's upsert of a re-sent sample never does), the three levels.
CREATE FUNCTION "metric_sample_after_update"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  s text[]; m "MetricKind"[]; b timestamptz[]; total float8[]; n int[];
BEGIN
  SELECT array_agg("serviceId"), array_agg(metric), array_agg(bucket), array_agg(su), array_agg(c)
  INTO s, m, b, total, n
  FROM (SELECT "serviceId", metric, date_bin('1 minute', ts, '2000-01-01 00:00:00+00') AS bucket, sum(v) AS su, sum(k)::int AS c
        FROM (SELECT "serviceId", metric, ts, value AS v, 1 AS k FROM new_rows
              UNION ALL SELECT "serviceId", metric, ts, -value, -1 FROM old_rows) AS d
        GROUP BY 1, 2, 3) AS g;
  IF s IS NULL THEN RETURN NULL; END IF;
  PERFORM "metric_sample_services_exist"(s);
  PERFORM "metric_rollup_add"(s, m, b, total, n);
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

DROP TRIGGER "MetricSample_rollup_insert" ON "MetricSample";
DROP TRIGGER "MetricSample_rollup_update" ON "MetricSample";
DROP FUNCTION "metric_rollup_insert"();
DROP FUNCTION "metric_rollup_update"();
CREATE TRIGGER "MetricSample_after_insert" AFTER INSERT ON "MetricSample"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "metric_sample_after_insert"();
CREATE TRIGGER "MetricSample_after_update" AFTER UPDATE ON "MetricSample"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "metric_sample_after_update"();

-- ON DELETE CASCADE, per statement: a deleted service's samples go with it (their rollup rows go by the
-- rollup tables' own foreign keys; metric_rollup_delete only decrements what is left).
CREATE FUNCTION "service_delete_samples"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "MetricSample" WHERE "serviceId" IN (SELECT id FROM gone);
  RETURN NULL;
END $$;
CREATE TRIGGER "Service_delete_samples" AFTER DELETE ON "Service"
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION "service_delete_samples"();

-- Was ON UPDATE CASCADE; ids never change, so a change under samples is refused rather than rewritten.
CREATE FUNCTION "service_id_keeps_samples"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "MetricSample" WHERE "serviceId" = OLD.id) THEN
    RAISE EXCEPTION 'update on table "Service" violates foreign key constraint "MetricSample_serviceId_fkey" on table "MetricSample"'
      USING ERRCODE = 'foreign_key_violation', DETAIL = format('Key (id)=(%s) is still referenced from table "MetricSample".', OLD.id);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "Service_id_keeps_samples" AFTER UPDATE OF id ON "Service"
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION "service_id_keeps_samples"();
