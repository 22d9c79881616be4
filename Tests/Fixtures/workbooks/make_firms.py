#!/usr/bin/env python3
"""Makes the import-ready workbooks firms-*.xlsx (see README.md): the columns `import startups` reads.
Run from this folder: python3 make_firms.py && bash make_libreoffice.sh"""
import datetime
import openpyxl
from openpyxl.styles import Font
import xlsxwriter

HEADER = ["name", "sector", "siren", "city", "employees", "founded", "revenue_eur"]
FIRMS = [
    ["Société d’Œuvres Générales", "big data", "012345609", "Aix-en-Provence", 12, datetime.date(2015, 3, 14), 250000],
    ["Café Ça, à l’heure", "e-commerce", "552100554", "Marseille", 3, 2019, None],
    ["Crème brûlée – 5 €", "big data", None, "La Ciotat", None, None, None],
]
OTHER = [["name", "sector"], ["Façade œuvrée", "e-commerce"]]


def make_openpyxl(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Firms"
    ws.append(HEADER)
    for c in ws[1]:
        c.font = Font(bold=True)
    for row in FIRMS:
        ws.append(row)
    o = wb.create_sheet("Other")
    for row in OTHER:
        o.append(row)
    wb.save(path)


def make_xlsxwriter(path):
    wb = xlsxwriter.Workbook(path)
    date = wb.add_format({"num_format": 14})
    ws = wb.add_worksheet("Firms")
    ws.write_row(0, 0, HEADER)
    for r, row in enumerate(FIRMS, start=1):
        for c, v in enumerate(row):
            if isinstance(v, datetime.date):
                ws.write_datetime(r, c, datetime.datetime(v.year, v.month, v.day), date)
            elif isinstance(v, str):
                ws.write_string(r, c, v)
            elif v is not None:
                ws.write_number(r, c, v)
    o = wb.add_worksheet("Other")
    for r, row in enumerate(OTHER):
        o.write_row(r, 0, row)
    wb.close()


make_openpyxl("firms-openpyxl.xlsx")
make_xlsxwriter("firms-xlsxwriter.xlsx")
