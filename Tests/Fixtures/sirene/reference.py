#!/usr/bin/env python3
"""The tests' reference for `import sirene`, written from issue #14's rules with python3's csv module and the
seed files, not from the Swift code: prints, one repr() per line sorted by SIRET, the rows a registry should hold
after importing FILE, as (siret, siren, name, commune_code, commune, activity, nomenclature, naf_code, band,
band_year, employer, head_office, created), then a last line with the counts (lines, kept, closed, elsewhere,
abroad) and the stock date.

usage: reference.py FILE ENCODING REGIONS   (REGIONS: comma-separated codes, or all)
"""
import csv, io, sys, zipfile, os

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
path, encoding, regions = sys.argv[1], sys.argv[2], sys.argv[3]
communes = {}
with open(os.path.join(root, "Seeds", "0006_communes_2026.csv"), encoding="utf-8", newline="") as f:
    for row in csv.DictReader(f):
        communes[row["code"]] = (row["region"], row["parent"] or row["code"])
with open(os.path.join(root, "Seeds", "0002_naf_rev2.csv"), encoding="utf-8", newline="") as f:
    reader = csv.reader(f)
    next(reader)
    subclasses = {r[0] for r in reader if len(r[0]) == 6}

if path.endswith(".zip"):
    with zipfile.ZipFile(path) as z:
        data = z.read(z.namelist()[0])
else:
    data = open(path, "rb").read()
text = data.decode(encoding)
if text.startswith("\ufeff"):
    text = text[1:]
keep = None if regions == "all" else set(regions.split(","))
rows, lines, closed, elsewhere, abroad, latest = [], 0, 0, 0, 0, ""
for r in csv.DictReader(io.StringIO(text, newline="")):
    lines += 1
    latest = max(latest, r.get("dateDernierTraitementEtablissement", "")[:10])
    if r["etatAdministratifEtablissement"] != "A":
        closed += 1
        continue
    code = r["codeCommuneEtablissement"]
    if code == "":
        abroad += 1
        continue
    region, commune = communes[code]
    if keep is not None and region not in keep:
        elsewhere += 1
        continue
    empty = lambda v: None if v == "" else v
    activity, nomenclature = empty(r["activitePrincipaleEtablissement"]), empty(r["nomenclatureActivitePrincipaleEtablissement"])
    assert nomenclature != "NAFRev2" or activity is None or activity in subclasses
    head = r.get("etablissementSiege")
    rows.append((r["siret"], r["siren"], empty(r.get("denominationUsuelleEtablissement", "")) or empty(r.get("enseigne1Etablissement", "")),
                 code, commune, activity, nomenclature, activity if nomenclature == "NAFRev2" else None,
                 empty(r["trancheEffectifsEtablissement"]), int(r["anneeEffectifsEtablissement"]) if r.get("anneeEffectifsEtablissement") else None,
                 {"O": 1, "N": 0}.get(r.get("caractereEmployeurEtablissement", "")),
                 None if head is None else {"true": 1, "false": 0}[head],
                 empty(r.get("dateCreationEtablissement", ""))))
for row in sorted(rows):
    print(repr(row))
print(repr((lines, len(rows), closed, elsewhere, abroad, latest)))
