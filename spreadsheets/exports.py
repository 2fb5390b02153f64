"""Spreadsheet exports: each exporter yields a header row, then plain rows
(as pretix's ListExporter does); the writers below turn rows into CSV or
XLSX bytes. The views and the admin only choose the rows and write the
response.

Every cell of every format passes through neutralise_formula(): a cell
that a spreadsheet would read as a formula becomes text.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import tablib
from django.db.models import QuerySet
from django.utils import timezone
from import_export.formats import base_formats
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .resources import DeliverableResource, ProgressExampleResource, StatusUpdateResource

# A spreadsheet starts a formula (or a DDE command) with any of these. The
# library's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only looks at "=".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Row = list[object]


def neutralise_formula(value: object) -> object:
    """Prefix a single quote to text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Exporter:
    """A named list export: a Resource for the columns, a file name for the download."""

    name: str
    resource_class: type

    def rows(self, queryset: QuerySet) -> Iterator[Row]:
        """The header row, then one row per object, every cell neutralised.

        The queryset is read once, with what every column needs, so that an
        export runs the same number of queries for ten rows or ten thousand."""
        resource = self.resource_class()
        yield [neutralise_formula(header) for header in resource.get_export_headers()]
        for obj in resource.filter_export(queryset):
            yield [neutralise_formula(cell) for cell in resource.export_resource(obj)]

    def filename(self, extension: str) -> str:
        return f"dcplan-{self.name}-{timezone.localdate():%Y-%m-%d}.{extension}"


DELIVERABLES = Exporter("deliverables", DeliverableResource)
HISTORY = Exporter("status-history", StatusUpdateResource)
EXAMPLES = Exporter("progress-examples", ProgressExampleResource)


# Writers ------------------------------------------------------------------

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def write_csv(rows: Iterable[Row]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel reads accents correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([csv_text(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_value(value: object) -> object:
    if isinstance(value, str):
        # Control characters other than tab, line feed and carriage return
        # cannot be stored in the XML of a workbook.
        return ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", value)
    return value


def write_xlsx(rows: Iterable[Row], title: str = "dcplan") -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    for row in rows:
        # Every string cell is text: openpyxl would store "=…" as a formula,
        # but neutralise_formula() has already quoted those.
        sheet.append([xlsx_value(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


WRITERS = {
    "csv": (write_csv, CSV_CONTENT_TYPE),
    "xlsx": (write_xlsx, XLSX_CONTENT_TYPE),
}


# The admin's export formats: django-import-export builds a tablib Dataset
# from the same Resources, and these formats neutralise every cell of it
# before writing, like the staff exports.


def neutralised_dataset(dataset: tablib.Dataset, clean=lambda value: value) -> tablib.Dataset:
    result = tablib.Dataset(headers=[neutralise_formula(h) for h in dataset.headers or []])
    for row in dataset:
        result.append([clean(neutralise_formula(cell)) for cell in row])
    return result


class NeutralisedCSV(base_formats.CSV):
    def export_data(self, dataset, **kwargs):
        return super().export_data(neutralised_dataset(dataset), **kwargs)


class NeutralisedXLSX(base_formats.XLSX):
    def export_data(self, dataset, **kwargs):
        return super().export_data(neutralised_dataset(dataset, xlsx_value), **kwargs)


ADMIN_EXPORT_FORMATS = [NeutralisedCSV, NeutralisedXLSX]
