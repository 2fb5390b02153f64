#!/bin/sh
# Regenerates the spreadsheet-program files that tests/spreadsheets/test_round_trips.py imports.
#
# 1. make_sources.py builds the history of round_trip_data.py in a test
#    database and writes dcplan's own downloads (some edited with openpyxl);
# 2. LibreOffice (headless) opens and saves each one as a person would.
#
# Needs LibreOffice Calc (Debian: apt-get install --no-install-recommends
# libreoffice-calc-nogui). Run from the repository root:
#     sh tests/spreadsheets/files/regenerate.sh
set -eu
here=tests/spreadsheets/files
sources=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$sources" "$work"' EXIT

DCPLAN_SOURCES="$sources" DJANGO_ALLOW_ASYNC_UNSAFE=true \
    .venv/bin/python -m pytest -q -p no:cacheprovider "$here/make_sources.py"

# A private profile: no settings of the person running it leak in.
lo() { soffice -env:UserInstallation="file://$work/profile" --headless "$@" >/dev/null 2>&1; }
# CSV filter options: separator, quote, character set (76 UTF-8, 1 Windows-1252),
# first line, column formats, language of the spreadsheet program.
semicolon_utf8='csv:Text - txt - csv (StarCalc):59,34,76,1'
comma_utf8='csv:Text - txt - csv (StarCalc):44,34,76,1'

resave() {  # resave SOURCE TARGET [options for the CSV import] [output filter]
    rm -rf "$work/out" && mkdir -p "$work/out"
    src="$1"; target="$2"; infilter="${3:-}"; filter="${4:-${target##*.}}"
    cp "$sources/$src" "$work/in.${src##*.}"
    if [ -n "$infilter" ]; then
        lo --infilter="$infilter" --convert-to "$filter" --outdir "$work/out" "$work/in.${src##*.}"
    else
        lo --convert-to "$filter" --outdir "$work/out" "$work/in.${src##*.}"
    fi
    mv "$work/out"/in*."${target##*.}" "$here/$target"  # in-SHEET.csv when a sheet is named
}

# Exports opened and saved again, unchanged.
resave deliverables.xlsx deliverables-resaved.xlsx
resave deliverables.xlsx deliverables-resaved-semicolon.csv "" "$semicolon_utf8"
resave deliverables.csv deliverables-csv-resaved.csv "CSV:44,34,76,1,,1033" "$comma_utf8"
resave history.csv history-resaved.csv "CSV:44,34,76,1,,1033" "$semicolon_utf8"
# Two rows edited.
resave deliverables-edited.xlsx deliverables-edited.xlsx
resave deliverables-edited.xlsx deliverables-edited-semicolon.csv "" "$semicolon_utf8"
# Progress as text "4.0".
resave progress-as-text.xlsx progress-as-text.csv "" "$comma_utf8"
# A German spreadsheet program turns the codes 1.4.1 into dates.
resave deliverables.csv codes-as-dates-de.csv "CSV:44,34,76,1,,1031" "$semicolon_utf8"
# The UTF-8 export opened as Windows-1252, saved as UTF-8.
resave deliverables.csv opened-as-windows-1252.csv "CSV:44,34,1,1,,1033" "$comma_utf8"
# Templates filled in.
resave template-filled.xlsx template-filled.xlsx
# The 12th option picks the sheet to save: 2, the statuses (1 is the instructions).
resave template-dates.xlsx template-dates.csv "" "$comma_utf8,,0,false,true,false,false,false,2"
resave examples-filled.xlsx examples-filled.xlsx
ls -l "$here"
