-- CreateEnum
CREATE TYPE "NotificationFormat" AS ENUM ('SLACK', 'SIGNED_JSON');

-- CreateEnum
CREATE TYPE "NotificationEvent" AS ENUM ('INCIDENT_DECLARED', 'DECISION_PROPOSED', 'DECISION_APPROVED', 'DECISION_REJECTED', 'STEP_NEEDS_OPERATOR', 'ROLLBACK_FINISHED', 'VERIFICATION_SIGNED_OFF', 'INCIDENT_RESOLVED', 'STATUS_UPDATE_POSTED', 'ACTION_ITEM_OVERDUE');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('PENDING', 'RETRYING', 'SENT', 'FAILED');

-- AlterEnum
ALTER TYPE "TimelineKind" ADD VALUE 'ACTION_ITEM_OVERDUE';

-- AlterTable
ALTER TABLE "ActionItem" ADD COLUMN     "overdueAt" TIMESTAMPTZ(6);

-- CreateTable
CREATE TABLE "NotificationDestination" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "format" "NotificationFormat" NOT NULL,
    "url" TEXT NOT NULL,
    "urlHost" TEXT NOT NULL,
    "secret" TEXT,
    "events" "NotificationEvent"[],
    "serviceId" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabledAt" TIMESTAMPTZ(6),

    CONSTRAINT "NotificationDestination_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationDelivery" (
    "id" TEXT NOT NULL,
    "sequence" BIGSERIAL NOT NULL,
    "destinationId" TEXT NOT NULL,
    "event" "NotificationEvent" NOT NULL,
    "incidentId" TEXT,
    "payload" JSONB NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastAttemptAt" TIMESTAMPTZ(6),
    "lastStatus" INTEGER,
    "lastAnswer" TEXT,
    "sentAt" TIMESTAMPTZ(6),
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NotificationDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "NotificationDestination_name_key" ON "NotificationDestination"("name");

-- CreateIndex
CREATE INDEX "NotificationDelivery_destinationId_status_sequence_idx" ON "NotificationDelivery"("destinationId", "status", "sequence");

-- CreateIndex
CREATE INDEX "NotificationDelivery_createdAt_idx" ON "NotificationDelivery"("createdAt");

-- AddForeignKey
ALTER TABLE "NotificationDestination" ADD CONSTRAINT "NotificationDestination_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NotificationDestination" ADD CONSTRAINT "NotificationDestination_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NotificationDelivery" ADD CONSTRAINT "NotificationDelivery_destinationId_fkey" FOREIGN KEY ("destinationId") REFERENCES "NotificationDestination"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NotificationDelivery" ADD CONSTRAINT "NotificationDelivery_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;
