-- AlterTable
ALTER TABLE "RunbookVersion" ADD COLUMN     "note" TEXT NOT NULL DEFAULT '';

-- AddForeignKey
ALTER TABLE "Decision" ADD CONSTRAINT "Decision_runbookVersionId_fkey" FOREIGN KEY ("runbookVersionId") REFERENCES "RunbookVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A runbook version is immutable: saving a runbook writes a new version, and the plans built
-- from a version (Decision.runbookVersionId) must keep meaning what they meant.
CREATE FUNCTION backout_runbook_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'RunbookVersion is immutable: save the runbook to write a new version'
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER runbook_version_immutable BEFORE UPDATE ON "RunbookVersion"
  FOR EACH ROW EXECUTE FUNCTION backout_runbook_version_immutable();
