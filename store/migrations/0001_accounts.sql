-- Accounts, organizations, web sessions, the audit log and the signing keys.
CREATE TABLE organizations (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    is_operator INTEGER NOT NULL DEFAULT 0 CHECK (is_operator IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
-- Exactly one operator organization can ever exist: setup races lose here.
CREATE UNIQUE INDEX organizations_one_operator ON organizations (is_operator) WHERE is_operator = 1;

CREATE TABLE users (
    id               TEXT PRIMARY KEY,
    email            TEXT NOT NULL,
    email_key        TEXT NOT NULL UNIQUE, -- lower-cased email: unique case-insensitively
    name             TEXT NOT NULL,
    password_hash    TEXT NOT NULL,
    email_verified   INTEGER NOT NULL DEFAULT 0 CHECK (email_verified IN (0, 1)),
    disabled         INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    session_version  INTEGER NOT NULL DEFAULT 1,
    primary_org_id   TEXT NOT NULL REFERENCES organizations (id),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX users_primary_org ON users (primary_org_id);

CREATE TABLE memberships (
    org_id     TEXT NOT NULL REFERENCES organizations (id),
    user_id    TEXT NOT NULL REFERENCES users (id),
    role       TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    created_at TEXT NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

-- Web sessions (scs). token is the SHA-256 of the cookie value.
CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BLOB NOT NULL,
    expiry REAL NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);

-- One-time setup links: only the hash of the token is kept.
CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- Append-only audit log. seq orders entries; id is the public aud_ id.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    actor_type  TEXT NOT NULL,
    actor_id    TEXT NOT NULL DEFAULT '',
    actor_label TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL DEFAULT '',
    target_id   TEXT NOT NULL DEFAULT '',
    org_id      TEXT NOT NULL DEFAULT '',
    outcome     TEXT NOT NULL CHECK (outcome IN ('success', 'failure')),
    details     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_created ON audit_log (created_at);
CREATE INDEX audit_log_action_target ON audit_log (action, target_id, created_at);
CREATE INDEX audit_log_action_ip ON audit_log (action, ip, created_at);
CREATE INDEX audit_log_org ON audit_log (org_id, seq);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Signing keys: next (published, not yet signing), active (signing),
-- retired (published for verification until retire_until).
CREATE TABLE signing_keys (
    kid           TEXT PRIMARY KEY,
    alg           TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('next', 'active', 'retired')),
    private_key   BLOB NOT NULL,
    created_at    TEXT NOT NULL,
    activated_at  TEXT,
    retired_at    TEXT,
    publish_until TEXT
);
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (alg, state) WHERE state = 'active';
