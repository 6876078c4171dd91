-- Frozen evidence stays frozen: the database refuses to change a snapshot once written.
CREATE FUNCTION backout_evidence_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'EvidenceSnapshot is immutable: it records the evidence as it stood when the decision was made'
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER evidence_snapshot_immutable BEFORE UPDATE ON "EvidenceSnapshot"
  FOR EACH ROW EXECUTE FUNCTION backout_evidence_immutable();
