"""Writes the files that regenerate.sh hands to LibreOffice (not collected by
`pytest`: run through regenerate.sh, which names this file).

Each source is one of dcplan's own downloads for the history in
round_trip_data.py, sometimes edited as a person would (with openpyxl)."""

import datetime
import io
import os
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

from tests.factories import PASSWORD
from tests.spreadsheets.round_trip_data import round_trip_history

pytestmark = pytest.mark.django_db

OUT = Path(os.environ.get("DCPLAN_SOURCES", "/tmp/dcplan-spreadsheet-sources"))


def _sheet_rows(sheet):
    return [[cell for cell in row] for row in sheet.iter_rows()]


def _column(sheet, name: str) -> int:
    return [cell.value for cell in sheet[1]].index(name) + 1


def test_write_the_sources(client, users):
    OUT.mkdir(parents=True, exist_ok=True)
    round_trip_history(users["hq"])
    client.login(username=users["hq"].username, password=PASSWORD)

    def download(name, **params) -> bytes:
        response = client.get(reverse(name), params)
        assert response.status_code == 200
        return response.content

    deliverables_xlsx = download("spreadsheets:export_deliverables", format="xlsx")
    (OUT / "deliverables.xlsx").write_bytes(deliverables_xlsx)
    (OUT / "deliverables.csv").write_bytes(download("spreadsheets:export_deliverables", format="csv"))
    (OUT / "history.csv").write_bytes(download("spreadsheets:export_history", format="csv"))

    # Two rows edited: 1.4.3 moves to achieved, 1.4.1's progress goes up.
    book = openpyxl.load_workbook(io.BytesIO(deliverables_xlsx))
    sheet = book.worksheets[0]
    codes = {sheet.cell(row, 1).value: row for row in range(2, sheet.max_row + 1)}
    status, progress, as_of = (_column(sheet, n) for n in ("status", "progress", "as_of"))
    sheet.cell(codes["1.4.3"], status).value = "achieved"
    sheet.cell(codes["1.4.3"], as_of).value = datetime.date(2024, 1, 31)
    sheet.cell(codes["1.4.1"], progress).value = 6
    sheet.cell(codes["1.4.1"], as_of).value = datetime.date(2024, 1, 31)
    book.save(OUT / "deliverables-edited.xlsx")

    # Progress typed as text "4.0", as pandas and many tools write a whole number.
    book = openpyxl.load_workbook(io.BytesIO(deliverables_xlsx))
    sheet = book.worksheets[0]
    for row in range(2, sheet.max_row + 1):
        cell = sheet.cell(row, progress)
        if isinstance(cell.value, int):
            cell.value = f"{cell.value}.0"
            cell.data_type = "s"
    book.save(OUT / "progress-as-text.xlsx")

    # The template, filled in: the instructions sheet stays first, the example
    # row stays, a "Comments" column is added, one row is hidden, one is
    # back-dated (1.4.1 said at risk on 2022-06-01), dates are date cells.
    template = download("spreadsheets:import_template", format="xlsx")
    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book["statuses"]
    sheet.cell(1, 7).value = "Comments"
    rows = [
        ["2.2.1", "on_track", 1, "First arrangement signed", "", datetime.date(2023, 5, 2), "ok"],
        ["3.3.1", "on_track", 2, "Two approaches", "", datetime.date(2023, 5, 2), "hidden"],
        ["1.4.1", "on_track", 3, "Correction for the record", "", datetime.date(2022, 3, 1), "back-dated"],
    ]
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            sheet.cell(3 + offset, column).value = value
    sheet.row_dimensions[4].hidden = True
    book.save(OUT / "template-filled.xlsx")

    # Dates formatted the local way, and date-times at midnight: a program
    # saving this as CSV writes what it shows.
    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book["statuses"]
    for offset, (code, formatting) in enumerate([("2.2.1", "dd/mm/yyyy"), ("3.3.1", "yyyy-mm-dd hh:mm:ss")]):
        values = [code, "on_track", 1, "", "", datetime.datetime(2022, 12, 31)]
        for column, value in enumerate(values, start=1):
            sheet.cell(3 + offset, column).value = value
        sheet.cell(3 + offset, 6).number_format = formatting
    book.save(OUT / "template-dates.xlsx")

    # The examples template, filled in with two examples.
    template = download("spreadsheets:import_examples_template", format="xlsx")
    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book["examples"]
    header = [cell.value for cell in sheet[1]]
    examples = [
        {"office_code": "CO-ABUJA", "title": "Social dialogue on the minimum wage", "countries": "NG"},
        {"office_code": "CO-DHAKA", "title": "Skills for youth", "countries": "BD"},
    ]
    example_row = [cell.value for cell in sheet[2]]
    for offset, changes in enumerate(examples):
        values = dict(zip(header, example_row, strict=True)) | changes
        for column, name in enumerate(header, start=1):
            sheet.cell(3 + offset, column).value = values[name]
    book.save(OUT / "examples-filled.xlsx")
