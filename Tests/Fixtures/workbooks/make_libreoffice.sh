#!/usr/bin/env bash
# LibreOffice's own files, from openpyxl.xlsx: an .ods, then an .xlsx and an .xls written by LibreOffice from it.
set -euo pipefail
cd "$(dirname "$0")"
tmp="$(mktemp -d)"
cp openpyxl.xlsx "$tmp/libreoffice.xlsx"
soffice -env:UserInstallation="file://$tmp/profile" --headless --convert-to ods --outdir "$tmp/ods" "$tmp/libreoffice.xlsx" >/dev/null
cp "$tmp/ods/libreoffice.ods" libreoffice.ods
soffice -env:UserInstallation="file://$tmp/profile" --headless --convert-to xlsx --outdir . libreoffice.ods >/dev/null
soffice -env:UserInstallation="file://$tmp/profile" --headless --convert-to xls --outdir . libreoffice.ods >/dev/null
rm -rf "$tmp"
# The import-ready firms-libreoffice.xlsx, from firms-openpyxl.xlsx (make_firms.py) through an .ods.
tmp="$(mktemp -d)"
soffice -env:UserInstallation="file://$tmp/profile" --headless --convert-to ods --outdir "$tmp" firms-openpyxl.xlsx >/dev/null
soffice -env:UserInstallation="file://$tmp/profile" --headless --convert-to xlsx --outdir "$tmp/x" "$tmp/firms-openpyxl.ods" >/dev/null
cp "$tmp/x/firms-openpyxl.xlsx" firms-libreoffice.xlsx
rm -rf "$tmp"
