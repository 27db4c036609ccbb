-- PostgreSQL dialect of migrations/0042_email_verifications.sql.
-- One-time links that prove a user reads their email address (issue 13):
-- only hashes are kept; a link is for the address it was sent to.
CREATE TABLE email_verifications (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    email      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX email_verifications_user ON email_verifications (user_id);
CREATE INDEX email_verifications_expires ON email_verifications (expires_at);
