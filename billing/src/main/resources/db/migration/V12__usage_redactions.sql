-- What PII redaction masked in a request, by entity (e.g. "email=2,credit_card=1"); never the values.
ALTER TABLE usage_record ADD COLUMN redactions VARCHAR(256);
