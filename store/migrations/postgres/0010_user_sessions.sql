-- PostgreSQL dialect of migrations/0010_user_sessions.sql.
-- One row per signed-in browser session, so users can see and end their
-- sessions. The scs session keeps the row's id ("sid"); deleting the row
-- ends the session at its next request.
CREATE TABLE user_sessions (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX user_sessions_user ON user_sessions (user_id, created_at);
CREATE INDEX user_sessions_created ON user_sessions (created_at);
