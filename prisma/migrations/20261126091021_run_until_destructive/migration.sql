-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "TimelineKind" ADD VALUE 'AUTO_RUN_STARTED';
ALTER TYPE "TimelineKind" ADD VALUE 'AUTO_RUN_STOPPED';

-- AlterTable
ALTER TABLE "RollbackRun" ADD COLUMN     "autoRunById" TEXT,
ADD COLUMN     "autoRunKey" TEXT,
ADD COLUMN     "autoRunStartedAt" TIMESTAMPTZ(6),
ADD COLUMN     "autoRunUntil" INTEGER;

-- AddForeignKey
ALTER TABLE "RollbackRun" ADD CONSTRAINT "RollbackRun_autoRunById_fkey" FOREIGN KEY ("autoRunById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
