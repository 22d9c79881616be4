#!/usr/bin/env python3
"""Makes the workbook fixtures from one data set (see README.md). Run from this folder:
    python3 make_fixtures.py && bash make_libreoffice.sh
"""
import datetime
import openpyxl
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Font
import xlsxwriter

HEADER = ["name", "siren_text", "siren_number", "city", "employees", "founded", "active", "notes"]
ROWS = [
    ["Société d’Œuvres Générales", "012345678", 12345678, "Aix-en-Provence", 12,
     datetime.date(2015, 3, 14), True, "prix : 5 € ; remise"],
    ["Café Ça, à l’heure", "552100554", 552100554, "Marseille", 3.5,
     datetime.date(2019, 12, 31), False, "ligne 1\nligne 2"],
    ["Crème brûlée, Inc.", None, None, "La Ciotat", None, None, None, "a, b; c"],
    ["Façade", "732829320", None, None, 0, datetime.date(1999, 1, 1), True, None],
]
PROGRAMMES = [["programme", "cohort"], ["Jaguar", 2014], ["P/factory", 2016], ["Kedge", None]]


def make_openpyxl(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Startups"
    ws.append(HEADER)
    for c in ws[1]:
        c.font = Font(bold=True)
    for row in ROWS:
        ws.append(row)
    ws.freeze_panes = "A2"
    # a rich text cell (runs <r><t>) and an error value
    ws["I1"] = "extra"
    ws["I2"] = CellRichText([TextBlock(InlineFont(b=True), "gras"), " et normal"])
    ws["I3"] = "#N/A"
    p = wb.create_sheet("Programmes")
    for row in PROGRAMMES:
        p.append(row)
    wb.save(path)


def make_xlsxwriter(path, constant_memory):
    wb = xlsxwriter.Workbook(path, {"constant_memory": constant_memory})
    bold = wb.add_format({"bold": True})
    iso = wb.add_format({"num_format": "yyyy-mm-dd"})
    builtin = wb.add_format({"num_format": 14})
    ws = wb.add_worksheet("Startups")
    ws.write_row(0, 0, HEADER + ["extra"], bold)
    for r, row in enumerate(ROWS, start=1):
        for c, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, datetime.date):
                ws.write_datetime(r, c, datetime.datetime(v.year, v.month, v.day), iso if r % 2 else builtin)
            elif isinstance(v, bool):
                ws.write_boolean(r, c, v)
            elif isinstance(v, str):
                ws.write_string(r, c, v)
            else:
                ws.write_number(r, c, v)
        if r == 1:
            ws.write_rich_string(r, 8, bold, "gras", " et normal")
        if r == 2:
            ws.write_formula(r, 8, '=D3&"!"', None, "La Ciotat!")
        if r == 3:
            ws.write_formula(r, 8, "=1/0", None, "#DIV/0!")
    ws.freeze_panes(1, 0)
    p = wb.add_worksheet("Programmes")
    for r, row in enumerate(PROGRAMMES):
        for c, v in enumerate(row):
            if v is not None:
                p.write(r, c, v)
    wb.close()


make_openpyxl("openpyxl.xlsx")
make_xlsxwriter("xlsxwriter.xlsx", False)
make_xlsxwriter("xlsxwriter-inline.xlsx", True)
