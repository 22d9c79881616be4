-- Aggregates behind `frenchtech stats`: per sector, and per synthetic flag so that --exclude-synthetic reads them
-- too, the firms, the jobs (sum of known headcounts), the firms of unknown headcount and the revenue. Kept up to
-- date by the triggers below on every write, whoever writes (the CLI, an import, the sqlite3 shell), so that the
-- statistics read a handful of rows instead of every startup.
--
-- `sector_totals_fresh` is the one definition of what the aggregates must hold: the migration fills them from it,
-- `RegistryStore.rebuildAggregates()` refills them from it after a bulk load, and
-- `RegistryStore.aggregatesAreConsistent()` compares against it.
-- 'synthetic' is the `source` of generated rows (`syntheticSource` in Sources/Registry/Models.swift).

CREATE TABLE sector_totals (
    -- A removed sector takes its (empty) totals with it; a sector in use cannot be removed anyway.
    sector_id         INTEGER NOT NULL REFERENCES sectors(id) ON DELETE CASCADE,
    synthetic         INTEGER NOT NULL CHECK (synthetic IN (0, 1)),
    firms             INTEGER NOT NULL CHECK (firms >= 0),
    jobs              INTEGER NOT NULL CHECK (jobs >= 0),
    unknown_headcount INTEGER NOT NULL CHECK (unknown_headcount >= 0),
    revenue_eur       INTEGER NOT NULL CHECK (revenue_eur >= 0),
    PRIMARY KEY (sector_id, synthetic)
) STRICT, WITHOUT ROWID;

CREATE VIEW sector_totals_fresh (sector_id, synthetic, firms, jobs, unknown_headcount, revenue_eur) AS
SELECT sector_id, source = 'synthetic', count(*), coalesce(sum(employees), 0), count(*) - count(employees),
       coalesce(sum(revenue_eur), 0)
FROM startups
GROUP BY sector_id, source = 'synthetic';

INSERT INTO sector_totals SELECT * FROM sector_totals_fresh;

-- One upsert per changed row: a lookup in a table of a few dozen rows.
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
