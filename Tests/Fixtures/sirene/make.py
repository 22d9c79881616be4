#!/usr/bin/env python3
"""Writes the SIRENE fixtures of this folder (run it here; its outputs are committed). Every establishment is
SYNTHETIC: invented SIRENs (valid check digits) and names; the communes, NAF codes and headcount bands are real
codes. The layout is INSEE's StockEtablissement, format 3.11 (53 columns), with an older, shorter column set.
"""
import csv, io, os, sys, zipfile
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "Benchmarks"))
from sirene_generate import HEADER, luhn_digit

def siret(base8, nic4):
    siren = base8 + luhn_digit(base8)
    nic = nic4 + luhn_digit(siren + nic4)
    return siren, siren + nic

ROWS = [
    # commune, state, activity, nomenclature, band, band year, head office, employer, usual name, sign, created, treated
    ("13201", "A", "62.01Z", "NAFRev2", "11", "2023", "true", "O", "SYNTHETIQUE CALANQUES LOGICIEL", "", "2012-05-14", "2025-06-30T10:12:00"),
    ("13208", "A", "62.02A", "NAFRev2", "", "", "false", "N", "", "CAFÉ NUMÉRIQUE, MARSEILLE", "2016-09-01", "2024-02-11T08:00:00"),
    ("13001", "A", "58.21Z", "NAFRev2", "53", "2023", "true", "O", "SYNTHETIQUE SAINTE-VICTOIRE JEUX", "", "1999-01-01", "2025-01-15T12:00:00"),
    ("13001", "F", "62.01Z", "NAFRev2", "01", "2019", "false", "N", "SYNTHETIQUE FERME", "", "2001-03-03", "2025-10-31T23:59:59"),
    ("06088", "A", "62.01Z", "NAFRev2", "01", "2024", "true", "O", "", "", "2020-02-29", "2025-03-01T09:00:00"),
    ("83137", "A", "77.01", "NAPv2", "NN", "", "true", "N", "SYNTHETIQUE TOULON NAP", "", "1975-06-01", ""),
    ("84007", "A", "72.2A", "NAFRev1", "02", "2022", "true", "", "", "SYNTHETIQUE AVIGNON", "1995-11-20", "2023-12-12T00:00:00"),
    ("13055", "A", "63.11Z", "NAFRev2", "12", "2023", "true", "O", "SYNTHETIQUE MARSEILLE VILLE", "", "2010-10-10", "2025-05-05T05:05:05"),
    ("75101", "A", "62.01Z", "NAFRev2", "12", "2023", "true", "O", "SYNTHETIQUE PARIS", "", "2015-01-01", "2025-02-02T02:02:02"),
    ("69381", "A", "63.11Z", "NAFRev2", "00", "2023", "true", "N", "SYNTHETIQUE LYON", "", "2018-07-14", "2025-04-04T04:04:04"),
    ("", "A", "62.01Z", "NAFRev2", "01", "2023", "true", "O", "SYNTHETIQUE AUSLAND", "", "2019-05-05", "2025-03-03T03:03:03"),
    ("2A004", "A", "62.01Z", "NAFRev2", "03", "2023", "true", "O", "SYNTHETIQUE AJACCIO", "", "2011-11-11", "2025-01-01T01:01:01"),
    ("13213", "A", "26.20Z", "NAFRev2", "21", "2022", "true", "O", "SYNTHETIQUE CHATEAU-GOMBERT \"LABS\"", "", "2005-04-01", "2025-07-07T07:07:07"),
    ("13047", "A", "", "", "", "", "true", "", "", "", "", "2022-08-08T08:08:08"),
]

def records():
    out = []
    for i, (commune, state, activity, nomenclature, band, year, head, employer, usual, sign, created, treated) in enumerate(ROWS):
        base = "9%07d" % (1234 + (0 if i == 1 else i) * 37)  # rows 0 and 1: one firm, two establishments
        siren, number = siret(base, "%04d" % (10 + i))
        row = dict.fromkeys(HEADER, "")
        row.update(siren=siren, nic=number[9:], siret=number, statutDiffusionEtablissement="O",
                   dateCreationEtablissement=created, trancheEffectifsEtablissement=band, anneeEffectifsEtablissement=year,
                   dateDernierTraitementEtablissement=treated, etablissementSiege=head, nombrePeriodesEtablissement="1",
                   codeCommuneEtablissement=commune, etatAdministratifEtablissement=state,
                   activitePrincipaleEtablissement=activity, nomenclatureActivitePrincipaleEtablissement=nomenclature,
                   caractereEmployeurEtablissement=employer, denominationUsuelleEtablissement=usual, enseigne1Etablissement=sign,
                   dateDebut=created, libelleVoieEtablissement="DE LA REPUBLIQUE", typeVoieEtablissement="RUE")
        if commune == "":
            row.update(codePaysEtrangerEtablissement="99109", libellePaysEtrangerEtablissement="ALLEMAGNE",
                       libelleCommuneEtrangerEtablissement="BERLIN")
        out.append(row)
    return out

def write(name, header, rows, encoding="utf-8"):
    text = io.StringIO()
    w = csv.DictWriter(text, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    data = text.getvalue()
    with open(name, "wb") as f:
        f.write(data.encode(encoding))
    return data

rows = records()
data = write("stock-3.11.csv", HEADER, rows)
write("stock-3.11-windows-1252.csv", HEADER, rows, "cp1252")
write("stock-3.11-utf-16.csv", HEADER, rows, "utf-16")  # with its byte order mark
with zipfile.ZipFile("stock-3.11.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("StockEtablissement_utf8.csv", data)
# An older, shorter column set in another order: the required columns and a few optional ones.
OLD = ["siren", "nic", "siret", "dateCreationEtablissement", "trancheEffectifsEtablissement", "anneeEffectifsEtablissement",
       "dateDernierTraitementEtablissement", "etablissementSiege", "codeCommuneEtablissement", "etatAdministratifEtablissement",
       "enseigne1Etablissement", "denominationUsuelleEtablissement", "activitePrincipaleEtablissement",
       "nomenclatureActivitePrincipaleEtablissement"]
write("stock-older-columns.csv", OLD, rows)
