-- District nursing (document 004): the applications of its process (existing providers,
-- new providers, Wijkgericht Werken, the regional availability function) with their answers,
-- the assessment, the processing term in working days, the purchaser's decision with the
-- budget proposal, and the signature. The same table exists in PostgreSQL
-- (postgres/0009_nursing.sql); keep the two in step.
CREATE TABLE nursing_applications (
    id                   INTEGER PRIMARY KEY,
    organisation_id      INTEGER NOT NULL REFERENCES organisations (id),
    policy_id            TEXT    NOT NULL,
    kind                 TEXT    NOT NULL CHECK (kind IN ('existing', 'new', 'neighbourhood', 'availability')),
    state                TEXT    NOT NULL CHECK (state IN ('submitted', 'refused', 'proposed', 'signed')),
    answers_json         TEXT    NOT NULL,
    findings_json        TEXT    NOT NULL,   -- the assessment at submission, cited
    submitted_by         INTEGER NOT NULL REFERENCES users (id),
    submitted_at         TEXT    NOT NULL,   -- RFC 3339
    submitted_on         TEXT    NOT NULL,   -- YYYY-MM-DD
    due_on               TEXT    NOT NULL,   -- YYYY-MM-DD: the processing term in working days
    decided_by           INTEGER REFERENCES users (id),  -- NULL for a refusal at submission
    decided_at           TEXT,
    decided_on           TEXT,
    reason               TEXT,
    escapes_granted_json TEXT,
    budget_json          TEXT,               -- the budget proposal, with its lines and sources
    signed_by            INTEGER REFERENCES users (id),
    signed_at            TEXT,
    signed_on            TEXT
);
CREATE INDEX nursing_applications_organisation ON nursing_applications (organisation_id, kind);
CREATE INDEX nursing_applications_due ON nursing_applications (state, due_on);
