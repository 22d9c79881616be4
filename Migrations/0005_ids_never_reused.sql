-- Ids are never given twice. A removed startup's id went to the next one registered (SQLite reuses the largest
-- rowid once its row is gone), so an id noted down, in a spreadsheet or a mail, could come to name another firm.
-- Every table whose ids people see (sectors, accelerators, partners, startups, territories) is rebuilt with
-- INTEGER PRIMARY KEY AUTOINCREMENT: SQLite then records the largest id ever given in sqlite_sequence and never
-- goes below it. The copy keeps every id, and copying them seeds sqlite_sequence with each table's largest.
--
-- SQLite cannot add AUTOINCREMENT with ALTER TABLE: each table is copied aside, dropped, created again with the
-- very text it had (CHECKs, collations, foreign keys and comments included; only AUTOINCREMENT added), filled
-- back, and given back its indexes and triggers, with the text of migrations 0001-0004. The Migrator runs this
-- with foreign keys off and checks them all before committing (dropping `sectors` with them on would refuse or
-- cascade). No ALTER TABLE ... RENAME: it would rewrite the references to the table in other tables, views and
-- triggers. The view `sector_totals_fresh` reads `startups` by name and needs no change.
--
-- The rows are copied back as they are, with SQLite's CHECK constraints not applied: a value stored before the
-- rules caught up with the schema (a name of 150 `e` + U+0301 imported, 300 code points for SQLite's length())
-- would otherwise make this migration, and so every command, fail on that registry. Such a row is kept, and
-- `frenchtech check` reports it (integrity_check and the rules) for correction.
PRAGMA ignore_check_constraints = ON;

CREATE TEMP TABLE sectors_0004 AS SELECT * FROM main.sectors;
DROP TABLE main.sectors;
CREATE TABLE sectors (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) BETWEEN 1 AND 200),
    description TEXT,
    source      TEXT NOT NULL
) STRICT;
INSERT INTO main.sectors SELECT * FROM temp.sectors_0004;
DROP TABLE temp.sectors_0004;

CREATE TEMP TABLE accelerators_0004 AS SELECT * FROM main.accelerators;
DROP TABLE main.accelerators;
CREATE TABLE accelerators (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    name      TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) BETWEEN 1 AND 200),
    pilot     TEXT NOT NULL,
    -- A sector focus cannot disappear under a programme: remove the focus first.
    sector_id INTEGER REFERENCES sectors(id) ON DELETE RESTRICT,
    source    TEXT NOT NULL
) STRICT;
INSERT INTO main.accelerators SELECT * FROM temp.accelerators_0004;
DROP TABLE temp.accelerators_0004;
CREATE INDEX accelerators_by_sector ON accelerators(sector_id);

CREATE TEMP TABLE partners_0004 AS SELECT * FROM main.partners;
DROP TABLE main.partners;
CREATE TABLE partners (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    name   TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) BETWEEN 1 AND 200),
    kind   TEXT NOT NULL CHECK (kind IN ('city', 'intercommunality', 'state', 'region', 'other')),
    role   TEXT,
    source TEXT NOT NULL
) STRICT;
INSERT INTO main.partners SELECT * FROM temp.partners_0004;
DROP TABLE temp.partners_0004;

CREATE TEMP TABLE startups_0004 AS SELECT * FROM main.startups;
DROP TABLE main.startups;
CREATE TABLE startups (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO main.startups SELECT * FROM temp.startups_0004;
DROP TABLE temp.startups_0004;
CREATE INDEX startups_by_city ON startups(city);
CREATE UNIQUE INDEX startups_by_name_key ON startups(name_key);
CREATE UNIQUE INDEX startups_by_siren ON startups(siren) WHERE siren IS NOT NULL;
CREATE TRIGGER sector_totals_after_delete AFTER DELETE ON startups BEGIN
    UPDATE sector_totals SET
        firms = firms - 1,
        jobs = jobs - coalesce(OLD.employees, 0),
        unknown_headcount = unknown_headcount - (OLD.employees IS NULL),
        revenue_eur = revenue_eur - coalesce(OLD.revenue_eur, 0)
    WHERE sector_id = OLD.sector_id AND synthetic = (OLD.source = 'synthetic');
END;
CREATE TRIGGER sector_totals_after_insert AFTER INSERT ON startups BEGIN
    INSERT INTO sector_totals (sector_id, synthetic, firms, jobs, unknown_headcount, revenue_eur)
    VALUES (NEW.sector_id, NEW.source = 'synthetic', 1, coalesce(NEW.employees, 0), NEW.employees IS NULL,
            coalesce(NEW.revenue_eur, 0))
    ON CONFLICT (sector_id, synthetic) DO UPDATE SET
        firms = firms + 1,
        jobs = jobs + excluded.jobs,
        unknown_headcount = unknown_headcount + excluded.unknown_headcount,
        revenue_eur = revenue_eur + excluded.revenue_eur;
END;
CREATE TRIGGER sector_totals_after_update AFTER UPDATE OF sector_id, employees, revenue_eur, source ON startups BEGIN
    UPDATE sector_totals SET
        firms = firms - 1,
        jobs = jobs - coalesce(OLD.employees, 0),
        unknown_headcount = unknown_headcount - (OLD.employees IS NULL),
        revenue_eur = revenue_eur - coalesce(OLD.revenue_eur, 0)
    WHERE sector_id = OLD.sector_id AND synthetic = (OLD.source = 'synthetic');
    INSERT INTO sector_totals (sector_id, synthetic, firms, jobs, unknown_headcount, revenue_eur)
    VALUES (NEW.sector_id, NEW.source = 'synthetic', 1, coalesce(NEW.employees, 0), NEW.employees IS NULL,
            coalesce(NEW.revenue_eur, 0))
    ON CONFLICT (sector_id, synthetic) DO UPDATE SET
        firms = firms + 1,
        jobs = jobs + excluded.jobs,
        unknown_headcount = unknown_headcount + excluded.unknown_headcount,
        revenue_eur = revenue_eur + excluded.revenue_eur;
END;

CREATE TEMP TABLE territories_0004 AS SELECT * FROM main.territories;
DROP TABLE main.territories;
CREATE TABLE territories (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO main.territories SELECT * FROM temp.territories_0004;
DROP TABLE temp.territories_0004;
CREATE INDEX territories_by_parent ON territories(parent_id);

PRAGMA ignore_check_constraints = OFF;
