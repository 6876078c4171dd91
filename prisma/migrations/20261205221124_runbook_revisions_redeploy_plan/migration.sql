-- The learning loop (issue 12): runbook revisions proposed from an incident's action item, published
-- by an admin as the runbook's next version or declined with a reason; the re-deployment plan as a
-- document kind; the revisions' timeline entries.

-- CreateEnum
CREATE TYPE "RunbookRevisionStatus" AS ENUM ('DRAFT', 'PUBLISHED', 'DECLINED');

-- AlterEnum
ALTER TYPE "DocumentKind" ADD VALUE IF NOT EXISTS 'REDEPLOY_PLAN';

-- AlterEnum
ALTER TYPE "TimelineKind" ADD VALUE IF NOT EXISTS 'RUNBOOK_REVISION_PROPOSED';
ALTER TYPE "TimelineKind" ADD VALUE IF NOT EXISTS 'RUNBOOK_REVISION_PUBLISHED';
ALTER TYPE "TimelineKind" ADD VALUE IF NOT EXISTS 'RUNBOOK_REVISION_DECLINED';

-- CreateTable
CREATE TABLE "RunbookRevision" (
    "id" TEXT NOT NULL,
    "runbookId" TEXT NOT NULL,
    "baseVersion" INTEGER NOT NULL,
    "steps" JSONB NOT NULL,
    "note" TEXT NOT NULL,
    "lesson" TEXT NOT NULL,
    "incidentId" TEXT NOT NULL,
    "actionItemId" TEXT,
    "status" "RunbookRevisionStatus" NOT NULL DEFAULT 'DRAFT',
    "proposedById" TEXT,
    "proposedAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedById" TEXT,
    "decidedAt" TIMESTAMPTZ(6),
    "declineReason" TEXT,
    "publishedVersionId" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "RunbookRevision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RunbookRevision_publishedVersionId_key" ON "RunbookRevision"("publishedVersionId");

-- CreateIndex
CREATE INDEX "RunbookRevision_runbookId_status_idx" ON "RunbookRevision"("runbookId", "status");

-- CreateIndex
CREATE INDEX "RunbookRevision_incidentId_idx" ON "RunbookRevision"("incidentId");

-- CreateIndex
CREATE INDEX "RunbookRevision_actionItemId_idx" ON "RunbookRevision"("actionItemId");

-- AddForeignKey
ALTER TABLE "RunbookRevision" ADD CONSTRAINT "RunbookRevision_runbookId_fkey" FOREIGN KEY ("runbookId") REFERENCES "Runbook"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RunbookRevision" ADD CONSTRAINT "RunbookRevision_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RunbookRevision" ADD CONSTRAINT "RunbookRevision_proposedById_fkey" FOREIGN KEY ("proposedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RunbookRevision" ADD CONSTRAINT "RunbookRevision_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RunbookRevision" ADD CONSTRAINT "RunbookRevision_publishedVersionId_fkey" FOREIGN KEY ("publishedVersionId") REFERENCES "RunbookVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A declined draft says why; a published one names the version it became; nothing else has either.
ALTER TABLE "RunbookRevision" ADD CONSTRAINT "RunbookRevision_declined_has_reason"
  CHECK (("status" = 'DECLINED') = ("declineReason" IS NOT NULL));
ALTER TABLE "RunbookRevision" ADD CONSTRAINT "RunbookRevision_published_has_version"
  CHECK (("status" = 'PUBLISHED') = ("publishedVersionId" IS NOT NULL));
