-- PostgreSQL dialect of migrations/0021_rate_limit_overrides.sql.
-- Per-organization and per-key REST API rate limits set by an operator
-- (issue 8). 0 means the server's default (serve --rate-limit-*).
ALTER TABLE api_keys ADD COLUMN rate_limit_per_minute BIGINT NOT NULL DEFAULT 0;
ALTER TABLE organizations ADD COLUMN rate_limit_per_hour BIGINT NOT NULL DEFAULT 0;
