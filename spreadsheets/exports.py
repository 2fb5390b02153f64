"""Spreadsheet exports: each exporter yields a header row, then plain rows
(as pretix's ListExporter does); the writers below turn rows into CSV or
XLSX bytes. The views and the admin only choose the rows and write the
response.

No exported cell can run as a formula, and every value comes back exactly
when the file is imported again:

- XLSX: text is written as string cells, which no spreadsheet program
  computes, so it is written as it is, without an apostrophe;
- CSV: a program decides what a cell is from its text, so a value that
  starts a formula (= + - @ tab, carriage return) is prefixed with an
  apostrophe, and so is a value that already starts with one. The import
  removes exactly one leading apostrophe from a CSV cell, which gives back
  every value, "'-' marks the regions" included (spreadsheets.reading).
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import tablib
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .resources import DeliverableResource, ProgressExampleResource, StatusUpdateResource

# A spreadsheet starts a formula (or a DDE command) with any of these. The
# library's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only looks at "=".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The CSV escape: added before a formula start, and before itself so that
# the import can tell it from an apostrophe that belongs to the value.
APOSTROPHE = "'"

Row = list[object]


def neutralise_formula(value: object) -> object:
    """A CSV cell's text: an apostrophe before text a spreadsheet would read
    as a formula, and before text that starts with an apostrophe."""
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, APOSTROPHE)):
        return APOSTROPHE + value
    return value


@dataclass(frozen=True)
class Exporter:
    """A named list export: a Resource for the columns, a file name for the download."""

    name: str
    resource_class: type

    def rows(self, queryset: QuerySet) -> Iterator[Row]:
        """The header row, then one row per object, as plain Python values.

        The queryset is read once, with what every column needs, so that an
        export runs the same number of queries for ten rows or ten thousand."""
        resource = self.resource_class()
        yield list(resource.get_export_headers())
        for obj in resource.filter_export(queryset):
            yield list(resource.export_resource(obj))

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
    return str(neutralise_formula(value))


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


# How the sheets look: readable without touching a column.
MIN_WIDTH, MAX_WIDTH = 8, 60
WIDTH_SAMPLE = 500  # rows measured for the column widths
LINE_HEIGHT, MAX_LINES = 15, 8  # points per line of wrapped text, lines shown at most
DATE_FORMAT = "yyyy-mm-dd"  # also what a program writes when it saves the sheet as CSV
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
EXAMPLE_FONT = Font(italic=True, color="555555")


@dataclass
class Sheet:
    """A sheet of a workbook: its rows (the first is the header when `header`),
    the lists offered in some columns, and rows shown as examples."""

    title: str
    rows: Sequence[Row]
    header: bool = True
    choices: dict[str, list[str]] = field(default_factory=dict)  # column name → allowed values
    example_rows: int = 0  # rows after the header that are an example, in italics
    blank_rows: int = 0  # rows after the data that still offer the lists


def _width(value: object) -> int:
    if isinstance(value, datetime.datetime):
        return 19
    if isinstance(value, datetime.date):
        return 10
    text = "" if value is None else str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def _lines(row: Row, widths: list[int]) -> int:
    """How many lines the tallest cell of the row takes, wrapped at its column's width."""
    lines = 1
    for index, value in enumerate(row):
        if isinstance(value, str) and value:
            width = max(min(widths[index], MAX_WIDTH) - 2, 1)
            lines = max(lines, sum(-(-len(line) // width) or 1 for line in value.splitlines()))
    return lines


def _cell(sheet, value: object, *, wrap: bool, font: Font | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, xlsx_value(value))
    if isinstance(value, str):
        # Text stays text, even "=1+1": a string cell is never computed.
        cell.data_type = "s"
        cell.alignment = WRAP if wrap else TOP
    else:
        cell.alignment = TOP
    if isinstance(value, datetime.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    if font is not None:
        cell.font = font
    return cell


def _write_sheet(workbook: Workbook, spec: Sheet) -> None:
    sheet = workbook.create_sheet(title=spec.title[:31])
    rows = spec.rows
    columns = max((len(row) for row in rows), default=0)
    widths = [MIN_WIDTH] * columns
    for row in rows[: WIDTH_SAMPLE + 1]:
        for index, value in enumerate(row):
            widths[index] = max(widths[index], _width(value) + 2)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width, MAX_WIDTH)
    wrap = [width > MAX_WIDTH for width in widths]
    if spec.header and rows:
        sheet.freeze_panes = "A2"
        # Printed (or saved as PDF) across the page, the header on every page.
        sheet.page_setup.orientation = "landscape"
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.print_title_rows = "1:1"
        last_row = len(rows) + spec.blank_rows
        sheet.auto_filter.ref = f"A1:{get_column_letter(max(columns, 1))}{last_row}"
        _add_choices(sheet, spec, last_row)
    for number, row in enumerate(rows):
        lines = _lines(row, widths)
        if lines > 1:
            # Programs do not grow a row for wrapped text when they open a file.
            sheet.row_dimensions[number + 1].height = LINE_HEIGHT * min(lines, MAX_LINES)
        if spec.header and number == 0:
            cells = [_cell(sheet, value, wrap=False, font=HEADER_FONT) for value in row]
            for cell in cells:
                cell.fill = HEADER_FILL
        else:
            font = EXAMPLE_FONT if spec.header and number <= spec.example_rows else None
            cells = [_cell(sheet, value, wrap=wrap[index], font=font) for index, value in enumerate(row)]
        sheet.append(cells)


def _add_choices(sheet, spec: Sheet, last_row: int) -> None:
    header = list(spec.rows[0])
    for name, allowed in spec.choices.items():
        if name not in header:
            continue
        letter = get_column_letter(header.index(name) + 1)
        validation = DataValidation(type="list", formula1='"' + ",".join(allowed) + '"', allow_blank=True)
        validation.error = ", ".join(allowed)
        validation.errorTitle = name
        validation.showErrorMessage = True
        validation.add(f"{letter}2:{letter}{last_row}")
        sheet.data_validations.append(validation)


def write_workbook(sheets: Iterable[Sheet]) -> bytes:
    workbook = Workbook(write_only=True)
    for spec in sheets:
        _write_sheet(workbook, spec)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


TEMPLATE_BLANK_ROWS = 500  # rows below the example that offer the lists


def template_sheets(
    *, data_title: str, rows: list[Row], columns: list[tuple[str, str]], choices: dict[str, list[str]]
) -> list[Sheet]:
    """An import template: an instructions sheet, then the sheet to fill with
    its header, an example row in italics and lists of allowed values. The
    import finds the sheet to read by its header, so the instructions come first."""
    instructions = [
        [_("How to fill in this workbook")],
        [
            _(
                "Fill in the sheet “%(sheet)s”, one row per line of data. Its row 2 is an example: "
                "replace it or delete it (left as it is, the import skips it). The import reads "
                "the sheet whose first row names the columns, so this sheet can stay."
            )
            % {"sheet": data_title}
        ],
        [_("Keep the first row as it is. Columns the import does not know are ignored.")],
        [],
        [_("Column"), _("What to write")],
        *[[name, meaning] for name, meaning in columns],
    ]
    return [
        Sheet(title=_("Instructions"), rows=instructions, header=False),
        Sheet(title=data_title, rows=rows, choices=choices, example_rows=1, blank_rows=TEMPLATE_BLANK_ROWS),
    ]


def write_xlsx(rows: Iterable[Row], title: str = "dcplan") -> bytes:
    """One sheet with a bold, frozen header and a filter; columns as wide as
    their content (long text wraps), dates as date cells, numbers as numbers."""
    return write_workbook([Sheet(title=title, rows=list(rows))])


WRITERS = {
    "csv": (write_csv, CSV_CONTENT_TYPE),
    "xlsx": (write_xlsx, XLSX_CONTENT_TYPE),
}


# The admin's export formats: django-import-export builds a tablib Dataset
# from the same Resources; these write it with the writers above.


def dataset_rows(dataset: tablib.Dataset) -> list[Row]:
    return [list(dataset.headers or []), *(list(row) for row in dataset)]


class NeutralisedCSV(base_formats.CSV):
    def export_data(self, dataset, **kwargs):
        return write_csv(dataset_rows(dataset)).decode("utf-8-sig")


class NeutralisedXLSX(base_formats.XLSX):
    def export_data(self, dataset, **kwargs):
        return write_xlsx(dataset_rows(dataset))


ADMIN_EXPORT_FORMATS = [NeutralisedCSV, NeutralisedXLSX]
