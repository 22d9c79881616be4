"""The SIRENE figures of issue #14 computed straight from a StockEtablissement CSV and the seed files, with
Python's csv module alone: the independent reference the tests compare `stats ecosystem` and
`stats regional-share --from sirene` with (never the code under test).

python3 expected_figures.py STOCK.csv --epci 200054807 [--region 93] [--by division|naf|commune|band]

Prints one JSON object: "total" (the territory's figures), "rows" (with --by: key -> figures, and labels),
"region" (with --region: that region's figures), "stock_date" (the latest dateDernierTraitementEtablissement).
The territory is the EPCI's communes and their arrondissements; the NAF set is INSEE's ICT sector.
"""
import argparse, csv, json, os

SEEDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "Seeds")
# INSEE's headcount bands (tranches d'effectif salarié): their bounds; 53 counts 10,000 at both ends.
BANDS = {"NN": (0, 0), "00": (0, 0), "01": (1, 2), "02": (3, 5), "03": (6, 9), "11": (10, 19), "12": (20, 49),
         "21": (50, 99), "22": (100, 199), "31": (200, 249), "32": (250, 499), "41": (500, 999), "42": (1000, 1999),
         "51": (2000, 4999), "52": (5000, 9999), "53": (10000, 10000)}
# INSEE's ICT sector (définition c1385): NAF rev. 2 groups and divisions.
ICT_GROUPS = {"26.1", "26.2", "26.3", "26.4", "26.8", "46.5", "58.2", "63.1", "95.1"}
ICT_DIVISIONS = {"61", "62"}


def read(name):
    with open(os.path.join(SEEDS, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def empty():
    return {"establishments": 0, "employer_establishments": 0, "sirens": set(), "jobs_low": 0, "jobs_mid2": 0,
            "jobs_high": 0, "unknown_headcount": 0, "open_ended": 0}


def add(figures, row):
    band = row["trancheEffectifsEtablissement"]
    figures["establishments"] += 1
    figures["sirens"].add(row["siren"])
    if band == "":
        figures["unknown_headcount"] += 1
        return
    low, high = BANDS[band]
    figures["employer_establishments"] += band not in ("NN", "00")
    figures["jobs_low"] += low
    figures["jobs_high"] += high
    figures["jobs_mid2"] += low + high
    figures["open_ended"] += band == "53"


def done(figures):
    out = dict(figures)
    out["firms"] = len(out.pop("sirens"))
    out["jobs_mid"] = out.pop("jobs_mid2") / 2
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("stock")
    parser.add_argument("--epci", required=True)
    parser.add_argument("--region")
    parser.add_argument("--by", choices=["division", "naf", "commune", "band"])
    args = parser.parse_args()

    communes = {r["code"]: r for r in read("0006_communes_2026.csv")}
    territory = {code for code, r in communes.items() if r["epci_siren"] == args.epci}
    naf = {r["code"]: r for r in read("0002_naf_rev2.csv")}
    ict = {code for code, r in naf.items() if r["group_code"] in ICT_GROUPS or r["division_code"] in ICT_DIVISIONS}

    total, region, rows, labels = empty(), empty(), {}, {}
    stock_date = ""
    with open(args.stock, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            stock_date = max(stock_date, row.get("dateDernierTraitementEtablissement", "")[:10])
            code = row["activitePrincipaleEtablissement"]
            if row["etatAdministratifEtablissement"] != "A" or row["nomenclatureActivitePrincipaleEtablissement"] != "NAFRev2" or code not in ict:
                continue
            commune = row["codeCommuneEtablissement"]
            if args.region and commune in communes and communes[commune]["region"] == args.region:
                add(region, row)
            if commune not in territory:
                continue
            add(total, row)
            if args.by:
                place = communes[commune]["parent"] or commune
                band = row["trancheEffectifsEtablissement"] or None
                key, label = {
                    "division": (code[:2], naf[code]["division_label"]),
                    "naf": (code, naf[code]["label"]),
                    "commune": (place, communes[place]["name"]),
                    "band": (band, None),
                }[args.by]
                add(rows.setdefault(key or "", empty()), row)
                labels[key or ""] = label
    out = {"total": done(total), "stock_date": stock_date}
    if args.by:
        out["rows"] = {key: dict(done(figures), label=labels[key]) for key, figures in rows.items()}
    if args.region:
        out["region"] = done(region)
    print(json.dumps(out))


main()
