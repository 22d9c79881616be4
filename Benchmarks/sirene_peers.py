#!/usr/bin/env python3
"""The peers of `frenchtech import sirene` + `stats ecosystem`: the same figures (Aix-Marseille's perimeter, EPCI
200054807 with Marseille's arrondissements; INSEE's ICT sector; the latest and only snapshot of the file) computed
by DuckDB straight from the CSV, or by the sqlite3 shell after `.import`. One SQL text serves both; it is written
here from the issue's definitions, not from frenchtech's code, so that the benchmark also checks the figures.

Usage:
  sirene_peers.py duckdb FILE              prints the figures as one JSON object (DuckDB's read_csv over FILE)
  sirene_peers.py sqlite3-script FILE      prints a script for `sqlite3 DB` that imports FILE and the seeds, then
                                           prints the figures as JSON
"""
import json
import os
import sys

SEEDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Seeds")
COMMUNES = os.path.join(SEEDS, "0006_communes_2026.csv")
NAF = os.path.join(SEEDS, "0002_naf_rev2.csv")

# INSEE's headcount bands (tranches d'effectif) and their bounds; 53 is open-ended and counts 10,000.
BANDS = [("NN", 0, 0), ("00", 0, 0), ("01", 1, 2), ("02", 3, 5), ("03", 6, 9), ("11", 10, 19), ("12", 20, 49),
         ("21", 50, 99), ("22", 100, 199), ("31", 200, 249), ("32", 250, 499), ("41", 500, 999),
         ("42", 1000, 1999), ("51", 2000, 4999), ("52", 5000, 9999), ("53", 10000, 10000)]

# INSEE's ICT sector (définition c1385): these groups and divisions of NAF rev. 2.
ICT_GROUPS = ["26.1", "26.2", "26.3", "26.4", "26.8", "46.5", "58.2", "63.1", "95.1"]
ICT_DIVISIONS = ["61", "62"]


def figures_sql():
    bands = ", ".join("('%s', %d, %d)" % band for band in BANDS)
    groups = ", ".join("'%s'" % g for g in ICT_GROUPS)
    divisions = ", ".join("'%s'" % d for d in ICT_DIVISIONS)
    return f"""
WITH bands(code, low, high) AS (VALUES {bands}),
territory AS (SELECT code FROM communes WHERE epci_siren = '200054807'),
ict AS (SELECT code FROM naf WHERE group_code IN ({groups}) OR division_code IN ({divisions})),
kept AS (
  SELECT s.siren, NULLIF(s.trancheEffectifsEtablissement, '') AS band
  FROM sirene s
  WHERE s.etatAdministratifEtablissement = 'A'
    AND s.nomenclatureActivitePrincipaleEtablissement = 'NAFRev2'
    AND s.activitePrincipaleEtablissement IN (SELECT code FROM ict)
    AND s.codeCommuneEtablissement IN (SELECT code FROM territory))
SELECT count(*) AS establishments,
       count(*) FILTER (WHERE k.band NOT IN ('NN', '00')) AS employer_establishments,
       count(DISTINCT k.siren) AS firms,
       coalesce(sum(b.low), 0) AS jobs_low,
       coalesce(sum((b.low + b.high) / 2.0), 0) AS jobs_mid,
       coalesce(sum(b.high), 0) AS jobs_high,
       count(*) FILTER (WHERE k.band IS NULL) AS unknown_headcount,
       count(*) FILTER (WHERE k.band = '53') AS open_ended
FROM kept k LEFT JOIN bands b ON b.code = k.band
"""


def duckdb_figures(path):
    import duckdb
    con = duckdb.connect()
    con.execute(f"CREATE VIEW communes AS SELECT * FROM read_csv('{COMMUNES}', all_varchar = true)")
    con.execute(f"CREATE VIEW naf AS SELECT * FROM read_csv('{NAF}', all_varchar = true)")
    con.execute(f"CREATE VIEW sirene AS SELECT * FROM read_csv('{path}', all_varchar = true, header = true)")
    cursor = con.execute(figures_sql())
    names = [d[0] for d in cursor.description]
    row = cursor.fetchone()
    return {name: (float(value) if name == "jobs_mid" else int(value)) for name, value in zip(names, row)}


def sqlite3_script(path):
    query = " ".join(figures_sql().split())
    # The shell's JSON mode prints the one row as an array of one object.
    return "\n".join([
        ".bail on",
        f".import --csv '{COMMUNES}' communes",
        f".import --csv '{NAF}' naf",
        f".import --csv '{path}' sirene",
        ".mode json",
        query + ";",
    ]) + "\n"


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("duckdb", "sqlite3-script"):
        sys.exit(__doc__)
    if sys.argv[1] == "duckdb":
        print(json.dumps(duckdb_figures(sys.argv[2])))
    else:
        sys.stdout.write(sqlite3_script(sys.argv[2]))


if __name__ == "__main__":
    main()
