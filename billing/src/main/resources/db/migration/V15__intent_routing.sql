-- Intent routing, planning and context optimisation.
-- The model a group's requests are classified with (any model one of its accounts serves);
-- NULL turns gateway.tags, planning and the context optimisations off for the group.
ALTER TABLE api_group ADD COLUMN router_model VARCHAR(256);
-- The group's own defaults for those options, a JSON object shaped like a request's gateway
-- object (planningTriggerScore, chatHistoryCompression, toolOptimization, mediaOptimization);
-- a request's own value of an option replaces the group's. NULL for none.
ALTER TABLE api_group ADD COLUMN intent_defaults VARCHAR(4000);
-- What the router decided: the matched tag, the model it chose, and how the decision ended
-- (routed, kept, fallback_error, fallback_timeout, fallback_invalid, fallback_unservable).
ALTER TABLE usage_record ADD COLUMN intent_tag VARCHAR(64);
ALTER TABLE usage_record ADD COLUMN routed_model VARCHAR(256);
ALTER TABLE usage_record ADD COLUMN intent_outcome VARCHAR(32);
-- Tokens and charged cost of the router and planner calls made for the request (already
-- included in charged_cost).
ALTER TABLE usage_record ADD COLUMN planning_input_tokens BIGINT;
ALTER TABLE usage_record ADD COLUMN planning_output_tokens BIGINT;
ALTER TABLE usage_record ADD COLUMN planning_cost NUMERIC(24, 10);
-- Input tokens the context optimisations removed from the request, estimated.
ALTER TABLE usage_record ADD COLUMN context_tokens_saved BIGINT;
