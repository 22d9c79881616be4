#!/usr/bin/env python3
"""Writes a SYNTHETIC file in the layout of INSEE's SIRENE stock of establishments (StockEtablissement, format
3.11: its 53 columns, in order), for the benchmark and the tests. Every row is invented: the SIRENs are made up
(valid check digits, no real firm), the names say SYNTHETIQUE. Only the geography (COG 2026 communes and
arrondissements, drawn by population) and the nomenclatures (NAF rev. 2 sub-classes, INSEE's headcount bands)
are real. The same arguments give the same bytes.

Usage: sirene_generate.py --rows N --out FILE [--seed S] [--stock-date YYYY-MM-DD]

About 190 bytes a row. About 55 % of the rows are closed establishments (F), as in the real stock; about 0.3 %
are located abroad (no commune, a foreign country code); the latest dateDernierTraitementEtablissement is the
stock date (default 2026-11-01).
"""
import argparse
import bisect
import csv
import itertools
import os
import random

HEADER = [
    "siren", "nic", "siret", "statutDiffusionEtablissement", "dateCreationEtablissement",
    "trancheEffectifsEtablissement", "anneeEffectifsEtablissement", "activitePrincipaleRegistreMetiersEtablissement",
    "dateDernierTraitementEtablissement", "etablissementSiege", "nombrePeriodesEtablissement",
    "complementAdresseEtablissement", "numeroVoieEtablissement", "indiceRepetitionEtablissement",
    "dernierNumeroVoieEtablissement", "indiceRepetitionDernierNumeroVoieEtablissement", "typeVoieEtablissement",
    "libelleVoieEtablissement", "codePostalEtablissement", "libelleCommuneEtablissement",
    "libelleCommuneEtrangerEtablissement", "distributionSpecialeEtablissement", "codeCommuneEtablissement",
    "codeCedexEtablissement", "libelleCedexEtablissement", "codePaysEtrangerEtablissement",
    "libellePaysEtrangerEtablissement", "identifiantAdresseEtablissement", "coordonneeLambertAbscisseEtablissement",
    "coordonneeLambertOrdonneeEtablissement", "complementAdresse2Etablissement", "numeroVoie2Etablissement",
    "indiceRepetition2Etablissement", "typeVoie2Etablissement", "libelleVoie2Etablissement",
    "codePostal2Etablissement", "libelleCommune2Etablissement", "libelleCommuneEtranger2Etablissement",
    "distributionSpeciale2Etablissement", "codeCommune2Etablissement", "codeCedex2Etablissement",
    "libelleCedex2Etablissement", "codePaysEtranger2Etablissement", "libellePaysEtranger2Etablissement",
    "dateDebut", "etatAdministratifEtablissement", "enseigne1Etablissement", "enseigne2Etablissement",
    "enseigne3Etablissement", "denominationUsuelleEtablissement", "activitePrincipaleEtablissement",
    "nomenclatureActivitePrincipaleEtablissement", "caractereEmployeurEtablissement",
]
assert len(HEADER) == 53

SEEDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Seeds")
# INSEE's bands and a distribution of the same shape as the stock's: most establishments have no employee or no
# band at all ("" is an unknown headcount).
BANDS = [("", 30), ("NN", 45), ("00", 3), ("01", 9), ("02", 5), ("03", 3), ("11", 2.2), ("12", 1.5), ("21", 0.5),
         ("22", 0.25), ("31", 0.06), ("32", 0.07), ("41", 0.03), ("42", 0.012), ("51", 0.005), ("52", 0.002),
         ("53", 0.001)]
# ICT divisions and groups weigh more than their share of sub-classes (the digital economy the registry asks about).
ICT_PREFIXES = ("26.1", "26.2", "26.3", "26.4", "26.8", "46.5", "58.2", "61", "62", "63.1", "95.1")
STREETS = ["DE LA REPUBLIQUE", "DU PRADO", "NATIONAL", "DES CALANQUES", "DE LA MAIRIE", "PARADIS", "MIRABEAU",
           "DES PINS", "DE LA GARE", "DES OLIVIERS"]
KINDS = ["RUE", "AV", "BD", "CHE", "PL", "RUE", "CRS", "ALL", "RTE", "IMP"]
COUNTRIES = [("99109", "ALLEMAGNE"), ("99131", "BELGIQUE"), ("99134", "ESPAGNE"), ("99127", "ITALIE"), ("99140", "SUISSE")]


def luhn_digit(digits):
    """The digit that makes `digits` + it pass the Luhn check, as SIREN and SIRET numbers do."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def load_geography():
    """Communes SIRENE codes establishments by (arrondissements instead of Paris, Lyon and Marseille) and weights."""
    rows = list(csv.DictReader(open(os.path.join(SEEDS, "0006_communes_2026.csv"), encoding="utf-8")))
    population = {r["code"]: int(r["population_2025"] or 0) for r in rows}
    arrondissements = {}
    for r in rows:
        if r["kind"] == "arrondissement":
            arrondissements[r["parent"]] = arrondissements.get(r["parent"], 0) + 1
    places = [r for r in rows if r["code"] not in arrondissements]
    # The seed gives the arrondissements no population: each gets an equal part of its city's.
    weights = [max(population[r["parent"]] // arrondissements[r["parent"]] if r["parent"] else population[r["code"]], 50)
               for r in places]
    return places, list(itertools.accumulate(weights))


def load_activities():
    rows = list(csv.DictReader(open(os.path.join(SEEDS, "0002_naf_rev2.csv"), encoding="utf-8")))
    codes = [r["code"] for r in rows]
    weights = [12 if r["code"].startswith(ICT_PREFIXES) else 1 for r in rows]
    return codes, list(itertools.accumulate(weights))


def field(text):
    return '"' + text.replace('"', '""') + '"' if ("," in text or '"' in text) else text


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--stock-date", default="2026-11-01")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    places, place_cum = load_geography()
    codes, code_cum = load_activities()
    band_codes = [b for b, _ in BANDS]
    band_cum = list(itertools.accumulate(w for _, w in BANDS))
    place_total, code_total, band_total = place_cum[-1], code_cum[-1], band_cum[-1]
    stock_year = int(args.stock_date[:4])

    siren_counter = 30000000
    establishments_left = 0
    siren = nic = ""
    out = open(args.out, "w", encoding="utf-8", newline="")
    out.write(",".join(HEADER) + "\n")
    lines = []
    for index in range(args.rows):
        if establishments_left == 0:
            # A new firm: 1 establishment mostly, sometimes several (up to 40).
            siren_counter += rng.randint(1, 7)
            base = "%08d" % siren_counter
            siren = base + luhn_digit(base)
            establishments_left = 1 if rng.random() < 0.8 else rng.randint(2, 40)
            nic_number = 10
            head = True
        else:
            nic_number += rng.randint(1, 30)
            head = False
        establishments_left -= 1
        nic_base = "%04d" % (nic_number % 10000)
        nic = nic_base + luhn_digit(siren + nic_base)
        siret = siren + nic

        active = rng.random() < 0.45
        abroad = rng.random() < 0.003
        band = band_codes[bisect.bisect(band_cum, rng.random() * band_total)]
        band_year = "" if band == "" else str(rng.choice((stock_year - 3, stock_year - 2)))
        created_year = rng.randint(1950, stock_year)
        created = "%d-%02d-%02d" % (created_year, rng.randint(1, 12), rng.randint(1, 28))
        if index == 0:
            treated = args.stock_date + "T03:14:15"
        else:
            treated = "%d-%02d-%02dT%02d:%02d:%02d" % (rng.randint(max(min(created_year, stock_year - 1), 2010), stock_year - 1),
                                                        rng.randint(1, 12), rng.randint(1, 28),
                                                        rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))
        n = rng.random()
        if n < 0.90:
            activity, nomenclature = codes[bisect.bisect(code_cum, rng.random() * code_total)], "NAFRev2"
        elif n < 0.95:
            activity, nomenclature = "%02d.%d%s" % (rng.randint(1, 93), rng.randint(0, 9), rng.choice("ABCZ")), "NAFRev1"
        elif n < 0.97:
            activity, nomenclature = "%02d.%d%s" % (rng.randint(1, 93), rng.randint(0, 9), rng.choice("ABCZ")), "NAF1993"
        elif n < 0.99:
            activity, nomenclature = "%02d.%02d" % (rng.randint(1, 99), rng.randint(0, 99)), "NAPv2"
        else:
            activity, nomenclature = "", ""
        street = rng.randrange(len(STREETS))
        number = str(rng.randint(1, 250))
        if abroad:
            country, country_name = rng.choice(COUNTRIES)
            commune = postal = commune_name = address_id = x = y = ""
            foreign_city = "SYNTHETIQUE VILLE"
        else:
            place = places[bisect.bisect(place_cum, rng.random() * place_total)]
            commune = place["code"]
            postal = (place["department"][:2].replace("2A", "20").replace("2B", "20") + commune[-3:])
            commune_name = place["name"].upper()
            # The newer address columns are often empty in the stock.
            address_id = "%s_%04d_%05d" % (commune, rng.randint(0, 9999), int(number)) if rng.random() < 0.3 else ""
            located = rng.random() < 0.6
            x = "%.1f" % rng.uniform(100000, 1200000) if located else ""
            y = "%.1f" % rng.uniform(6000000, 7100000) if located else ""
            country = country_name = foreign_city = ""
        usual = sign = ""
        s = rng.random()
        if s < 0.25:
            usual = "SYNTHETIQUE %d" % index
        elif s < 0.40:
            sign = "SYNTHETIQUE %d, ENSEIGNE" % index if s < 0.27 else "SYNTHETIQUE ENSEIGNE %d" % index
        employer = "" if rng.random() < 0.05 else ("O" if band not in ("", "NN", "00") else "N")
        row = [
            siren, nic, siret, "O", created, band, band_year, "", treated, "true" if head else "false",
            str(rng.randint(1, 5)), "", number, "", "", "", KINDS[street], STREETS[street], postal, commune_name,
            foreign_city, "", commune, "", "", country, country_name, address_id, x, y,
            "", "", "", "", "", "", "", "", "", "", "", "", "", "",
            created, "A" if active else "F", field(sign), "", "", field(usual), activity, nomenclature, employer,
        ]
        lines.append(",".join(row))
        if len(lines) == 50000:
            out.write("\n".join(lines) + "\n")
            lines = []
    if lines:
        out.write("\n".join(lines) + "\n")
    out.close()


if __name__ == "__main__":
    main()
