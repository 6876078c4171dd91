-- Action items as issue 12 asks: priority HIGH/MEDIUM/LOW, status NOT_STARTED/IN_PROGRESS/DONE, a
-- horizon that proposes the due date, how completion will be verified, an optional link, and who
-- closed a DONE item with their note. Existing rows are mapped, not dropped:
--   priority P0, P1 -> HIGH; P2 -> MEDIUM; P3 -> LOW
--   status OPEN -> NOT_STARTED; IN_PROGRESS -> IN_PROGRESS; DONE -> DONE;
--          WONT_DO -> DONE, with a completion note saying it was closed as "won't do"
--   horizon from the due date against the creation date (<= 7 days IMMEDIATE, <= 28 SHORT_TERM,
--          later LONG_TERM; no due date SHORT_TERM)
-- The runner applies a migration in one transaction: no BEGIN/COMMIT here.

CREATE TYPE "ActionItemHorizon" AS ENUM ('IMMEDIATE', 'SHORT_TERM', 'LONG_TERM');

ALTER TABLE "ActionItem" ADD COLUMN "completedById" TEXT,
ADD COLUMN "completionNote" TEXT,
ADD COLUMN "horizon" "ActionItemHorizon" NOT NULL DEFAULT 'SHORT_TERM',
ADD COLUMN "linkRunbookId" TEXT,
ADD COLUMN "linkServiceId" TEXT,
ADD COLUMN "linkUrl" TEXT,
ADD COLUMN "updatedAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN "verification" TEXT NOT NULL DEFAULT '';

UPDATE "ActionItem" SET "horizon" = CASE
  WHEN "dueDate" IS NULL THEN 'SHORT_TERM'
  WHEN "dueDate" <= "createdAt" + interval '7 days' THEN 'IMMEDIATE'
  WHEN "dueDate" <= "createdAt" + interval '28 days' THEN 'SHORT_TERM'
  ELSE 'LONG_TERM' END::"ActionItemHorizon";

UPDATE "ActionItem" SET "completionNote" = 'Closed as "won''t do" before action items had a verification note.',
  "completedAt" = COALESCE("completedAt", "createdAt")
  WHERE "status" = 'WONT_DO';
UPDATE "ActionItem" SET "completedAt" = "createdAt" WHERE "status" = 'DONE' AND "completedAt" IS NULL;

CREATE TYPE "ActionItemPriority_new" AS ENUM ('HIGH', 'MEDIUM', 'LOW');
ALTER TABLE "ActionItem" ALTER COLUMN "priority" DROP DEFAULT;
ALTER TABLE "ActionItem" ALTER COLUMN "priority" TYPE "ActionItemPriority_new" USING (CASE "priority"::text
  WHEN 'P0' THEN 'HIGH' WHEN 'P1' THEN 'HIGH' WHEN 'P2' THEN 'MEDIUM' ELSE 'LOW' END)::"ActionItemPriority_new";
DROP TYPE "ActionItemPriority";
ALTER TYPE "ActionItemPriority_new" RENAME TO "ActionItemPriority";
ALTER TABLE "ActionItem" ALTER COLUMN "priority" SET DEFAULT 'MEDIUM';

CREATE TYPE "ActionItemStatus_new" AS ENUM ('NOT_STARTED', 'IN_PROGRESS', 'DONE');
ALTER TABLE "ActionItem" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "ActionItem" ALTER COLUMN "status" TYPE "ActionItemStatus_new" USING (CASE "status"::text
  WHEN 'OPEN' THEN 'NOT_STARTED' WHEN 'IN_PROGRESS' THEN 'IN_PROGRESS' ELSE 'DONE' END)::"ActionItemStatus_new";
DROP TYPE "ActionItemStatus";
ALTER TYPE "ActionItemStatus_new" RENAME TO "ActionItemStatus";
ALTER TABLE "ActionItem" ALTER COLUMN "status" SET DEFAULT 'NOT_STARTED';

ALTER TYPE "TimelineKind" ADD VALUE IF NOT EXISTS 'ACTION_ITEM_UPDATED' AFTER 'ACTION_ITEM_ADDED';
ALTER TYPE "TimelineKind" ADD VALUE IF NOT EXISTS 'ACTION_ITEM_DONE' AFTER 'ACTION_ITEM_UPDATED';

ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_linkRunbookId_fkey" FOREIGN KEY ("linkRunbookId") REFERENCES "Runbook"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_linkServiceId_fkey" FOREIGN KEY ("linkServiceId") REFERENCES "Service"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_completedById_fkey" FOREIGN KEY ("completedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- At most one link, and a URL only over http(s); a DONE item says when it was closed.
ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_one_link"
  CHECK (num_nonnulls("linkRunbookId", "linkServiceId", "linkUrl") <= 1);
ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_link_url_http"
  CHECK ("linkUrl" IS NULL OR "linkUrl" ~* '^https?://');
ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_done_has_completion"
  CHECK (("status" = 'DONE') = ("completedAt" IS NOT NULL));
