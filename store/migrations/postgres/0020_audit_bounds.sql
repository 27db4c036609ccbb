-- PostgreSQL dialect of migrations/0020_audit_bounds.sql. PostgreSQL's
-- trigger conditions cannot hold subqueries, so each rule is a trigger
-- function; SQLite's null-safe IS is IS NOT DISTINCT FROM.
ALTER TABLE audit_log ADD COLUMN occurrences BIGINT NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN collapse_key TEXT;
CREATE UNIQUE INDEX audit_log_collapse ON audit_log (collapse_key) WHERE collapse_key IS NOT NULL;

CREATE TABLE audit_retention (
    id           BIGINT PRIMARY KEY CHECK (id = 1),
    prune_before TEXT NOT NULL DEFAULT ''
);
INSERT INTO audit_retention (id, prune_before) VALUES (1, '');

DROP TRIGGER audit_log_no_update ON audit_log;
CREATE FUNCTION audit_log_update_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT (OLD.collapse_key IS NOT NULL AND NEW.collapse_key IS NOT DISTINCT FROM OLD.collapse_key
        AND NEW.occurrences = OLD.occurrences + 1 AND NEW.seq = OLD.seq AND NEW.id = OLD.id
        AND NEW.created_at = OLD.created_at AND NEW.actor_type = OLD.actor_type
        AND NEW.actor_id = OLD.actor_id AND NEW.actor_label = OLD.actor_label AND NEW.ip = OLD.ip
        AND NEW.action = OLD.action AND NEW.target_type = OLD.target_type
        AND NEW.target_id = OLD.target_id AND NEW.org_id = OLD.org_id
        AND NEW.outcome = OLD.outcome AND NEW.details = OLD.details) THEN
        RAISE EXCEPTION 'audit_log is append-only';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_update_guard();

DROP TRIGGER audit_log_no_delete ON audit_log;
CREATE FUNCTION audit_log_delete_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.created_at >= COALESCE((SELECT prune_before FROM audit_retention WHERE id = 1), '') THEN
        RAISE EXCEPTION 'audit_log is append-only';
    END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_delete_guard();
