-- Decisions the engine made, kept as an audit trail: who asked, under which exact policy
-- (id, version, SHA-256) and engine, the outcome per module, and the full trace as JSON.
CREATE TABLE decisions (
    id               INTEGER PRIMARY KEY,
    decided_at       TEXT    NOT NULL,          -- UTC timestamp, RFC 3339
    provider_name    TEXT    NOT NULL,
    provider_agb     TEXT,
    provider_kind    TEXT    NOT NULL,
    policy_id        TEXT    NOT NULL,
    policy_version   TEXT    NOT NULL,
    policy_sha256    TEXT    NOT NULL CHECK (length(policy_sha256) = 64),
    engine_version   TEXT    NOT NULL,
    reference_date   TEXT    NOT NULL,          -- YYYY-MM-DD
    module           TEXT    NOT NULL,
    outcome          TEXT    NOT NULL CHECK (outcome IN ('eligible', 'not-eligible', 'needs-information', 'needs-review')),
    earliest_start   TEXT,                      -- YYYY-MM-DD
    trace_json       TEXT    NOT NULL
);
CREATE INDEX decisions_provider ON decisions (provider_name, module);
