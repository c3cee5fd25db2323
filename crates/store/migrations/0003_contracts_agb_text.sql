-- AGB codes are codes, not numbers: kept as the 8 digits they are, leading zeros included
-- (a GP practice's AGB starts with 01). Rebuilds `contracts` with a TEXT provider_agb.
CREATE TABLE contracts_new (
    id              INTEGER PRIMARY KEY,
    provider_agb    TEXT    NOT NULL CHECK (length(provider_agb) = 8 AND provider_agb NOT GLOB '*[^0-9]*'),
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
INSERT INTO contracts_new (id, provider_agb, module, prestatie_codes, start_date, end_date, tariff_cents, ceiling_cents, contract_type)
    SELECT id, printf('%08d', provider_agb), module, prestatie_codes, start_date, end_date, tariff_cents, ceiling_cents, contract_type
    FROM contracts;
DROP TABLE contracts;
ALTER TABLE contracts_new RENAME TO contracts;
CREATE INDEX contracts_provider ON contracts (provider_agb, module);
