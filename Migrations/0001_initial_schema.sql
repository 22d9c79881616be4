-- The registry's first schema. Shipped migrations are never edited: changes go in a new numbered file.
-- Every table is STRICT; every foreign key says what happens on delete.

CREATE TABLE sectors (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) BETWEEN 1 AND 200),
    description TEXT,
    source      TEXT NOT NULL
) STRICT;

-- INSEE's NAF rev. 2 nomenclature, one row per sub-class.
CREATE TABLE naf_codes (
    code           TEXT PRIMARY KEY CHECK (code GLOB '[0-9][0-9].[0-9][0-9][A-Z]'),
    label          TEXT NOT NULL,
    class_code     TEXT NOT NULL,
    class_label    TEXT NOT NULL,
    group_code     TEXT NOT NULL,
    group_label    TEXT NOT NULL,
    division_code  TEXT NOT NULL,
    division_label TEXT NOT NULL,
    section_code   TEXT NOT NULL,
    section_label  TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- An accelerator programme. The article names each programme by the organisation that pilots it.
CREATE TABLE accelerators (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) BETWEEN 1 AND 200),
    pilot     TEXT NOT NULL,
    -- A sector focus cannot disappear under a programme: remove the focus first.
    sector_id INTEGER REFERENCES sectors(id) ON DELETE RESTRICT,
    source    TEXT NOT NULL
) STRICT;
CREATE INDEX accelerators_by_sector ON accelerators(sector_id);

CREATE TABLE partners (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) BETWEEN 1 AND 200),
    kind   TEXT NOT NULL CHECK (kind IN ('city', 'intercommunality', 'state', 'region', 'other')),
    role   TEXT,
    source TEXT NOT NULL
) STRICT;

CREATE TABLE startups (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- The name lowercased and without accents (computed by the application): uniqueness and lookups
    -- ignore case and accents, so "Societe" finds "Société" and both cannot be registered.
    name_key    TEXT NOT NULL,
    siren       TEXT CHECK (siren GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),
    -- SIRET of the head office; its first nine digits are the SIREN.
    siret       TEXT CHECK (siret IS NULL
                            OR siret GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
                               AND siren IS substr(siret, 1, 9)),
    -- A sector in use can never be removed.
    sector_id   INTEGER NOT NULL REFERENCES sectors(id) ON DELETE RESTRICT,
    naf_code    TEXT REFERENCES naf_codes(code) ON DELETE RESTRICT,
    city        TEXT COLLATE NOCASE,
    -- NULL means unknown, which is not zero.
    employees   INTEGER CHECK (employees >= 0),
    founded     INTEGER CHECK (founded BETWEEN 1800 AND 9999),
    revenue_eur INTEGER CHECK (revenue_eur >= 0),
    source      TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
-- Uniqueness through named indexes rather than column UNIQUE constraints: SQLite cannot drop the index behind a
-- column constraint, and `frenchtech import` drops these during a large load to build each one once, sorted, at
-- the end (about twice as fast on a million rows). NULLs never collide, so the SIREN and SIRET indexes leave them
-- out. Error messages keep their wording: "UNIQUE constraint failed: startups.siren".
CREATE UNIQUE INDEX startups_by_name_key ON startups(name_key);
CREATE UNIQUE INDEX startups_by_siren ON startups(siren) WHERE siren IS NOT NULL;
CREATE UNIQUE INDEX startups_by_siret ON startups(siret) WHERE siret IS NOT NULL;
CREATE INDEX startups_by_sector ON startups(sector_id);
CREATE INDEX startups_by_city ON startups(city);
-- No index on naf_code: no command looks startups up by NAF code, and NAF codes are a reference table the CLI
-- never changes (a code deleted by hand makes its ON DELETE RESTRICT check scan startups once). Building such an
-- index cost about 0.5 s of a 1,000,000-row import (Benchmarks/run.sh).

CREATE TABLE memberships (
    -- Removing a startup removes its enrolments.
    startup_id     INTEGER NOT NULL REFERENCES startups(id) ON DELETE CASCADE,
    -- Removing a programme with enrolments is refused; `accelerator remove --force` detaches them first.
    accelerator_id INTEGER NOT NULL REFERENCES accelerators(id) ON DELETE RESTRICT,
    cohort         INTEGER CHECK (cohort BETWEEN 1800 AND 9999),
    PRIMARY KEY (startup_id, accelerator_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX memberships_by_accelerator ON memberships(accelerator_id, startup_id);

-- Figures of a territory as published (or derived from published figures, then marked derived).
CREATE TABLE territories (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL COLLATE NOCASE UNIQUE,
    level          TEXT NOT NULL CHECK (level IN ('metropolis', 'region', 'country')),
    -- A region cannot be removed while a territory within it remains.
    parent_id      INTEGER REFERENCES territories(id) ON DELETE RESTRICT,
    digital_jobs   INTEGER CHECK (digital_jobs >= 0),
    -- The territory's reported share of its parent's digital jobs, 0 to 1.
    reported_share REAL CHECK (reported_share BETWEEN 0 AND 1),
    firms          INTEGER CHECK (firms >= 0),
    revenue_eur    INTEGER CHECK (revenue_eur >= 0),
    reference_year INTEGER CHECK (reference_year BETWEEN 1800 AND 9999),
    label_awarded  TEXT CHECK (label_awarded IS date(label_awarded)),
    derived        INTEGER NOT NULL DEFAULT 0 CHECK (derived IN (0, 1)),
    notes          TEXT,
    source         TEXT NOT NULL
) STRICT;
CREATE INDEX territories_by_parent ON territories(parent_id);
