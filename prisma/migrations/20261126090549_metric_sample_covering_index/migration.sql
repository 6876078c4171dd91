-- CreateIndex
CREATE INDEX "MetricSample_chart_covering_idx" ON "MetricSample"("serviceId", "metric", "ts", "value");

-- Index-only scans need an up-to-date visibility map. The table is append-mostly (pushed samples),
-- and by default autovacuum visits it only after inserts reach 20% of its size: on a large store
-- recent samples would stay "not all-visible" for hours and be read from the heap. Vacuum after
-- every 1% (at least 10,000 rows) of new rows instead. (Prisma does not model storage parameters
-- and does not report them as drift.)
ALTER TABLE "MetricSample" SET (autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_vacuum_insert_threshold = 10000);
