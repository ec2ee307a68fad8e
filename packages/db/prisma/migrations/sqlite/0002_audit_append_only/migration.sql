-- The audit log is append-only: the database itself refuses to change or remove an event, so a
-- bug or a hand-run query cannot quietly rewrite history (the hash chain would also show it).
CREATE TRIGGER "AuditEvent_no_update" BEFORE UPDATE ON "AuditEvent"
BEGIN
  SELECT RAISE(ABORT, 'ERR_AUDIT_APPEND_ONLY: the audit log is append-only');
END;

CREATE TRIGGER "AuditEvent_no_delete" BEFORE DELETE ON "AuditEvent"
BEGIN
  SELECT RAISE(ABORT, 'ERR_AUDIT_APPEND_ONLY: the audit log is append-only');
END;

-- Counters the issuer increments; created here so concurrent writers never race to create them.
INSERT INTO "Counter" ("name", "value") VALUES ('audit', 0);
INSERT INTO "Counter" ("name", "value") VALUES ('status-index', 0);
