-- The territory's digital economy from INSEE's register (issue #14): France's geography, the perimeters of the
-- registry's territories, named sets of NAF codes, INSEE's headcount bands, and the snapshots of the SIRENE stock
-- of establishments.

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

-- INSEE's headcount bands (tranches d'effectifs salariés): the employees of an establishment on 31 December of
-- the band's year. `low` and `high` bound the band; 53 (10,000 or more) is open-ended and counts 10,000 in both.
-- NN: no employee; 00: no employee on 31 December but some during the year.
CREATE TABLE headcount_bands (
    code  TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    low   INTEGER NOT NULL,
    high  INTEGER NOT NULL CHECK (high >= low)
) STRICT, WITHOUT ROWID;
INSERT INTO headcount_bands (code, label, low, high) VALUES
    ('NN', 'no employee', 0, 0),
    ('00', 'no employee on 31 December, some during the year', 0, 0),
    ('01', '1 or 2', 1, 2),
    ('02', '3 to 5', 3, 5),
    ('03', '6 to 9', 6, 9),
    ('11', '10 to 19', 10, 19),
    ('12', '20 to 49', 20, 49),
    ('21', '50 to 99', 50, 99),
    ('22', '100 to 199', 100, 199),
    ('31', '200 to 249', 200, 249),
    ('32', '250 to 499', 250, 499),
    ('41', '500 to 999', 500, 999),
    ('42', '1,000 to 1,999', 1000, 1999),
    ('51', '2,000 to 4,999', 2000, 4999),
    ('52', '5,000 to 9,999', 5000, 9999),
    ('53', '10,000 or more', 10000, 10000);

-- One import of INSEE's stock of establishments (StockEtablissement) as of a stock date; importing the same date
-- again replaces it.
CREATE TABLE sirene_snapshots (
    id             INTEGER PRIMARY KEY,
    stock_date     TEXT NOT NULL UNIQUE CHECK (stock_date IS date(stock_date)),
    -- The regions kept, as a comma-separated list of codes, or 'all'.
    regions        TEXT NOT NULL,
    file           TEXT NOT NULL,
    lines          INTEGER NOT NULL CHECK (lines >= 0),
    establishments INTEGER NOT NULL CHECK (establishments >= 0),
    skipped_lines  INTEGER NOT NULL DEFAULT 0 CHECK (skipped_lines >= 0),
    imported_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;

-- The active establishments of a snapshot in its regions, every activity.
CREATE TABLE sirene_establishments (
    snapshot_id  INTEGER NOT NULL REFERENCES sirene_snapshots(id) ON DELETE CASCADE,
    siret        TEXT NOT NULL CHECK (length(siret) = 14),
    siren        TEXT NOT NULL CHECK (siren IS substr(siret, 1, 9)),
    -- The usual name (denominationUsuelleEtablissement), else the sign (enseigne1Etablissement).
    name         TEXT,
    -- codeCommuneEtablissement as SIRENE gives it (an arrondissement is kept: 13201) and the commune (13055).
    commune_code TEXT NOT NULL,
    commune      TEXT NOT NULL,
    activity     TEXT,
    nomenclature TEXT,
    -- The activity when it is a NAF rev. 2 sub-class (nomenclature NAFRev2), else NULL: NAP and NAF rev. 1 codes
    -- belong to no set.
    naf_code     TEXT,
    -- NULL: no band given (unknown headcount, never 0).
    band         TEXT REFERENCES headcount_bands(code) ON DELETE RESTRICT,
    band_year    INTEGER,
    employer     INTEGER CHECK (employer IN (0, 1)),
    head_office  INTEGER NOT NULL CHECK (head_office IN (0, 1)),
    created      TEXT,
    PRIMARY KEY (snapshot_id, siret)
) STRICT, WITHOUT ROWID;
-- The statistics read a snapshot's establishments by activity (a NAF set is a few dozen sub-classes), then
-- their commune, band and SIREN, from this index alone.
CREATE INDEX sirene_by_activity ON sirene_establishments(snapshot_id, naf_code, commune_code, band, siren);
-- `startup add --from-sirene SIREN`, `startup show`, `check --sirene`.
CREATE INDEX sirene_by_siren ON sirene_establishments(siren, snapshot_id);
