-- PostgreSQL dialect of migrations/0060_usage.sql.
-- Hourly usage counters: requests and their status classes, API keys' and
-- (organization, product) licence checks, failed OAuth flows, sign-ins and
-- rate-limit refusals. Counted in memory and added here in batches; rows
-- older than the retention (90 days by default) are swept.
CREATE TABLE usage_hourly (
    metric          TEXT NOT NULL,
    hour            TEXT NOT NULL,
    organization_id TEXT NOT NULL DEFAULT '',
    subject         TEXT NOT NULL DEFAULT '', -- api key id, product id, endpoint or method
    label           TEXT NOT NULL DEFAULT '', -- status class, licence code, error code or result
    count           BIGINT NOT NULL,
    PRIMARY KEY (metric, hour, organization_id, subject, label)
);
CREATE INDEX usage_hourly_hour ON usage_hourly (hour);
CREATE INDEX usage_hourly_subject ON usage_hourly (subject, metric, hour);
