-- The reference data the SIRENE figures (issue #14) are cut by: France's geography, the perimeters of the
-- registry's territories and named sets of NAF codes. The SIRENE snapshots come with a later migration.

-- INSEE's Code officiel géographique 2026 and the DGCL's EPCI composition 2026: reference data, loaded from
-- Seeds/ (0003–0006) with every migration run, like the NAF nomenclature; the files name their source.
CREATE TABLE regions (
    code      TEXT PRIMARY KEY CHECK (code GLOB '[0-9][0-9]'),
    name      TEXT NOT NULL,
    chef_lieu TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE departments (
    code      TEXT PRIMARY KEY CHECK (code GLOB '[0-9][0-9AB]' OR code GLOB '97[0-9]'),
    region    TEXT NOT NULL REFERENCES regions(code) ON DELETE RESTRICT,
    name      TEXT NOT NULL,
    chef_lieu TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE epcis (
    siren           TEXT PRIMARY KEY CHECK (siren GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    communes        INTEGER NOT NULL CHECK (communes >= 0),
    population_2025 INTEGER CHECK (population_2025 >= 0)
) STRICT, WITHOUT ROWID;

-- Communes and the municipal arrondissements of Paris, Lyon and Marseille (kind 'arrondissement', parent: their
-- commune). SIRENE codes the establishments of these three cities by arrondissement.
CREATE TABLE communes (
    code            TEXT PRIMARY KEY CHECK (length(code) = 5),
    kind            TEXT NOT NULL CHECK (kind IN ('commune', 'arrondissement')),
    name            TEXT NOT NULL,
    department      TEXT NOT NULL REFERENCES departments(code) ON DELETE RESTRICT,
    region          TEXT NOT NULL REFERENCES regions(code) ON DELETE RESTRICT,
    parent          TEXT REFERENCES communes(code) ON DELETE RESTRICT CHECK ((kind = 'arrondissement') = (parent IS NOT NULL)),
    epci_siren      TEXT REFERENCES epcis(siren) ON DELETE RESTRICT,
    population_2025 INTEGER CHECK (population_2025 >= 0)
) STRICT, WITHOUT ROWID;
CREATE INDEX communes_by_epci ON communes(epci_siren);
CREATE INDEX communes_by_region ON communes(region);
CREATE INDEX communes_by_parent ON communes(parent) WHERE parent IS NOT NULL;

-- A territory's perimeter: an EPCI (its communes as of the geography above), a region, or a list of communes
-- (territory_perimeter_communes). A territory has at most one; one set replaces the last.
CREATE TABLE territory_perimeters (
    territory_id INTEGER PRIMARY KEY REFERENCES territories(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('epci', 'region', 'communes')),
    -- The EPCI's SIREN or the region's code; NULL for a list of communes.
    code         TEXT CHECK ((kind = 'communes') = (code IS NULL)),
    notes        TEXT,
    source       TEXT NOT NULL
) STRICT;

CREATE TABLE territory_perimeter_communes (
    territory_id INTEGER NOT NULL REFERENCES territory_perimeters(territory_id) ON DELETE CASCADE,
    commune      TEXT NOT NULL REFERENCES communes(code) ON DELETE RESTRICT,
    PRIMARY KEY (territory_id, commune)
) STRICT, WITHOUT ROWID;

-- The codes SIRENE may give an establishment of each territory: the perimeter's communes and the arrondissements
-- of those among them that have some (a listed 13055 brings 13201–13216).
CREATE VIEW territory_communes (territory_id, commune) AS
SELECT p.territory_id, c.code FROM territory_perimeters p JOIN communes c ON c.epci_siren = p.code WHERE p.kind = 'epci'
UNION ALL
SELECT p.territory_id, c.code FROM territory_perimeters p JOIN communes c ON c.region = p.code WHERE p.kind = 'region'
UNION ALL
SELECT l.territory_id, l.commune FROM territory_perimeter_communes l
UNION ALL
SELECT l.territory_id, c.code FROM territory_perimeter_communes l JOIN communes c ON c.parent = l.commune;

-- Named sets of NAF rev. 2 codes: a code is a division (62), a group (63.1), a class (58.21) or a sub-class
-- (58.21Z), checked against naf_codes by the application when a set is written.
CREATE TABLE naf_sets (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) BETWEEN 1 AND 200),
    source TEXT NOT NULL
) STRICT;

CREATE TABLE naf_set_codes (
    naf_set_id INTEGER NOT NULL REFERENCES naf_sets(id) ON DELETE CASCADE,
    code       TEXT NOT NULL CHECK (code GLOB '[0-9][0-9]' OR code GLOB '[0-9][0-9].[0-9]'
                                    OR code GLOB '[0-9][0-9].[0-9][0-9]' OR code GLOB '[0-9][0-9].[0-9][0-9][A-Z]'),
    PRIMARY KEY (naf_set_id, code)
) STRICT, WITHOUT ROWID;

-- The NAF rev. 2 sub-classes of each set.
CREATE VIEW naf_set_subclasses (naf_set_id, naf_code) AS
SELECT DISTINCT s.naf_set_id, n.code
FROM naf_set_codes s JOIN naf_codes n
  ON n.code = s.code OR n.class_code = s.code OR n.group_code = s.code OR n.division_code = s.code;
