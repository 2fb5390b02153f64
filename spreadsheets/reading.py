"""Reading an uploaded CSV or XLSX file safely into a Table of text cells.

The file is judged by its content (dcplan.uploads), not its name; every
limit below refuses the whole file with FileRefused, whose message is for
the user. The header row is normalised (case, spaces, dashes) so that a
column is found however it was typed, and every cell is read as the same
text whether it came from CSV or XLSX. The imports (status_import,
examples_import) then read the rows by column name.
"""

import csv
import datetime
import io
import math
import re
from dataclasses import dataclass

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from dcplan import uploads

from .exports import FORMULA_STARTS

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_COLUMNS = 60
# A 5 MB workbook can unpack to far more; a "zip bomb" must not fill the memory.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# Real workbooks pack about ten to one; a hundred is Apache POI's limit too.
MAX_COMPRESSION_RATIO = 100
# Styled but empty rows at the end of a sheet are skipped, up to this many.
MAX_SCANNED_ROWS = 200_000

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
TEXT_EXTENSIONS = (".csv", ".txt")
WORKBOOK_EXTENSIONS = (".xlsx", ".xlsm")


class FileRefused(Exception):
    """The file as a whole cannot be read; the message says why, for the user."""


@dataclass(frozen=True)
class SheetRow:
    """A data row's cells, with the row number the spreadsheet shows."""

    number: int
    cells: list[str]


@dataclass
class Table:
    """A sheet as text: its header row and its data rows (the header is usually row 1)."""

    headers: list[str]
    rows: list[SheetRow]
    file_type: str = "csv"
    encoding: str = ""

    def as_json(self) -> dict:
        return {
            "headers": self.headers,
            "rows": [(row.number, row.cells) for row in self.rows],
            "file_type": self.file_type,
            "encoding": self.encoding,
        }

    @classmethod
    def from_json(cls, data: dict) -> "Table":
        return cls(
            headers=data["headers"],
            rows=[SheetRow(number, cells) for number, cells in data["rows"]],
            file_type=data["file_type"],
            encoding=data["encoding"],
        )


def read_table(upload: UploadedFile) -> Table:
    """Read a CSV or XLSX upload, judged by its content, or raise FileRefused."""
    if not upload.size:
        raise FileRefused(_("The file is empty (0 bytes)."))
    if upload.size > MAX_BYTES:
        raise FileRefused(_("The file is larger than 5 MB. Split it into smaller files."))
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise FileRefused(_("The file is larger than 5 MB. Split it into smaller files."))
    content_type = uploads.magic_type(data[: uploads.HEAD_SIZE])
    if content_type == uploads.ZIP:
        return _split_header(_xlsx_rows(data), file_type="xlsx", encoding="")
    _refuse_non_text(data, content_type, (upload.name or "").lower())
    text, encoding = decode_text(data)
    return _split_header(_csv_rows(text), file_type="csv", encoding=encoding)


def _refuse_non_text(data: bytes, content_type: str | None, name: str) -> None:
    if data.startswith(UTF16_BOMS):
        raise FileRefused(_("The file is in UTF-16. Save it as “CSV UTF-8” and try again."))
    if content_type == uploads.OLE:
        raise FileRefused(
            _("This is an old Excel (.xls) file. Save it as .xlsx or as CSV UTF-8, then try again.")
        )
    if name.endswith(WORKBOOK_EXTENSIONS):
        raise FileRefused(
            _("The file is named .xlsx but is not an Excel workbook. Upload a real .xlsx or CSV file.")
        )
    if content_type is not None or b"\x00" in data:
        raise FileRefused(_("This file is not a spreadsheet. Upload a CSV or XLSX file."))
    if "." in name and not name.endswith(TEXT_EXTENSIONS):
        raise FileRefused(_("Upload a .csv or .xlsx file."))


def decode_text(data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding: UTF-8 (with or without
    byte-order mark), else Windows-1252, else refused."""
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        raise FileRefused(
            _("The file is neither UTF-8 nor Windows-1252 text. Save it as “CSV UTF-8” and try again.")
        ) from None


def _csv_rows(text: str) -> list[list[str]]:
    first_line = text.split("\n", 1)[0]
    # Excel writes ";" where the decimal separator is a comma (French, Spanish).
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for cells in reader:
            rows.append([cell_text(cell) for cell in cells])
            if len(rows) > MAX_SCANNED_ROWS:
                break
    except csv.Error as error:
        raise FileRefused(
            _("Row %(row)s cannot be read as CSV (%(error)s).") % {"row": len(rows) + 1, "error": error}
        ) from None
    return rows


def _xlsx_rows(data: bytes) -> list[list[str]]:
    import openpyxl

    directory = uploads.zip_directory(io.BytesIO(data))
    if directory is None:
        raise FileRefused(_("The file looks like a workbook but is damaged. Save it again as .xlsx."))
    if "xl/workbook.xml" not in directory.names:
        raise FileRefused(_("This file is not an Excel workbook. Upload a CSV or XLSX file."))
    if directory.exceeds(unpacked_bytes=MAX_UNPACKED_BYTES, ratio=MAX_COMPRESSION_RATIO):
        raise FileRefused(_("The workbook is too large once unpacked. Split it into smaller files."))
    rows = []
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            for values in sheet.iter_rows(values_only=True):
                rows.append([cell_text(value) for value in values])
                if len(rows) > MAX_SCANNED_ROWS:
                    break
        finally:
            workbook.close()
    except Exception:  # openpyxl raises many kinds of errors on a damaged file
        raise FileRefused(_("The workbook cannot be read. Save it again as .xlsx and try again.")) from None
    return rows


def cell_text(value: object) -> str:
    """A cell as text, the same for CSV and XLSX; our own export's formula
    quoting (a leading ' before = + - @ tab or carriage return) is removed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if math.isfinite(value) and value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_STARTS:
        text = text[1:]
    return text


def _split_header(raw_rows: list[list[str]], *, file_type: str, encoding: str) -> Table:
    numbered = [SheetRow(number, _trim(cells)) for number, cells in enumerate(raw_rows, start=1)]
    numbered = [row for row in numbered if row.cells]
    if not numbered:
        raise FileRefused(_("The file is empty: it has no header row and no data."))
    header, data = numbered[0], numbered[1:]
    if len(header.cells) > MAX_COLUMNS:
        raise FileRefused(_("The file has more than %(max)s columns.") % {"max": MAX_COLUMNS})
    if not data:
        raise FileRefused(_("The file has a header row but no data rows."))
    if len(data) > MAX_ROWS:
        raise FileRefused(
            _("The file has %(rows)s data rows; at most %(max)s can be imported at once.")
            % {"rows": len(data), "max": MAX_ROWS}
        )
    headers = [normalise_header(cell) for cell in header.cells]
    return Table(headers=headers, rows=data, file_type=file_type, encoding=encoding)


def _trim(cells: list[str]) -> list[str]:
    """Without trailing empty cells; an empty list for a blank row."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


def normalise_header(header: str) -> str:
    return re.sub(r"[\s\-]+", "_", header.replace("\ufeff", "").strip().lower())


def column_map(headers: list[str], required: list[str], ignored: set[str] = frozenset()) -> dict[str, int]:
    """Where each required column is; FileRefused for a missing, unknown or repeated header."""
    named = [h for h in headers if h]
    repeated = sorted({h for h in named if named.count(h) > 1})
    missing = [h for h in required if h not in named]
    unknown = [h for h in named if h not in required and h not in ignored]
    problems = []
    if missing:
        problems.append(_("missing columns: %(names)s") % {"names": ", ".join(missing)})
    if unknown:
        problems.append(_("unknown columns: %(names)s") % {"names": ", ".join(unknown)})
    if repeated:
        problems.append(_("repeated columns: %(names)s") % {"names": ", ".join(repeated)})
    if problems:
        raise FileRefused(
            _(
                "The header row is not right (%(problems)s). "
                "The first row must name the columns %(expected)s; "
                "download the template to start from the right headers."
            )
            % {"problems": "; ".join(problems), "expected": ", ".join(required)}
        )
    return {name: headers.index(name) for name in required}


# The rows' errors ---------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


class RowRefused(Exception):
    """One row cannot be imported; `errors` say where and why."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} errors")


class ImportRefused(RowRefused):
    """The file no longer validates (it should not happen after a clean preview)."""


def stray_cells(table: Table, row: SheetRow) -> list[RowError]:
    """Values under a column without a header, or past the last header, would be lost."""
    errors = []
    for index, value in enumerate(row.cells):
        if value.strip() and (index >= len(table.headers) or not table.headers[index]):
            errors.append(
                RowError(
                    row.number,
                    _("column %(n)s") % {"n": index + 1},
                    _("This cell has a value but its column has no header."),
                )
            )
    return errors


def form_errors(row: int, form: forms.BaseForm, columns: dict[str, str]) -> list[RowError]:
    """The form's errors as the row's, each under the file's name for the form field."""
    return [
        RowError(row, columns.get(name, name), message)
        for name, messages in form.errors.items()
        for message in messages
    ]


def row_values(columns: dict[str, int], row: SheetRow) -> dict[str, str]:
    """The row's cell under each column name, empty where the row stops short."""
    return {name: (row.cells[index] if index < len(row.cells) else "") for name, index in columns.items()}
