-- Timeline: where an entry came from gains the REST API and generic webhooks; key moments
-- (stars); when an entry was written (a note may be about an earlier moment). Users: the UTC switch.
ALTER TYPE "TimelineSource" ADD VALUE IF NOT EXISTS 'API';
ALTER TYPE "TimelineSource" ADD VALUE IF NOT EXISTS 'WEBHOOK';

ALTER TABLE "TimelineEvent" ADD COLUMN "recordedAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN "starredAt" TIMESTAMPTZ(6),
ADD COLUMN "starredById" TEXT;

-- Entries written before this column were written at their own moment.
UPDATE "TimelineEvent" SET "recordedAt" = "at";

ALTER TABLE "User" ADD COLUMN "timesInUtc" BOOLEAN NOT NULL DEFAULT false;

ALTER TABLE "TimelineEvent" ADD CONSTRAINT "TimelineEvent_starredById_fkey" FOREIGN KEY ("starredById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
