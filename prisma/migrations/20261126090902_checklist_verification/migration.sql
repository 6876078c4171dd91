-- AlterEnum
ALTER TYPE "TimelineKind" ADD VALUE 'SIGN_OFF_WAIVED';

-- DropIndex
DROP INDEX "SignOff_checklistId_role_key";

-- AlterTable
ALTER TABLE "Checklist" ADD COLUMN     "restoreRan" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "rollbackEndedAt" TIMESTAMPTZ(6) NOT NULL,
ADD COLUMN     "signOffWaivedAt" TIMESTAMPTZ(6),
ADD COLUMN     "signOffWaivedById" TEXT,
ADD COLUMN     "templateVersion" INTEGER;

-- AlterTable
ALTER TABLE "ChecklistItem" ADD COLUMN     "description" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "dueAt" TIMESTAMPTZ(6),
ADD COLUMN     "key" TEXT NOT NULL,
ADD COLUMN     "satisfiedBaseline" DOUBLE PRECISION,
ADD COLUMN     "testResult" TEXT;

-- AlterTable
ALTER TABLE "ChecklistItemChange" ADD COLUMN     "satisfiedValue" DOUBLE PRECISION,
ADD COLUMN     "testResult" TEXT;

-- AlterTable
ALTER TABLE "SignOff" ADD COLUMN     "withdrawnAt" TIMESTAMPTZ(6),
ADD COLUMN     "withdrawnReason" TEXT;

-- CreateTable
CREATE TABLE "ChecklistTemplateVersion" (
    "id" TEXT NOT NULL,
    "templateId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "items" JSONB NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChecklistTemplateVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ChecklistTemplateVersion_templateId_version_key" ON "ChecklistTemplateVersion"("templateId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "ChecklistItem_checklistId_key_key" ON "ChecklistItem"("checklistId", "key");

-- CreateIndex
CREATE INDEX "SignOff_checklistId_idx" ON "SignOff"("checklistId");

-- AddForeignKey
ALTER TABLE "ChecklistTemplateVersion" ADD CONSTRAINT "ChecklistTemplateVersion_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "ChecklistTemplate"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChecklistTemplateVersion" ADD CONSTRAINT "ChecklistTemplateVersion_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Checklist" ADD CONSTRAINT "Checklist_signOffWaivedById_fkey" FOREIGN KEY ("signOffWaivedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;



-- Hand-written: one current (not withdrawn) sign-off per role, and per person, on a checklist.
CREATE UNIQUE INDEX "SignOff_current_role_key" ON "SignOff"("checklistId", "role") WHERE "withdrawnAt" IS NULL;
CREATE UNIQUE INDEX "SignOff_current_user_key" ON "SignOff"("checklistId", "userId") WHERE "withdrawnAt" IS NULL;

-- Hand-written: the checklist history is append-only (rows go only with their item).
CREATE FUNCTION backout_checklist_history_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ChecklistItemChange is append-only: the history of a checklist item is never rewritten'
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER checklist_item_change_immutable BEFORE UPDATE ON "ChecklistItemChange"
  FOR EACH ROW EXECUTE FUNCTION backout_checklist_history_immutable();
