"""Spreadsheet files for the import and export tests, built in memory."""

import csv
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from spreadsheets.resources import STATUS_IMPORT_COLUMNS

HEADER = list(STATUS_IMPORT_COLUMNS)


def csv_bytes(rows: list[list[object]], *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_upload(rows: list[list[object]], name: str = "statuses.csv", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_bytes(rows, **kwargs), content_type="text/csv")


def xlsx_upload(rows: list[list[object]], name: str = "statuses.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx_bytes(rows))


def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def read_xlsx(content: bytes) -> list[list[object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def xlsx_formula_cells(content: bytes) -> list[str]:
    """The cells a spreadsheet would compute."""
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]


def xlsx_string_cells(content: bytes, *, starting: tuple[str, ...]) -> list[str]:
    """The string cells whose text starts with one of `starting`; fails on any
    such text that is not a string cell."""
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    found = []
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(starting):
                assert cell.data_type == "s", (cell.coordinate, cell.data_type)
                found.append(cell.coordinate)
    return found
