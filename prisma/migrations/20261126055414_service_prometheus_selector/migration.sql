-- AlterTable
ALTER TABLE "Service" ADD COLUMN     "prometheusSelector" TEXT NOT NULL DEFAULT '';
