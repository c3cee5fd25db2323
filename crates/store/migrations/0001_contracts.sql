-- Contracts agreed with providers: one row per provider, module and (optionally) prestatie codes.
CREATE TABLE contracts (
    id              INTEGER PRIMARY KEY,
    provider_agb    INTEGER NOT NULL CHECK (provider_agb BETWEEN 1000000 AND 99999999),
    module          TEXT    NOT NULL,
    -- ';'-separated prestatie codes agreed explicitly; '' = every code of the module
    prestatie_codes TEXT    NOT NULL DEFAULT '',
    start_date      TEXT    NOT NULL,          -- YYYY-MM-DD
    end_date        TEXT,                      -- YYYY-MM-DD, NULL = open-ended
    tariff_cents    INTEGER NOT NULL CHECK (tariff_cents >= 0),
    ceiling_cents   INTEGER CHECK (ceiling_cents >= 0),
    contract_type   TEXT    NOT NULL DEFAULT 'regular',
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX contracts_provider ON contracts (provider_agb, module);
