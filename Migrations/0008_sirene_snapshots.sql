-- INSEE's SIRENE stock of establishments (StockEtablissement), cut to the registry's regions (issue #14).

-- INSEE's headcount bands (tranches d'effectif salarié, trancheEffectifsEtablissement): the bounds the jobs of an
-- establishment lie within. 53 is open-ended: it counts 10,000 at both ends and the statistics say how many.
CREATE TABLE headcount_bands (
    code  TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    low   INTEGER NOT NULL CHECK (low >= 0),
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

-- One import of the stock as of a stock date; importing the same date again replaces it in one transaction.
CREATE TABLE sirene_snapshots (
    id             INTEGER PRIMARY KEY,
    stock_date     TEXT NOT NULL UNIQUE CHECK (stock_date IS date(stock_date)),
    -- The regions kept: their codes, comma-separated, or 'all'.
    regions        TEXT NOT NULL CHECK (length(regions) BETWEEN 1 AND 200),
    -- The file's name as given ('-' for standard input), its data lines, the establishments kept, the malformed
    -- lines left out by --skip-bad-lines.
    file           TEXT NOT NULL,
    lines          INTEGER NOT NULL CHECK (lines >= 0),
    establishments INTEGER NOT NULL CHECK (establishments BETWEEN 0 AND lines),
    skipped_lines  INTEGER NOT NULL DEFAULT 0 CHECK (skipped_lines BETWEEN 0 AND lines),
    imported_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;

-- The active establishments of a snapshot located in its regions, every activity, so that any NAF set can be
-- asked later.
CREATE TABLE sirene_establishments (
    snapshot_id  INTEGER NOT NULL REFERENCES sirene_snapshots(id) ON DELETE CASCADE,
    siret        TEXT NOT NULL CHECK (length(siret) = 14),
    siren        TEXT NOT NULL CHECK (siren IS substr(siret, 1, 9)),
    -- The usual name (denominationUsuelleEtablissement), else the sign (enseigne1Etablissement).
    name         TEXT,
    -- codeCommuneEtablissement as SIRENE gives it (an arrondissement is kept: 13201) and its commune (13055),
    -- both found in the geography at import; no foreign key, so that a later geography (communes merge) never
    -- has to rewrite an older snapshot.
    commune_code TEXT NOT NULL CHECK (length(commune_code) = 5),
    commune      TEXT NOT NULL CHECK (length(commune) = 5),
    -- activitePrincipaleEtablissement and its nomenclature (NAFRev2, NAFRev1, NAF1993, NAPv2) as given.
    activity     TEXT,
    nomenclature TEXT,
    -- The activity when it is a NAF rev. 2 sub-class, else NULL: NAP and NAF rev. 1 codes belong to no set.
    naf_code     TEXT,
    -- NULL: no band given, an unknown headcount (never 0).
    band         TEXT REFERENCES headcount_bands(code) ON DELETE RESTRICT,
    band_year    INTEGER CHECK (band_year BETWEEN 1900 AND 2999),
    employer     INTEGER CHECK (employer IN (0, 1)),
    -- etablissementSiege (true/false); NULL when the file has no such column.
    head_office  INTEGER CHECK (head_office IN (0, 1)),
    created      TEXT CHECK (created IS date(created)),
    PRIMARY KEY (snapshot_id, siret)
) STRICT, WITHOUT ROWID;
-- The statistics read a snapshot's establishments by activity (a NAF set is a few dozen sub-classes), then their
-- commune, band and SIREN, from this index alone.
CREATE INDEX sirene_by_activity ON sirene_establishments(snapshot_id, naf_code, commune_code, band, siren);
-- `startup add --from-sirene`, `startup show`, `check --sirene`.
CREATE INDEX sirene_by_siren ON sirene_establishments(siren, snapshot_id);
