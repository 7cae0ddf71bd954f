-- The id the upstream gave the request (its request-id / x-request-id header), next to Tollgate's
-- own request_id, so an operator can quote it to the provider. NULL when no upstream answered or it
-- sent none.
ALTER TABLE usage_record ADD COLUMN upstream_request_id VARCHAR(128);
