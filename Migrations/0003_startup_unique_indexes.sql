-- Startups' name key, SIREN and SIRET stay unique, but through named indexes instead of column UNIQUE
-- constraints: SQLite cannot drop the index behind a column constraint, and `frenchtech import` drops these
-- indexes during a large load to build each one once, sorted, at the end (about twice as fast on a million
-- rows). The SIREN and SIRET indexes leave NULLs out: the rule is the same (NULLs never collide) and the
-- indexes are smaller; `siren = ?` still uses them.
--
-- SQLite changes a column constraint only by rebuilding the table. With foreign keys on (they are, inside a
-- migration's transaction), dropping `startups` deletes its memberships (ON DELETE CASCADE): both tables are
-- copied aside first and put back. Indexes and triggers on `startups` go with the old table and are recreated
-- below: the triggers of migration 0002, word for word, once the rows are back (the totals they keep already
-- count those rows).

CREATE TEMP TABLE saved_startups AS SELECT * FROM startups;
CREATE TEMP TABLE saved_memberships AS SELECT * FROM memberships;
DROP TABLE startups;

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
-- Error messages keep their wording: "UNIQUE constraint failed: startups.siren".
CREATE UNIQUE INDEX startups_by_name_key ON startups(name_key);
CREATE UNIQUE INDEX startups_by_siren ON startups(siren) WHERE siren IS NOT NULL;
CREATE UNIQUE INDEX startups_by_siret ON startups(siret) WHERE siret IS NOT NULL;
CREATE INDEX startups_by_sector ON startups(sector_id);
CREATE INDEX startups_by_city ON startups(city);
CREATE INDEX startups_by_naf ON startups(naf_code);

INSERT INTO startups SELECT * FROM temp.saved_startups;
INSERT INTO memberships SELECT * FROM temp.saved_memberships;
DROP TABLE temp.saved_startups;
DROP TABLE temp.saved_memberships;

-- The triggers of 0002_statistics_aggregates.sql.
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

CREATE TRIGGER sector_totals_after_delete AFTER DELETE ON startups BEGIN
    UPDATE sector_totals SET
        firms = firms - 1,
        jobs = jobs - coalesce(OLD.employees, 0),
        unknown_headcount = unknown_headcount - (OLD.employees IS NULL),
        revenue_eur = revenue_eur - coalesce(OLD.revenue_eur, 0)
    WHERE sector_id = OLD.sector_id AND synthetic = (OLD.source = 'synthetic');
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
