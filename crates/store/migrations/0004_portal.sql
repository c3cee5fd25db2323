-- The contracting portal: organisations, users and their sessions, applications with their
-- question-and-answer threads, proposals and their signatures, and the append-only audit log.
-- The same tables exist in PostgreSQL (postgres/0004_portal.sql); keep the two in step.

-- A care provider (with AGB and KvK codes) or the insurer itself (kind 'insurer').
CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    agb         TEXT    UNIQUE CHECK (agb IS NULL OR (length(agb) = 8 AND agb NOT GLOB '*[^0-9]*')),
    kvk         TEXT    CHECK (kvk IS NULL OR (length(kvk) = 8 AND kvk NOT GLOB '*[^0-9]*')),
    -- a provider kind of the policies ('practice', 'group-practice', ...) or 'insurer'
    kind        TEXT    NOT NULL,
    region      TEXT,
    created_at  TEXT    NOT NULL
);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    email           TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL,
    role            TEXT    NOT NULL CHECK (role IN ('provider-user', 'provider-signer', 'purchaser', 'auditor', 'admin')),
    password_hash   TEXT    NOT NULL,            -- argon2id, PHC string
    active          INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT    NOT NULL
);

-- A logged-in browser: the cookie holds a random token, the table only its SHA-256.
CREATE TABLE sessions (
    token_sha256 TEXT    PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    csrf_token   TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    expires_at   TEXT    NOT NULL,
    ip           TEXT,
    user_agent   TEXT
);

-- Tokens for machine clients of /api/v1 (Authorization: Bearer ...), stored as SHA-256.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    token_sha256 TEXT    NOT NULL UNIQUE,
    label        TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    revoked_at   TEXT
);

-- Failed logins, for throttling (per e-mail address and per IP address).
CREATE TABLE login_failures (
    id     INTEGER PRIMARY KEY,
    email  TEXT NOT NULL,
    ip     TEXT NOT NULL,
    at     TEXT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, at);

-- An application for one module of one policy by one organisation.
CREATE TABLE applications (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    policy_id       TEXT    NOT NULL,
    module          TEXT    NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('draft', 'submitted', 'under-review', 'information-requested', 'granted', 'refused')),
    facts_json      TEXT    NOT NULL DEFAULT '{}',   -- the answers so far: fact name -> value
    decision_json   TEXT,                            -- the engine's decision at submission (zorginkoop.decision/2)
    submitted_at    TEXT,                            -- RFC 3339
    request_date    TEXT,                            -- YYYY-MM-DD: the date of submission, for the earliest start
    earliest_start  TEXT,                            -- YYYY-MM-DD
    reason          TEXT,                            -- why refused, or what information is asked
    created_by      INTEGER NOT NULL REFERENCES users (id),
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);
CREATE INDEX applications_organisation ON applications (organisation_id, state);

-- The question-and-answer thread of an application.
CREATE TABLE application_messages (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id),
    author_id      INTEGER NOT NULL REFERENCES users (id),
    body           TEXT    NOT NULL,
    created_at     TEXT    NOT NULL
);

-- A contract proposal (or an administrative contract recorded as agreed elsewhere).
CREATE TABLE proposals (
    id                INTEGER PRIMARY KEY,
    organisation_id   INTEGER NOT NULL REFERENCES organisations (id),
    application_id    INTEGER REFERENCES applications (id),
    policy_id         TEXT    NOT NULL,
    module            TEXT    NOT NULL,
    state             TEXT    NOT NULL CHECK (state IN ('proposed', 'accepted', 'refused', 'administrative')),
    terms_json        TEXT    NOT NULL,   -- tariffs: policy value and proposed value per item
    text              TEXT    NOT NULL,   -- the exact text the signer reads and signs
    text_sha256       TEXT    NOT NULL CHECK (length(text_sha256) = 64),
    start_date        TEXT    NOT NULL,
    end_date          TEXT,
    tariff_cents      INTEGER NOT NULL CHECK (tariff_cents >= 0),
    ceiling_cents     INTEGER CHECK (ceiling_cents >= 0),
    proposed_by       INTEGER NOT NULL REFERENCES users (id),
    proposed_at       TEXT    NOT NULL,
    answered_by       INTEGER REFERENCES users (id),
    answered_at       TEXT,
    answered_ip       TEXT,
    answered_user_agent TEXT,
    refusal_reason    TEXT,
    contract_id       INTEGER REFERENCES contracts (id)
);
CREATE INDEX proposals_organisation ON proposals (organisation_id, state);

-- Every state change: who, when, what, before and after, and the policy receipt. Rows are never
-- changed or removed: the triggers below refuse it.
CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    at              TEXT    NOT NULL,
    user_id         INTEGER REFERENCES users (id),
    organisation_id INTEGER REFERENCES organisations (id),
    action          TEXT    NOT NULL,
    object_type     TEXT    NOT NULL,
    object_id       INTEGER,
    before_json     TEXT,
    after_json      TEXT,
    receipt_json    TEXT,
    ip              TEXT
);
CREATE INDEX audit_log_organisation ON audit_log (organisation_id, at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'het auditlog is alleen aan te vullen: wijzigen is niet toegestaan'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'het auditlog is alleen aan te vullen: verwijderen is niet toegestaan'); END;
