-- PostgreSQL dialect of migrations/0004_api.sql.
-- API keys, idempotency records of the REST API, and an index for the
-- expiry sweep. (0003 is reserved for the OAuth tables.)
CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,            -- key_…: the bearer value
    secret_hash  TEXT NOT NULL,               -- SHA-256 of the secret, shown once
    org_id       TEXT NOT NULL REFERENCES organizations (id),
    name         TEXT NOT NULL,
    environment  TEXT NOT NULL CHECK (environment IN ('live', 'test')),
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    expires_at   TEXT,
    last_used_at TEXT,                        -- batched: see app/keyusage.go
    revoked_at   TEXT
);
CREATE INDEX api_keys_org ON api_keys (org_id, id);

-- A POST with an Idempotency-Key: status 0 while the first request runs,
-- then its answer, replayed to retries for 24 hours.
CREATE TABLE idempotency_keys (
    actor        TEXT NOT NULL,
    key          TEXT NOT NULL,
    route        TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       BIGINT NOT NULL DEFAULT 0,
    body         BYTEA NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    PRIMARY KEY (actor, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- The sweep looks for live subscriptions whose end date has passed.
CREATE INDEX subscriptions_live_end ON subscriptions (end_date) WHERE status IN ('active', 'trial') AND end_date IS NOT NULL;
