-- Admission policy: what happens when what is left of a balance, window or quota is below a
-- request's full cost bound.

-- clamp | overdraft | strict; NULL for the configured default (tollgate.billing.admission.policy)
ALTER TABLE api_group ADD COLUMN admission_policy VARCHAR(20);
-- how far the overdraft policy lets a tenant's final charges go beyond what was left; NULL for
-- the configured default (tollgate.billing.admission.overdraft-limit)
ALTER TABLE tenant ADD COLUMN overdraft_limit NUMERIC(24, 10);
-- the max_tokens sent upstream when admission lowered the client's, else NULL
ALTER TABLE usage_record ADD COLUMN max_tokens_clamped BIGINT;
