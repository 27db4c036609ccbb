-- PostgreSQL dialect of migrations/0052_webhooks.sql.
-- Webhooks (Standard Webhooks). Endpoints belong to an organization; the
-- operator's may take every organization's events (all_orgs). The secret
-- is kept (HMAC signing needs it); after a rotation the previous secret
-- also signs until previous_secret_until.
CREATE TABLE webhook_endpoints (
    id                    TEXT PRIMARY KEY,
    org_id                TEXT NOT NULL REFERENCES organizations (id),
    url                   TEXT NOT NULL,
    description           TEXT NOT NULL DEFAULT '',
    events                TEXT NOT NULL DEFAULT '[]', -- JSON array of event types
    all_orgs              BIGINT NOT NULL DEFAULT 0 CHECK (all_orgs IN (0, 1)),
    secret                TEXT NOT NULL,
    previous_secret       TEXT NOT NULL DEFAULT '',
    previous_secret_until TEXT,
    enabled               BIGINT NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    disabled_reason       TEXT NOT NULL DEFAULT '',
    failing_since         TEXT,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
);
CREATE INDEX webhook_endpoints_org ON webhook_endpoints (org_id);

-- The outbox: each event is written in the transaction of the change that
-- caused it, with one delivery per endpoint it matched; the worker sends
-- due deliveries and records every attempt.
CREATE TABLE webhook_events (
    id         TEXT PRIMARY KEY, -- msg_…: the webhook-id header
    org_id     TEXT NOT NULL DEFAULT '', -- '' for catalogue events
    type       TEXT NOT NULL,
    payload    TEXT NOT NULL, -- the JSON body sent
    created_at TEXT NOT NULL
);

CREATE TABLE webhook_deliveries (
    id              TEXT PRIMARY KEY,
    event_id        TEXT NOT NULL REFERENCES webhook_events (id),
    endpoint_id     TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at);

CREATE TABLE webhook_attempts (
    delivery_id   TEXT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt       BIGINT NOT NULL,
    attempted_at  TEXT NOT NULL,
    response_code BIGINT NOT NULL DEFAULT 0,
    response_body TEXT NOT NULL DEFAULT '', -- first 1 KiB
    latency_ms    BIGINT NOT NULL DEFAULT 0,
    error         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (delivery_id, attempt)
);
