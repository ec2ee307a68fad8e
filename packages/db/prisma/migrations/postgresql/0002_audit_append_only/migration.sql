-- The audit log is append-only: the database itself refuses to change or remove an event, so a
-- bug or a hand-run query cannot quietly rewrite history (the hash chain would also show it).
CREATE FUNCTION haki_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'ERR_AUDIT_APPEND_ONLY: the audit log is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "AuditEvent_no_update_delete" BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION haki_audit_append_only();

CREATE TRIGGER "AuditEvent_no_truncate" BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION haki_audit_append_only();

-- Counters the issuer increments; created here so concurrent writers never race to create them.
INSERT INTO "Counter" ("name", "value") VALUES ('audit', 0);
INSERT INTO "Counter" ("name", "value") VALUES ('status-index', 0);
