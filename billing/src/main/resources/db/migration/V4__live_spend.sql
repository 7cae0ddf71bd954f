-- Live spend: what usage has been charged so far, kept next to the balances it came out of, so
-- that every node can rebuild its spend counters from one directory load without scanning usage.

-- usage charges written to the balance so far; balance + usage_charged changes only with
-- top-ups, adjustments and refunds
ALTER TABLE tenant ADD COLUMN usage_charged NUMERIC(24, 10) NOT NULL DEFAULT 0;
-- most requests in flight for the whole tenant, across its keys; NULL for no tenant-wide limit
ALTER TABLE tenant ADD COLUMN max_concurrency INT;
-- charged cost of the key's usage so far, against its spend quota
ALTER TABLE api_key ADD COLUMN spent NUMERIC(24, 10) NOT NULL DEFAULT 0;
UPDATE api_key SET spent = (SELECT COALESCE(SUM(u.charged_cost), 0) FROM usage_record u WHERE u.key_id = api_key.id);
