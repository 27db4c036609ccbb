-- A bounded audit log (issue 8). Repeated failures of one kind from one
-- source against one identifier within a minute collapse into one entry
-- whose occurrences count up; the retention sweep deletes entries older than
-- audit_retention.prune_before. Every other update or delete still aborts.
ALTER TABLE audit_log ADD COLUMN occurrences INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN collapse_key TEXT;
CREATE UNIQUE INDEX audit_log_collapse ON audit_log (collapse_key) WHERE collapse_key IS NOT NULL;

CREATE TABLE audit_retention (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    prune_before TEXT NOT NULL DEFAULT ''
);
INSERT INTO audit_retention (id, prune_before) VALUES (1, '');

DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (OLD.collapse_key IS NOT NULL AND NEW.collapse_key IS OLD.collapse_key
    AND NEW.occurrences = OLD.occurrences + 1 AND NEW.seq = OLD.seq AND NEW.id = OLD.id
    AND NEW.created_at = OLD.created_at AND NEW.actor_type = OLD.actor_type
    AND NEW.actor_id = OLD.actor_id AND NEW.actor_label = OLD.actor_label AND NEW.ip = OLD.ip
    AND NEW.action = OLD.action AND NEW.target_type = OLD.target_type
    AND NEW.target_id = OLD.target_id AND NEW.org_id = OLD.org_id
    AND NEW.outcome = OLD.outcome AND NEW.details = OLD.details)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN OLD.created_at >= COALESCE((SELECT prune_before FROM audit_retention WHERE id = 1), '')
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
