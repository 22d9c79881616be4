#!/usr/bin/env python3
"""Writes a CSV of N synthetic firms in the columns `frenchtech import startups` reads, for the benchmark.

Usage: make_csv.py N OUT.csv [--seed S] [--delimiter ,]
Deterministic for a seed. Names are unique (case and accents ignored), SIRENs unique and Luhn-valid, half
the firms have a head-office SIRET; 10 sectors (the 5 seeded ones and 5 more, so the import needs
--new-sectors); a fifth of the firms are enrolled in one or two of the seeded programmes.
"""
import argparse
import csv
import random

SECTORS = ["e-tourisme", "e-commerce", "transmedia", "big data", "NFC",
           "fintech", "santé numérique", "cybersécurité", "greentech", "edtech"]
ACCELERATORS = ["voyageprive", "StarDust", "Telfrance Serie", "Jaguar", "gemalto", "P/factory", "NetAngels", "Kedge"]
NAF = ["62.01Z", "62.02A", "62.09Z", "63.11Z", "63.12Z", "58.29C", "47.91B", "73.11Z", "70.22Z", "72.19Z"]
CITIES = ["Marseille", "Aix-en-Provence", "Aubagne", "La Ciotat", "Martigues", "Vitrolles", "Marignane",
          "Gardanne", "Pertuis", "Istres", "Salon-de-Provence", "Allauch", "Les Pennes-Mirabeau"]
FIRST = ["Calanques", "Massilia", "Phocée", "Étoile", "Sainte-Victoire", "Vieux-Port", "Mistral", "Garrigue",
         "Cigale", "Provence", "Méditerranée", "Lavande", "Pastis", "Canebière", "Frioul", "Estaque"]
SECOND = ["Data", "Pay", "Numérique", "Labs", "Cloud", "Média", "Santé", "Sécurité", "Énergie", "Voyages",
          "Robotique", "Studio", "Réseaux", "Logiciels", "Services", "Systèmes"]


def luhn_complete(digits):
    """Appends the Luhn check digit to a string of digits."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        d = int(char)
        if position % 2 == 0:  # doubled: it will be second from the right once the check digit is added
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return digits + str((10 - total % 10) % 10)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("count", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--delimiter", default=",")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    # Distinct SIREN stems: a random permutation walk over 8-digit stems (stride coprime with 10^8).
    start, stride = rng.randrange(10**8), 48_271_069
    with open(args.out, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, delimiter=args.delimiter, lineterminator="\r\n")
        writer.writerow(["name", "sector", "siren", "siret", "naf_code", "city", "employees", "founded",
                         "revenue_eur", "accelerators"])
        for i in range(args.count):
            siren = luhn_complete(f"{(start + i * stride) % 10**8:08d}")
            siret = luhn_complete(siren + "0001") if rng.random() < 0.5 else ""
            employees = str(int(rng.paretovariate(1.3))) if rng.random() < 0.9 else ""
            revenue = str(rng.randrange(10_000, 5_000_000)) if rng.random() < 0.5 else ""
            programmes = "|".join(rng.sample(ACCELERATORS, rng.choice([1, 1, 2]))) if rng.random() < 0.2 else ""
            writer.writerow([
                f"{rng.choice(FIRST)} {rng.choice(SECOND)} {i + 1}",
                rng.choice(SECTORS), siren, siret, rng.choice(NAF), rng.choice(CITIES), employees,
                str(rng.randrange(1990, 2015)), revenue, programmes,
            ])


if __name__ == "__main__":
    main()
