-- AlterTable
ALTER TABLE "EvidenceSnapshot" ADD COLUMN     "readiness" JSONB;

-- CreateTable
CREATE TABLE "ServiceReadiness" (
    "serviceId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'unknown',
    "checks" JSONB NOT NULL DEFAULT '[]',
    "checkedAt" TIMESTAMPTZ(6),
    "leaseUntil" TIMESTAMPTZ(6),

    CONSTRAINT "ServiceReadiness_pkey" PRIMARY KEY ("serviceId")
);

-- AddForeignKey
ALTER TABLE "ServiceReadiness" ADD CONSTRAINT "ServiceReadiness_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;
