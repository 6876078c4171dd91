-- A document version, once written, stays as written: a change is a new version (lib/documents/store.ts).
-- DELETE stays possible so that deleting an incident still cascades to its documents.
CREATE FUNCTION backout_document_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'DocumentVersion is immutable: write a new version instead'
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER document_version_immutable BEFORE UPDATE ON "DocumentVersion"
  FOR EACH ROW EXECUTE FUNCTION backout_document_version_immutable();
