-- PostgreSQL dialect of migrations/0041_passkeys.sql.
-- Passkeys (WebAuthn credentials) and the server-side challenges of their
-- ceremonies (issue 13). credential is the library's JSON of the credential
-- (public key, sign count, flags); nothing in it is secret.
CREATE TABLE passkeys (
    id           TEXT PRIMARY KEY, -- base64url of the credential id
    user_id      TEXT NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    credential   BYTEA NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT
);
CREATE INDEX passkeys_user ON passkeys (user_id);

-- One row per ceremony in progress: single use, short-lived. id is the
-- SHA-256 of the handle the browser's session holds.
CREATE TABLE webauthn_challenges (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL DEFAULT '',
    purpose    TEXT NOT NULL CHECK (purpose IN ('register', 'login')),
    session    BYTEA NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX webauthn_challenges_expires ON webauthn_challenges (expires_at);
