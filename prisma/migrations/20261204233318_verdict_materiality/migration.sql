-- AlterTable
ALTER TABLE "Service" ADD COLUMN     "verdictMateriality" JSONB NOT NULL DEFAULT '{}';
