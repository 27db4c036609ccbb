-- PostgreSQL dialect of migrations/0011_password_links.sql.
-- One-time links that let a user choose a password: invitations for users an
-- admin added, and password resets an admin handed out. Only hashes are kept.
CREATE TABLE password_links (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    purpose    TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX password_links_user ON password_links (user_id);
CREATE INDEX password_links_expires ON password_links (expires_at);
