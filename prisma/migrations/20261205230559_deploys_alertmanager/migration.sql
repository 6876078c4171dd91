-- CreateEnum
CREATE TYPE "ReleaseSource" AS ENUM ('MANUAL', 'API');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "TimelineKind" ADD VALUE IF NOT EXISTS 'DEPLOY_RECORDED';
ALTER TYPE "TimelineKind" ADD VALUE IF NOT EXISTS 'ALERT_FIRING';
ALTER TYPE "TimelineKind" ADD VALUE IF NOT EXISTS 'ALERT_RESOLVED';

-- AlterTable
ALTER TABLE "Release" ADD COLUMN     "commitSha" TEXT,
ADD COLUMN     "environment" TEXT NOT NULL DEFAULT 'production',
ADD COLUMN     "link" TEXT,
ADD COLUMN     "source" "ReleaseSource" NOT NULL DEFAULT 'MANUAL',
ADD COLUMN     "suspectedAt" TIMESTAMPTZ(6);

-- CreateTable
CREATE TABLE "AlertmanagerIntegration" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "serviceLabel" TEXT NOT NULL DEFAULT 'service',
    "defaultSeverity" "Severity" NOT NULL DEFAULT 'SEV2',
    "suspectWindowMinutes" INTEGER NOT NULL DEFAULT 60,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMPTZ(6),
    "lastUsedAt" TIMESTAMPTZ(6),

    CONSTRAINT "AlertmanagerIntegration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertmanagerAlert" (
    "id" TEXT NOT NULL,
    "integrationId" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "startsAt" TIMESTAMPTZ(6) NOT NULL,
    "status" TEXT NOT NULL,
    "incidentId" TEXT,
    "receivedAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AlertmanagerAlert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AlertmanagerIntegration_tokenHash_key" ON "AlertmanagerIntegration"("tokenHash");

-- CreateIndex
CREATE INDEX "AlertmanagerAlert_incidentId_idx" ON "AlertmanagerAlert"("incidentId");

-- CreateIndex
CREATE UNIQUE INDEX "AlertmanagerAlert_integrationId_fingerprint_startsAt_status_key" ON "AlertmanagerAlert"("integrationId", "fingerprint", "startsAt", "status");

-- AddForeignKey
ALTER TABLE "AlertmanagerIntegration" ADD CONSTRAINT "AlertmanagerIntegration_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertmanagerIntegration" ADD CONSTRAINT "AlertmanagerIntegration_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertmanagerAlert" ADD CONSTRAINT "AlertmanagerAlert_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "AlertmanagerIntegration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertmanagerAlert" ADD CONSTRAINT "AlertmanagerAlert_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE SET NULL ON UPDATE CASCADE;
