-- PostgreSQL dialect of migrations/0003_oauth.sql.
-- OAuth 2.0 / OpenID Connect: clients, consents, authorization codes, grants
-- (token families), refresh tokens and revoked access tokens. Signing keys
-- keep the table of 0001; at most one next key per algorithm is added here.
CREATE UNIQUE INDEX signing_keys_one_next ON signing_keys (alg, state) WHERE state = 'next';

CREATE TABLE oauth_clients (
    id                        TEXT PRIMARY KEY,
    secret_hash               TEXT NOT NULL DEFAULT '', -- SHA-256 hex; '' for public clients
    name                      TEXT NOT NULL,
    description               TEXT NOT NULL DEFAULT '',
    redirect_uris             TEXT NOT NULL DEFAULT '[]', -- JSON array, compared exactly
    post_logout_redirect_uris TEXT NOT NULL DEFAULT '[]', -- JSON array
    allowed_scopes            TEXT NOT NULL DEFAULT '[]', -- JSON array
    grant_types               TEXT NOT NULL DEFAULT '[]', -- JSON array
    public                    BIGINT NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
    require_pkce              BIGINT NOT NULL DEFAULT 0 CHECK (require_pkce IN (0, 1)),
    first_party               BIGINT NOT NULL DEFAULT 0 CHECK (first_party IN (0, 1)),
    enabled                   BIGINT NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    org_id                    TEXT NOT NULL REFERENCES organizations (id),
    -- consent_version is bumped when redirect URIs or scopes change, so
    -- consents given to the earlier client are asked again.
    consent_version           BIGINT NOT NULL DEFAULT 1,
    created_at                TEXT NOT NULL,
    updated_at                TEXT NOT NULL
);
CREATE INDEX oauth_clients_org ON oauth_clients (org_id);

-- CORS origins, one row each, so a preflight (which names no client) is one
-- indexed lookup.
CREATE TABLE oauth_client_origins (
    origin    TEXT NOT NULL,
    client_id TEXT NOT NULL REFERENCES oauth_clients (id),
    PRIMARY KEY (origin, client_id)
);
CREATE INDEX oauth_client_origins_client ON oauth_client_origins (client_id);

CREATE TABLE oauth_consents (
    user_id         TEXT NOT NULL REFERENCES users (id),
    client_id       TEXT NOT NULL REFERENCES oauth_clients (id),
    scopes          TEXT NOT NULL, -- space-separated
    consent_version BIGINT NOT NULL, -- the client's consent_version when given
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (user_id, client_id)
);
CREATE INDEX oauth_consents_client ON oauth_consents (client_id);

-- Authorization codes: only the SHA-256 of the code is kept. A used code
-- stays until it expires, so a replay is recognised and its grant revoked.
CREATE TABLE oauth_codes (
    code_hash             TEXT PRIMARY KEY,
    grant_id              TEXT NOT NULL, -- the grant redeeming it creates
    client_id             TEXT NOT NULL REFERENCES oauth_clients (id),
    user_id               TEXT NOT NULL REFERENCES users (id),
    redirect_uri          TEXT NOT NULL,
    scopes                TEXT NOT NULL,
    nonce                 TEXT NOT NULL DEFAULT '',
    code_challenge        TEXT NOT NULL DEFAULT '',
    code_challenge_method TEXT NOT NULL DEFAULT '',
    session_id            TEXT NOT NULL DEFAULT '',
    auth_time             TEXT NOT NULL,
    session_version       BIGINT NOT NULL,
    created_at            TEXT NOT NULL,
    expires_at            TEXT NOT NULL,
    used_at               TEXT
);
CREATE INDEX oauth_codes_expires ON oauth_codes (expires_at);

-- A grant is one authorization and the family of every token descended from
-- it; revoking it ends them all. expires_at is the latest expiry of any of
-- its tokens, after which the sweep removes it.
CREATE TABLE oauth_grants (
    id             TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL REFERENCES oauth_clients (id),
    user_id        TEXT NOT NULL REFERENCES users (id),
    scopes         TEXT NOT NULL,
    session_id     TEXT NOT NULL DEFAULT '',
    auth_time      TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    expires_at     TEXT NOT NULL,
    revoked_at     TEXT,
    revoked_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX oauth_grants_user ON oauth_grants (user_id, client_id);
CREATE INDEX oauth_grants_client ON oauth_grants (client_id);
CREATE INDEX oauth_grants_expires ON oauth_grants (expires_at);

-- Refresh tokens: only the SHA-256 is kept. A rotated token keeps its row
-- (used_at set) until its own expiry, so presenting it again is detected.
CREATE TABLE oauth_refresh_tokens (
    token_hash      TEXT PRIMARY KEY,
    grant_id        TEXT NOT NULL REFERENCES oauth_grants (id),
    scopes          TEXT NOT NULL,
    session_version BIGINT NOT NULL,
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    used_at         TEXT
);
CREATE INDEX oauth_refresh_tokens_grant ON oauth_refresh_tokens (grant_id);
CREATE INDEX oauth_refresh_tokens_expires ON oauth_refresh_tokens (expires_at);

-- Access tokens revoked one by one (those without a grant: client
-- credentials), kept until they would have expired.
CREATE TABLE oauth_revoked_tokens (
    jti        TEXT PRIMARY KEY,
    expires_at TEXT NOT NULL
);
CREATE INDEX oauth_revoked_tokens_expires ON oauth_revoked_tokens (expires_at);
