-- PII redaction policies: one per group and, optionally, one per key. mode is off (a request's
-- gateway.redact is ignored), allowed (the request decides) or enforced (entities are always
-- masked, and a request may add more but not remove them).
CREATE TABLE redaction_policy (
    id BIGSERIAL PRIMARY KEY,
    group_id BIGINT REFERENCES api_group (id) ON DELETE CASCADE,
    key_id BIGINT REFERENCES api_key (id) ON DELETE CASCADE,
    mode VARCHAR(16) NOT NULL,
    -- JSON array of entity names (email, phone, ...)
    entities VARCHAR(1024) NOT NULL DEFAULT '[]',
    -- JSON array of custom terms and /patterns/
    custom_terms TEXT NOT NULL DEFAULT '[]',
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT redaction_policy_one_scope CHECK ((group_id IS NULL) <> (key_id IS NULL)),
    CONSTRAINT redaction_policy_group_key UNIQUE (group_id),
    CONSTRAINT redaction_policy_key_key UNIQUE (key_id)
);
