-- Labs and thrombosis (diagnostics 2020, document 003): a laboratory's choice between the regular
-- and the preferred contract with the figures its comparison was computed from, a thrombosis
-- service's request with its ceiling, and a laboratory's request to expand or move production.
-- Each is carried by an application of the common apply-review-sign path (application_id); its
-- status is the application's (and the proposal's that follows it).
-- The same table exists in PostgreSQL (postgres/0008_labs.sql); keep the two in step.

CREATE TABLE lab_requests (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    policy_id       TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('choice', 'thrombosis', 'production-change')),
    module          TEXT    NOT NULL,
    application_id  INTEGER NOT NULL REFERENCES applications (id),
    figures_source  TEXT    NOT NULL CHECK (figures_source IN ('entered', 'statement', 'none')),
    figures_json    TEXT    NOT NULL DEFAULT '{}',  -- the figures the comparison or ceiling was computed from
    ceiling_cents   INTEGER CHECK (ceiling_cents IS NULL OR ceiling_cents >= 0),
    change_json     TEXT,                           -- production-change: what, where, from when, why
    created_by      INTEGER NOT NULL REFERENCES users (id),
    created_at      TEXT    NOT NULL,
    UNIQUE (application_id)
);
CREATE INDEX lab_requests_organisation ON lab_requests (organisation_id);
