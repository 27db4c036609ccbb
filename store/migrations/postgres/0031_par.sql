-- PostgreSQL dialect of migrations/0031_par.sql.
-- Pushed authorization requests (RFC 9126). A client may be required to
-- push every authorization request. Only the SHA-256 of the request_uri is
-- kept; params is the pushed request as a JSON object of string lists.
-- claimed_at is the first visit at /oauth/authorize (from then on the
-- sign-in may take up to 10 minutes); used_at is set when the request ends
-- in a code or a denial, after which the request_uri is refused.
ALTER TABLE oauth_clients ADD COLUMN require_par BIGINT NOT NULL DEFAULT 0 CHECK (require_par IN (0, 1));

CREATE TABLE oauth_par_requests (
    request_uri_hash TEXT PRIMARY KEY,
    client_id        TEXT NOT NULL REFERENCES oauth_clients (id),
    params           TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    expires_at       TEXT NOT NULL,
    claimed_at       TEXT,
    used_at          TEXT
);
CREATE INDEX oauth_par_requests_expires ON oauth_par_requests (expires_at);
