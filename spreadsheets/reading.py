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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.etree import ElementTree

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.utils import get_column_letter

from dcplan import uploads

from .exports import APOSTROPHE, FORMULA_STARTS

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
# A UTF-8 byte-order mark read as Windows-1252 and saved again as text.
MISREAD_BOM = "\u00ef\u00bb\u00bf"
NUMBER_RE = re.compile(r"[-+]?\d+([.,]\d+)?([eE][-+]?\d+)?")
# Where a sheet's header row is looked for: the first non-blank rows.
HEADER_SEARCH_ROWS = 10
TEXT_EXTENSIONS = (".csv", ".txt")
WORKBOOK_EXTENSIONS = (".xlsx", ".xlsm")


class FileRefused(Exception):
    """The file as a whole cannot be read; the message says why, for the user."""


@dataclass(frozen=True)
class SheetRow:
    """A data row's cells, with the row number the spreadsheet shows."""

    number: int
    cells: list[str]
    hidden: bool = False  # hidden in the workbook, or filtered out


@dataclass
class Table:
    """A sheet as text: its header row and its data rows (the header is usually row 1)."""

    headers: list[str]
    rows: list[SheetRow]
    file_type: str = "csv"
    encoding: str = ""
    sheet: str = ""  # the workbook's sheet that was read
    header_row: int = 1

    def as_json(self) -> dict:
        return {
            "headers": self.headers,
            "rows": [(row.number, row.cells, row.hidden) for row in self.rows],
            "file_type": self.file_type,
            "encoding": self.encoding,
            "sheet": self.sheet,
            "header_row": self.header_row,
        }

    @classmethod
    def from_json(cls, data: dict) -> "Table":
        return cls(
            headers=data["headers"],
            rows=[SheetRow(*row) for row in data["rows"]],
            file_type=data["file_type"],
            encoding=data["encoding"],
            sheet=data.get("sheet", ""),
            header_row=data.get("header_row", 1),
        )

    def without(self, numbers: set[int]) -> "Table":
        """The same table without the rows numbered `numbers`."""
        rows = [row for row in self.rows if row.number not in numbers]
        return Table(self.headers, rows, self.file_type, self.encoding, self.sheet, self.header_row)

    def cell(self, column: str, row: int) -> str:
        """The spreadsheet's name of a cell, "F12", for a column named in the header."""
        if column in self.headers:
            return f"{get_column_letter(self.headers.index(column) + 1)}{row}"
        return ""


def read_table(upload: UploadedFile, columns: Sequence[str] = ()) -> Table:
    """Read a CSV or XLSX upload, judged by its content, or raise FileRefused.

    In a workbook, the sheet read is the first whose header row names the
    `columns` (an instructions sheet before it is skipped), else the first."""
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
        return _read_workbook(data, columns)
    _refuse_non_text(data, content_type, (upload.name or "").lower())
    text, encoding = decode_text(data)
    if text.lstrip('"').startswith(MISREAD_BOM):
        raise FileRefused(
            _(
                "The first column is named “%(name)s”: this UTF-8 file was opened as Windows-1252 "
                "(or “Western Europe”) and saved again, so its accented letters are garbled too. "
                "Open the file exported from dcplan again choosing UTF-8 as the character set, "
                "or upload the .xlsx."
            )
            % {"name": re.split(r"[,;\t\n]", text, maxsplit=1)[0].strip('"')[:40]}
        )
    return _split_header(_csv_rows(text), file_type="csv", encoding=encoding, columns=columns)


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
            rows.append(cells)
            if len(rows) > MAX_SCANNED_ROWS:
                break
    except csv.Error as error:
        raise FileRefused(
            _("Row %(row)s cannot be read as CSV (%(error)s).") % {"row": len(rows) + 1, "error": error}
        ) from None
    if not _escaped(rows):
        return rows
    return [[csv_cell(cell) for cell in cells] for cells in rows]


def _escaped(rows: list[list[str]]) -> bool:
    """Whether the file carries our export's escapes: no cell of an escaped
    file starts like a formula (numbers aside). A CSV that a spreadsheet
    program saved from a workbook has none, and its apostrophes are text."""
    return not any(
        cell.startswith(FORMULA_STARTS) and not NUMBER_RE.fullmatch(cell) for cells in rows for cell in cells
    )


def _read_workbook(data: bytes, columns: Sequence[str]) -> Table:
    import openpyxl

    directory = uploads.zip_directory(io.BytesIO(data))
    if directory is None:
        raise FileRefused(_("The file looks like a workbook but is damaged. Save it again as .xlsx."))
    if "xl/workbook.xml" not in directory.names:
        raise FileRefused(_("This file is not an Excel workbook. Upload a CSV or XLSX file."))
    if directory.exceeds(unpacked_bytes=MAX_UNPACKED_BYTES, ratio=MAX_COMPRESSION_RATIO):
        raise FileRefused(_("The workbook is too large once unpacked. Split it into smaller files."))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = _data_sheet(workbook.worksheets, columns)
            rows = []
            for values in sheet.iter_rows(values_only=True):
                rows.append([cell_text(value) for value in values])
                if len(rows) > MAX_SCANNED_ROWS:
                    break
            hidden = _hidden_rows(sheet)
        finally:
            workbook.close()
    except FileRefused:
        raise
    except Exception:  # openpyxl raises many kinds of errors on a damaged file
        raise FileRefused(_("The workbook cannot be read. Save it again as .xlsx and try again.")) from None
    return _split_header(
        rows, file_type="xlsx", encoding="", columns=columns, sheet=sheet.title, hidden=hidden
    )


def _data_sheet(sheets: list, columns: Sequence[str]):
    """The first sheet whose header row names the `columns`, else the first sheet."""
    for sheet in sheets if columns else []:
        if getattr(sheet, "sheet_state", "visible") != "visible":
            continue
        for values in sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True):
            if _names_columns([cell_text(value) for value in values], columns):
                return sheet
    if not sheets:
        raise FileRefused(_("The workbook has no sheet."))
    return sheets[0]


def _hidden_rows(sheet) -> set[int]:
    """The numbers of the sheet's hidden rows (also those a filter hides).

    openpyxl's read-only mode does not say, so the sheet's XML is scanned
    for <row hidden="1">, without holding it in memory."""
    hidden = set()
    source = sheet._get_source()
    try:
        for _event, element in ElementTree.iterparse(source):
            if element.tag.endswith("}row"):
                if element.get("hidden") in ("1", "true"):
                    hidden.add(int(element.get("r", 0)))
                element.clear()
    finally:
        source.close()
    return hidden


def csv_cell(text: str) -> str:
    """An escaped CSV cell's value: exactly one leading apostrophe is the
    export's escape (spreadsheets.exports.neutralise_formula) and is removed."""
    return text[1:] if text.startswith(APOSTROPHE) else text


def cell_text(value: object) -> str:
    """A workbook cell as text, written as the same value typed in a CSV
    would be: whole numbers without ".0", dates as YYYY-MM-DD, a date-time
    at midnight as its date. Text is taken as it is."""
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
    return str(value)


def date_text(text: str) -> str:
    """A date as typed, without the midnight a program may add ("2022-12-31 00:00:00")."""
    match = re.fullmatch(r"\s*(\d{4}-\d{2}-\d{2})[ T]00:00(:00(\.0+)?)?\s*", text)
    return match.group(1) if match else text


def _split_header(
    raw_rows: list[list[str]],
    *,
    file_type: str,
    encoding: str,
    columns: Sequence[str] = (),
    sheet: str = "",
    hidden: set[int] = frozenset(),
) -> Table:
    numbered = [
        SheetRow(number, _trim(cells), number in hidden) for number, cells in enumerate(raw_rows, start=1)
    ]
    numbered = [row for row in numbered if row.cells]
    where = _("The sheet “%(sheet)s”") % {"sheet": sheet} if sheet else _("The file")
    if not numbered:
        raise FileRefused(_("%(where)s is empty: it has no header row and no data.") % {"where": where})
    start = _header_index(numbered, columns)
    header, data = numbered[start], numbered[start + 1 :]
    if len(header.cells) > MAX_COLUMNS:
        raise FileRefused(_("The file has more than %(max)s columns.") % {"max": MAX_COLUMNS})
    if not data:
        raise FileRefused(_("%(where)s has a header row but no data rows.") % {"where": where})
    if len(data) > MAX_ROWS:
        raise FileRefused(
            _("The file has %(rows)s data rows; at most %(max)s can be imported at once.")
            % {"rows": len(data), "max": MAX_ROWS}
        )
    headers = [normalise_header(cell) for cell in header.cells]
    return Table(
        headers=headers,
        rows=data,
        file_type=file_type,
        encoding=encoding,
        sheet=sheet,
        header_row=header.number,
    )


def _header_index(rows: list[SheetRow], columns: Sequence[str]) -> int:
    """The header is the first row naming the columns (a title above it is
    skipped), else the first non-blank row."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS] if columns else []):
        if _names_columns(row.cells, columns):
            return index
    return 0


def _names_columns(cells: list[str], columns: Sequence[str]) -> bool:
    """Whether a row is a header: it names two of the columns (an
    instructions sheet names them one a row)."""
    named = {normalise_header(cell) for cell in cells}
    return len(named & set(columns)) >= min(2, len(columns))


def _trim(cells: list[str]) -> list[str]:
    """Without trailing empty cells; an empty list for a blank row."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


def normalise_header(header: str) -> str:
    return re.sub(r"[\s\-]+", "_", header.replace("\ufeff", "").strip().lower())


def column_map(headers: list[str], required: list[str]) -> dict[str, int]:
    """Where each required column is; FileRefused for a missing or repeated one.
    Other columns are ignored (ignored_columns() names them for the preview)."""
    named = [h for h in headers if h]
    repeated = sorted({h for h in named if h in required and named.count(h) > 1})
    missing = [h for h in required if h not in named]
    problems = []
    if missing:
        problems.append(_("missing columns: %(names)s") % {"names": ", ".join(missing)})
        others = [h for h in named if h not in required]
        if others:
            problems.append(_("columns not recognised: %(names)s") % {"names": ", ".join(others[:10])})
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


def optional_column_map(headers: list[str], optional: list[str], required: list[str]) -> dict[str, int]:
    """Where each optional column the file has is; FileRefused for a repeated one."""
    repeated = sorted({h for h in headers if h in optional and headers.count(h) > 1})
    if repeated:
        raise FileRefused(
            _(
                "The header row is not right (%(problems)s). "
                "The first row must name the columns %(expected)s; "
                "download the template to start from the right headers."
            )
            % {
                "problems": _("repeated columns: %(names)s") % {"names": ", ".join(repeated)},
                "expected": ", ".join(required),
            }
        )
    return {name: headers.index(name) for name in optional if name in headers}


def ignored_columns(headers: list[str], required: list[str], expected: set[str] = frozenset()) -> list[str]:
    """The named columns the import does not read, but those of our own
    exports (`expected`), which are ignored without a word."""
    return [h for h in headers if h and h not in required and h not in expected]


# The rows' errors ---------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str
    cell: str = ""  # "F12": the column's letter and the row's number

    def at(self, table: Table) -> "RowError":
        """The same error with its cell named, when its column is in the header."""
        if self.cell:
            return self
        return RowError(self.row, self.column, self.message, table.cell(self.column, self.row))


class RowRefused(Exception):
    """One row cannot be imported; `errors` say where and why."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} errors")


class ImportRefused(RowRefused):
    """The file no longer validates (it should not happen after a clean preview)."""


def located(errors: list[RowError], table: Table) -> list[RowError]:
    """The errors in the order of the sheet, each naming its cell."""
    return sorted((error.at(table) for error in errors), key=lambda e: (e.row, e.cell, e.column))


def stray_cells(table: Table, row: SheetRow) -> list[RowError]:
    """Values under a column without a header, or past the last header, would be lost."""
    errors = []
    for index, value in enumerate(row.cells):
        if value.strip() and (index >= len(table.headers) or not table.headers[index]):
            letter = get_column_letter(index + 1)
            errors.append(
                RowError(
                    row.number,
                    _("column %(letter)s") % {"letter": letter},
                    _(
                        "“%(value)s”: this cell has a value but its column has no header. "
                        "Name the column in row %(header)s, or delete the value."
                    )
                    % {"value": shorten(value), "header": table.header_row},
                    f"{letter}{row.number}",
                )
            )
    return errors


def shorten(value: str, length: int = 40) -> str:
    value = " ".join(value.split())
    return value if len(value) <= length else value[: length - 1] + "…"


def form_errors(row: int, form: forms.BaseForm, columns: dict[str, str]) -> list[RowError]:
    """The form's errors as the row's, each under the file's name for the form
    field, and starting with the value found unless the message names it."""
    return row_errors(row, form.data, form.errors, columns)


def row_errors(row: int, data: Mapping, refused: Mapping, columns: dict[str, str]) -> list[RowError]:
    """The errors by field that a form (or status_clean) found in `data`, as
    form_errors() words them."""
    errors = []
    for name, messages in refused.items():
        found = data.getlist(name) if hasattr(data, "getlist") else data.get(name, "")
        found = "; ".join(map(str, found)) if isinstance(found, list | tuple) else str(found or "")
        for message in messages:
            if found.strip() and shorten(found) not in message and found.strip() not in message:
                message = _("“%(value)s”: %(message)s") % {"value": shorten(found), "message": message}
            errors.append(RowError(row, columns.get(name, name), message))
    return errors


def row_values(columns: dict[str, int], row: SheetRow) -> dict[str, str]:
    """The row's cell under each column name, empty where the row stops short."""
    return {name: (row.cells[index] if index < len(row.cells) else "") for name, index in columns.items()}


# Common causes of a wrong value, named in the messages --------------------------

LOCAL_DATE_RE = re.compile(r"\s*(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})\s*")


def date_problem(text: str) -> str | None:
    """Why `text` is not a date as the imports read it (YYYY-MM-DD), with
    what to write instead; None when it is one, or is empty."""
    text = date_text(text).strip()
    if not text:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            return _("“%(value)s” is not a day of the calendar.") % {"value": shorten(text)}
        return None
    candidates = _local_date_readings(text)
    if len(candidates) == 1:
        return _(
            "“%(value)s” is not written YYYY-MM-DD: write %(iso)s, or upload the .xlsx "
            "(its date cells are read whatever the language of the spreadsheet program)."
        ) % {"value": shorten(text), "iso": candidates[0]}
    if candidates:
        return _(
            "“%(value)s” is not written YYYY-MM-DD, and could be %(first)s or %(second)s: "
            "write the one you mean, or upload the .xlsx."
        ) % {"value": shorten(text), "first": candidates[0], "second": candidates[1]}
    return _("“%(value)s” is not a date: write it as YYYY-MM-DD, for example 2022-12-31.") % {
        "value": shorten(text)
    }


def _local_date_readings(text: str) -> list[str]:
    """The ISO dates a local date such as 31/12/2022 may mean: day first, then month first."""
    match = LOCAL_DATE_RE.fullmatch(text)
    if not match:
        return []
    first, second, year = int(match[1]), int(match[2]), int(match[3])
    year = year + 2000 if year < 100 else year
    readings = []
    for day, month in ((first, second), (second, first)):
        try:
            iso = datetime.date(year, month, day).isoformat()
        except ValueError:
            continue
        if iso not in readings:
            readings.append(iso)
    return readings


def looks_like_a_date(code: str) -> bool:
    """A code such as 1.4.1 that a spreadsheet program turned into a date (01/04/01, 2001-04-01)."""
    code = code.strip()
    return bool(LOCAL_DATE_RE.fullmatch(code) and not re.fullmatch(r"\d\.\d{1,2}\.\d{1,2}", code)) or bool(
        re.fullmatch(r"\d{4}-\d{2}-\d{2}( 00:00(:00)?)?", code)
    )


def code_turned_into_date(value: str, column: str) -> str:
    return _(
        "“%(value)s” is a date, not a code: a spreadsheet program turned the code into a date "
        "when it opened the file. Format the %(column)s column as Text and type the codes again, "
        "or use the .xlsx file."
    ) % {"value": shorten(value), "column": column}


def plural_rows(numbers: list[int]) -> str:
    return ngettext("row %(rows)s", "rows %(rows)s", len(numbers)) % {"rows": ", ".join(map(str, numbers))}
