"""The expected figures of the perimeter, commune and NAF-set tests, read straight from the seed files with
Python's csv module, independently of the registry's SQL. Both test targets (RegistryTests, CLITests) run
`python3 -c` with this file's folder on sys.path and `from seed_figures import *`, then print one JSON value."""
import csv
import json  # noqa: F401 (for the scripts that import everything from here)
import os

SEEDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'Seeds')

communes = list(csv.DictReader(open(os.path.join(SEEDS, '0006_communes_2026.csv'), encoding='utf-8')))
naf = list(csv.DictReader(open(os.path.join(SEEDS, '0002_naf_rev2.csv'), encoding='utf-8')))


def size(rows):
    """A perimeter's size as `territory show` gives it, from its rows of the communes' seed."""
    return {'communes': sum(1 for r in rows if r['kind'] == 'commune'), 'sirene_codes': len(rows),
            'population': sum(int(r['population_2025']) for r in rows if r['kind'] == 'commune' and r['population_2025']),
            'regions': sorted({r['region'] for r in rows})}


def covered(codes):
    """The NAF rev. 2 sub-classes that a list of divisions, groups, classes and sub-classes covers."""
    return sorted({r['code'] for r in naf if {r['code'], r['class_code'], r['group_code'], r['division_code']} & set(codes)})
