-- The regio-organisatie's regioplan (O&I, document 002): the plan as the RO edits it, every
-- round it submitted with the purchaser's answer, and the plan document (bounded upload).
-- The same tables exist in PostgreSQL (postgres/0007_regioplan.sql); keep the two in step.

-- One plan per regio-organisatie and policy: the current text (content_json) and where it is.
CREATE TABLE regional_plans (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    policy_id       TEXT    NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('draft', 'submitted', 'feedback', 'approved')),
    content_json    TEXT    NOT NULL DEFAULT '{}',  -- topics, network, information system, budget
    document_id     INTEGER,                        -- the current plan document
    created_by      INTEGER NOT NULL REFERENCES users (id),
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    UNIQUE (organisation_id, policy_id)
);

-- The plan documents (PDF, image or text), stored whole like attachments.
CREATE TABLE regional_plan_documents (
    id           INTEGER PRIMARY KEY,
    plan_id      INTEGER NOT NULL REFERENCES regional_plans (id),
    author_id    INTEGER NOT NULL REFERENCES users (id),
    file_name    TEXT    NOT NULL,
    content_type TEXT    NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg', 'text/plain')),
    size_bytes   INTEGER NOT NULL CHECK (size_bytes > 0),
    sha256       TEXT    NOT NULL CHECK (length(sha256) = 64),
    content_hex  TEXT    NOT NULL,
    created_at   TEXT    NOT NULL
);
CREATE INDEX regional_plan_documents_plan ON regional_plan_documents (plan_id);

-- Every submission (round 1, 2, ...): the plan as submitted, the answer term, and the answer
-- (approved, or feedback per part). A round is never removed; an answered round is never
-- answered again (the update is conditional on answered_at IS NULL).
CREATE TABLE regional_plan_rounds (
    id            INTEGER PRIMARY KEY,
    plan_id       INTEGER NOT NULL REFERENCES regional_plans (id),
    round         INTEGER NOT NULL CHECK (round >= 1),
    content_json  TEXT    NOT NULL,
    document_id   INTEGER REFERENCES regional_plan_documents (id),
    submitted_by  INTEGER NOT NULL REFERENCES users (id),
    submitted_at  TEXT    NOT NULL,   -- RFC 3339
    submitted_on  TEXT    NOT NULL,   -- YYYY-MM-DD
    due_on        TEXT    NOT NULL,   -- YYYY-MM-DD: submitted_on + regional-plan.response-weeks
    answered_by   INTEGER REFERENCES users (id),
    answered_at   TEXT,
    answered_on   TEXT,
    outcome       TEXT    CHECK (outcome IS NULL OR outcome IN ('approved', 'feedback')),
    feedback_json TEXT,               -- part id -> {approved, feedback}
    UNIQUE (plan_id, round)
);

-- The regio-organisatie's year figures as it entered them: the number of 75-plussers per year
-- (the budget Kwetsbare ouderen) and the Praktijkspiegel figures per monitor year (the KBZ
-- monitor, CSV as uploaded). Never changed: a new entry for the same year is the one that
-- counts, the earlier ones stay.
CREATE TABLE ro_year_figures (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    kind            TEXT    NOT NULL CHECK (kind IN ('persons-75-plus', 'kbz-praktijkspiegel')),
    year            INTEGER NOT NULL,
    content         TEXT    NOT NULL,
    entered_by      INTEGER NOT NULL REFERENCES users (id),
    entered_at      TEXT    NOT NULL
);
CREATE INDEX ro_year_figures_organisation ON ro_year_figures (organisation_id, kind, year);
