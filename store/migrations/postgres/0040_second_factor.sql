-- PostgreSQL dialect of migrations/0040_second_factor.sql.
-- Second factors (issue 13): authenticator-app (TOTP) secrets, sealed with
-- the key-encryption key; single-use recovery codes, hashed; the
-- organization's MFA policy; and how each OAuth grant's sign-in was made
-- (the ID token's amr), kept beside the grant so the OAuth tables stay as
-- they are.
CREATE TABLE user_totp (
    user_id       TEXT PRIMARY KEY REFERENCES users (id),
    secret_sealed BYTEA NOT NULL,
    confirmed     BIGINT NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1)),
    -- last_step is the last accepted 30-second time step: a code is
    -- accepted once, and never one older than the last.
    last_step     BIGINT NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    confirmed_at  TEXT
);

CREATE TABLE recovery_codes (
    user_id    TEXT NOT NULL REFERENCES users (id),
    code_hash  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    used_at    TEXT,
    PRIMARY KEY (user_id, code_hash)
);

ALTER TABLE organizations ADD COLUMN require_mfa BIGINT NOT NULL DEFAULT 0 CHECK (require_mfa IN (0, 1));

CREATE TABLE grant_auth_methods (
    grant_id   TEXT PRIMARY KEY,
    amr        TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX grant_auth_methods_created ON grant_auth_methods (created_at);
