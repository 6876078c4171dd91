-- CreateTable
CREATE TABLE "LiveEvent" (
    "id" BIGSERIAL NOT NULL,
    "incidentId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "actorId" TEXT,
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "txId" BIGINT NOT NULL DEFAULT ((pg_current_xact_id())::text)::bigint,
    "snapshotXmin" BIGINT NOT NULL DEFAULT ((pg_snapshot_xmin(pg_current_snapshot()))::text)::bigint,

    CONSTRAINT "LiveEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LivePresence" (
    "id" TEXT NOT NULL,
    "incidentId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "instance" TEXT NOT NULL,
    "openedAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LivePresence_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LiveEvent_incidentId_id_idx" ON "LiveEvent"("incidentId", "id");

-- CreateIndex
CREATE INDEX "LiveEvent_incidentId_txId_idx" ON "LiveEvent"("incidentId", "txId");

-- CreateIndex
CREATE INDEX "LiveEvent_at_idx" ON "LiveEvent"("at");

-- CreateIndex
CREATE INDEX "LivePresence_incidentId_lastSeenAt_idx" ON "LivePresence"("incidentId", "lastSeenAt");

-- CreateIndex
CREATE INDEX "LivePresence_userId_idx" ON "LivePresence"("userId");

-- AddForeignKey
ALTER TABLE "LiveEvent" ADD CONSTRAINT "LiveEvent_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LivePresence" ADD CONSTRAINT "LivePresence_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LivePresence" ADD CONSTRAINT "LivePresence_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The one way a live event is written: the row, then a notification naming it. Both belong to the
-- caller's transaction, so nothing is announced unless it commits (NOTIFY is sent at commit).
-- The notification carries the row's transaction id and snapshot xmin so that an app instance
-- can advance its replay cursor without reading rows of incidents nobody watches there.
CREATE FUNCTION backout_publish_live(p_incident_id text, p_topic text, p_payload jsonb, p_actor_id text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  ev "LiveEvent"%ROWTYPE;
BEGIN
  INSERT INTO "LiveEvent" ("incidentId", topic, payload, "actorId")
  VALUES (p_incident_id, p_topic, p_payload, p_actor_id)
  RETURNING * INTO ev;
  PERFORM pg_notify('backout_live', json_build_object(
    'id', ev.id::text, 'incidentId', ev."incidentId", 'tx', ev."txId"::text, 'xmin', ev."snapshotXmin"::text)::text);
  RETURN ev.id;
END;
$$;

-- Step output lines reach open pages as they are stored, whichever code path stores them: one
-- "steplog" event per statement and step, carrying the lines (id, stream, line, ts) in order.
CREATE FUNCTION backout_steplog_live() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM backout_publish_live(
    r."incidentId",
    'steplog',
    jsonb_build_object(
      'runId', s."runId",
      'stepId', n."stepId",
      'executionId', n."executionId",
      'lines', jsonb_agg(jsonb_build_object('id', n.id::text, 'stream', n.stream, 'line', n.line, 'ts', n.ts) ORDER BY n.id)),
    NULL)
  FROM new_lines n
  JOIN "RollbackStep" s ON s.id = n."stepId"
  JOIN "RollbackRun" r ON r.id = s."runId"
  GROUP BY r."incidentId", s."runId", n."stepId", n."executionId";
  RETURN NULL;
END;
$$;

CREATE TRIGGER step_log_line_live AFTER INSERT ON "StepLogLine"
  REFERENCING NEW TABLE AS new_lines
  FOR EACH STATEMENT EXECUTE FUNCTION backout_steplog_live();
