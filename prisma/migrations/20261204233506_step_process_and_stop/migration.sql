-- AlterEnum
ALTER TYPE "TimelineKind" ADD VALUE 'STEP_CANCELED';

-- AlterTable
ALTER TABLE "StepExecution" ADD COLUMN     "host" TEXT,
ADD COLUMN     "pgid" INTEGER,
ADD COLUMN     "pid" INTEGER,
ADD COLUMN     "processEndedAt" TIMESTAMPTZ(6),
ADD COLUMN     "stopReason" TEXT,
ADD COLUMN     "stopRequestedAt" TIMESTAMPTZ(6),
ADD COLUMN     "stopRequestedById" TEXT;

-- AddForeignKey
ALTER TABLE "StepExecution" ADD CONSTRAINT "StepExecution_stopRequestedById_fkey" FOREIGN KEY ("stopRequestedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
