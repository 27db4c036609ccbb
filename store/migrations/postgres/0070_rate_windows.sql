-- PostgreSQL dialect of migrations/0070_rate_windows.sql.
-- Rate-limit windows shared by every replica of a database several servers
-- serve (PostgreSQL): one row per limited key, counting the requests of its
-- current fixed window. A single process keeps its counts in memory.
CREATE TABLE rate_windows (
    key          TEXT PRIMARY KEY,
    window_start TEXT NOT NULL,
    count        BIGINT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX rate_windows_expires ON rate_windows (expires_at);
