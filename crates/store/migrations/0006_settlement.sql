-- Settlement runs and their statements (issue 14): what `zorginkoop settle ... --db` computed
-- from the claim results, per provider, as the statement JSON a person can follow line by line.
-- A run is recorded whole or not at all (one transaction with its audit row) and is never
-- changed afterwards: a new computation is a new run, the newest run of a domain and year is the
-- current one. The same inputs recorded twice give the one run (UNIQUE below), so a repeated
-- command settles nothing twice.
-- The same tables exist in PostgreSQL (postgres/0006_settlement.sql); keep the two in step.
CREATE TABLE settlement_runs (
    id             INTEGER PRIMARY KEY,
    domain         TEXT    NOT NULL,            -- 'wijkverpleging', ...
    year           INTEGER NOT NULL,
    policy_id      TEXT    NOT NULL,
    policy_version TEXT    NOT NULL,
    policy_sha256  TEXT    NOT NULL,
    inputs_sha256  TEXT    NOT NULL CHECK (length(inputs_sha256) = 64),
    inputs_note    TEXT    NOT NULL,            -- which files, in Dutch, for the reader
    recorded_by    TEXT    NOT NULL,
    recorded_at    TEXT    NOT NULL,
    UNIQUE (domain, year, inputs_sha256)
);

CREATE TABLE settlement_statements (
    id             INTEGER PRIMARY KEY,
    run_id         INTEGER NOT NULL REFERENCES settlement_runs (id),
    provider_agb   TEXT    NOT NULL CHECK (length(provider_agb) = 8 AND provider_agb NOT GLOB '*[^0-9]*'),
    category       TEXT    NOT NULL,
    total          TEXT,                        -- euro as a decimal string; NULL while incomplete
    statement_json TEXT    NOT NULL,
    UNIQUE (run_id, provider_agb)
);
CREATE INDEX settlement_statements_provider ON settlement_statements (provider_agb);

CREATE TRIGGER settlement_runs_no_update BEFORE UPDATE ON settlement_runs
BEGIN SELECT RAISE(ABORT, 'een vastgelegde afrekening is niet te wijzigen: leg een nieuwe run vast'); END;
CREATE TRIGGER settlement_runs_no_delete BEFORE DELETE ON settlement_runs
BEGIN SELECT RAISE(ABORT, 'een vastgelegde afrekening is niet te verwijderen: leg een nieuwe run vast'); END;
CREATE TRIGGER settlement_statements_no_update BEFORE UPDATE ON settlement_statements
BEGIN SELECT RAISE(ABORT, 'een vastgelegde afrekening is niet te wijzigen: leg een nieuwe run vast'); END;
CREATE TRIGGER settlement_statements_no_delete BEFORE DELETE ON settlement_statements
BEGIN SELECT RAISE(ABORT, 'een vastgelegde afrekening is niet te verwijderen: leg een nieuwe run vast'); END;
