"""Spreadsheet imports: reading CSV and XLSX safely, the bulk status update
and the progress-examples import.

Each import has two steps. The preview reads the whole file, validates
every row through the same form as the web page (StatusUpdateForm,
ExampleForm) and says what would change, without writing anything. The
apply step runs the preview again inside one transaction and writes every
row through the same service as the web page (status_update_record,
example_create), or nothing at all.
"""

import bisect
import copy
import csv
import datetime
import io
import json
import math
import re
import secrets
import time
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from deliverables.forms import StatusUpdateForm
from deliverables.models import Deliverable, Office, Plan, Status, StatusUpdate
from deliverables.services import StatusInput, status_update_record
from examples.forms import ExampleForm
from examples.services import ExampleInput, example_create, example_submit_on_behalf

from .exports import FORMULA_STARTS
from .resources import STATUS_IMPORT_COLUMNS, DeliverableResource, StatusUpdateResource

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_COLUMNS = 60
# A 5 MB workbook can unpack to far more; a "zip bomb" must not fill the memory.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# Styled but empty rows at the end of a sheet are skipped, up to this many.
MAX_SCANNED_ROWS = 200_000

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and other old Office files
BINARY_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"%PDF", b"GIF8", b"\x7fELF", b"MZ")
TEXT_EXTENSIONS = (".csv", ".txt")
WORKBOOK_EXTENSIONS = (".xlsx", ".xlsm")


class FileRefused(Exception):
    """The file as a whole cannot be read; the message says why, for the user."""


# Reading files ---------------------------------------------------------------


@dataclass
class Table:
    """A sheet as text: its header row and its data rows, each with the row
    number the spreadsheet shows (the header is usually row 1)."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]
    file_type: str = "csv"
    encoding: str = ""

    def as_json(self) -> dict:
        return {
            "headers": self.headers,
            "rows": self.rows,
            "file_type": self.file_type,
            "encoding": self.encoding,
        }

    @classmethod
    def from_json(cls, data: dict) -> "Table":
        return cls(
            headers=data["headers"],
            rows=[(n, cells) for n, cells in data["rows"]],
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
    name = (upload.name or "").lower()
    if data.startswith(ZIP_MAGIC):
        table = Table(headers=[], rows=[], file_type="xlsx")
        raw_rows = _xlsx_rows(data)
    else:
        _refuse_non_text(data, name)
        text, encoding = decode_text(data)
        table = Table(headers=[], rows=[], file_type="csv", encoding=encoding)
        raw_rows = _csv_rows(text)
    return _split_header(table, raw_rows)


def _refuse_non_text(data: bytes, name: str) -> None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused(_("The file is in UTF-16. Save it as “CSV UTF-8” and try again."))
    if data.startswith(OLE_MAGIC):
        raise FileRefused(
            _("This is an old Excel (.xls) file. Save it as .xlsx or as CSV UTF-8, then try again.")
        )
    if name.endswith(WORKBOOK_EXTENSIONS):
        raise FileRefused(
            _("The file is named .xlsx but is not an Excel workbook. Upload a real .xlsx or CSV file.")
        )
    if data.startswith(BINARY_MAGIC) or b"\x00" in data:
        raise FileRefused(_("This file is not a spreadsheet. Upload a CSV or XLSX file."))
    if "." in name and not name.endswith(TEXT_EXTENSIONS):
        raise FileRefused(_("Upload a .csv or .xlsx file."))


def decode_text(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without byte-order mark), else Windows-1252, else refused."""
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

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise FileRefused(
            _("The file looks like a workbook but is damaged. Save it again as .xlsx.")
        ) from None
    if "xl/workbook.xml" not in names:
        raise FileRefused(_("This file is not an Excel workbook. Upload a CSV or XLSX file."))
    if unpacked > MAX_UNPACKED_BYTES:
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
    except FileRefused:
        raise
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


def _split_header(table: Table, raw_rows: list[list[str]]) -> Table:
    numbered = [(number, _trim(cells)) for number, cells in enumerate(raw_rows, start=1)]
    numbered = [(number, cells) for number, cells in numbered if cells]
    if not numbered:
        raise FileRefused(_("The file is empty: it has no header row and no data."))
    (_number, headers), data = numbered[0], numbered[1:]
    if len(headers) > MAX_COLUMNS:
        raise FileRefused(_("The file has more than %(max)s columns.") % {"max": MAX_COLUMNS})
    if not data:
        raise FileRefused(_("The file has a header row but no data rows."))
    if len(data) > MAX_ROWS:
        raise FileRefused(
            _("The file has %(rows)s data rows; at most %(max)s can be imported at once.")
            % {"rows": len(data), "max": MAX_ROWS}
        )
    table.headers = [normalise_header(header) for header in headers]
    table.rows = data
    return table


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
                "The header row is not right (%(problems)s). The first row must name the columns %(expected)s; "
                "download the template to start from the right headers."
            )
            % {"problems": "; ".join(problems), "expected": ", ".join(required)}
        )
    return {name: headers.index(name) for name in required}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


def _stray_cells(table: Table, number: int, cells: list[str]) -> list[RowError]:
    """Values under a column without a header, or past the last header, would be lost."""
    errors = []
    for index, value in enumerate(cells):
        if value.strip() and (index >= len(table.headers) or not table.headers[index]):
            errors.append(
                RowError(
                    number,
                    _("column %(n)s") % {"n": index + 1},
                    _("This cell has a value but its column has no header."),
                )
            )
    return errors


def _values(table: Table, columns: dict[str, int], cells: list[str]) -> dict[str, str]:
    return {name: (cells[index] if index < len(cells) else "") for name, index in columns.items()}


# The bulk status update -------------------------------------------------------

# Columns of our own exports that the import recognises and ignores, so that an
# export can be edited and imported again.
STATUS_IGNORED_COLUMNS = (
    set(DeliverableResource().get_export_headers()) | set(StatusUpdateResource().get_export_headers())
) - set(STATUS_IMPORT_COLUMNS)

FORM_COLUMNS = {
    "status": "status",
    "progress_value": "progress",
    "narrative": "narrative",
    "evidence_links": "evidence_links",
    "as_of": "as_of",
    "version": "deliverable_code",
    "__all__": "",
}


def _status_words() -> dict[str, str]:
    """Status as typed → its value: the value itself, the English label or
    the label in the user's language, in any case."""
    words = {}
    for status in Status:
        words[_word(status.value)] = status.value
        words[_word(str(status.label))] = status.value
        with translation.override("en"):
            words[_word(str(status.label))] = status.value
    return words


def _word(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text).strip().lower()


def _iso_date(text: str) -> datetime.date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        return None
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        return None


def split_links(text: str) -> tuple[str, ...]:
    return tuple(part for part in text.split() if part)


@dataclass(frozen=True)
class State:
    """What a status update says, for comparing a row with the history."""

    status: str
    progress: int | None
    narrative: str
    links: tuple[str, ...]

    @classmethod
    def of(cls, update: StatusUpdate | None) -> "State":
        if update is None:
            return cls(Status.NOT_STARTED, None, "", ())
        return cls(
            update.status, update.progress_value, update.narrative.strip(), tuple(update.evidence_links)
        )


@dataclass
class Timeline:
    """A deliverable's statements in "as of" order, with the rows of the file
    added as they are planned, to answer "what did it say as of this date?"."""

    entries: list = field(default_factory=list)  # (as_of, order, State), sorted
    _order: int = 0

    def add(self, as_of: datetime.date, state: State, order: int | None = None) -> None:
        self._order += 1
        bisect.insort(
            self.entries,
            (as_of, order if order is not None else 10**9 + self._order, state),
            key=lambda entry: entry[:2],
        )

    def as_of(self, date: datetime.date | None) -> State:
        if not self.entries:
            return State.of(None)
        if date is None:
            return self.entries[-1][2]
        index = bisect.bisect_right(self.entries, (date, math.inf), key=lambda entry: entry[:2])
        return self.entries[index - 1][2] if index else State.of(None)

    def latest_date(self) -> datetime.date | None:
        return self.entries[-1][0] if self.entries else None


@dataclass
class PlannedRow:
    """One data row of the file and what it would do."""

    row: int
    code: str
    as_of: str
    old_status: str = ""
    new_status: str = ""
    old_progress: int | None = None
    new_progress: int | None = None
    narrative: str = ""
    skipped: bool = False  # changes nothing: no update is written
    back_dated: bool = False  # joins the history; the current status stays
    deliverable_id: int | None = None
    data: StatusInput | None = None

    def for_display(self) -> dict:
        return {
            "row": self.row,
            "code": self.code,
            "as_of": self.as_of,
            "old_status": self.old_status,
            "new_status": self.new_status,
            "old_progress": self.old_progress,
            "new_progress": self.new_progress,
            "narrative": self.narrative[:300],
            "skipped": self.skipped,
            "back_dated": self.back_dated,
        }


@dataclass
class StatusPreview:
    rows: list[PlannedRow]
    errors: list[RowError]
    versions: dict[str, int]  # deliverable code → version the preview was computed against
    deliverables: dict[int, Deliverable]

    @property
    def changes(self) -> list[PlannedRow]:
        return [row for row in self.rows if not row.skipped]

    @property
    def skipped(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.skipped]


def status_preview(table: Table, *, plan: Plan) -> StatusPreview:
    """What importing `table` would do, row by row, and every error. Writes nothing.

    Runs a fixed number of queries whatever the number of rows: the
    deliverables of the file in one query, the histories of back-dated
    rows in another."""
    columns = column_map(table.headers, STATUS_IMPORT_COLUMNS, STATUS_IGNORED_COLUMNS)
    records = [
        (number, _values(table, columns, cells), _stray_cells(table, number, cells))
        for number, cells in table.rows
    ]
    codes = {values["deliverable_code"].strip() for _n, values, _e in records}
    deliverables = {
        d.code: d
        for d in Deliverable.objects.in_plan(plan).filter(code__in=codes).select_related("last_update")
    }
    for deliverable in deliverables.values():
        deliverable.plan = plan  # the form reads plan.starts_on: no query per row
    timelines = _timelines(deliverables, records)
    current = {code: _form_deliverable(d, timelines[d.pk]) for code, d in deliverables.items()}
    words = _status_words()
    duplicates = _duplicates(records)
    today = timezone.localdate()

    errors: list[RowError] = []
    planned: list[PlannedRow] = []
    # Each deliverable's rows in date order, as they will be applied.
    order = sorted(
        records,
        key=lambda r: (r[1]["deliverable_code"].strip(), _iso_date(r[1]["as_of"]) or datetime.date.min, r[0]),
    )
    for number, values, stray in order:
        errors.extend(stray)
        code = values["deliverable_code"].strip()
        deliverable = deliverables.get(code)
        if not code:
            errors.append(RowError(number, "deliverable_code", _("The deliverable code is missing.")))
            continue
        if deliverable is None:
            errors.append(
                RowError(
                    number,
                    "deliverable_code",
                    _("There is no deliverable %(code)s in %(plan)s.")
                    % {"code": code[:20], "plan": plan.symbol},
                )
            )
            continue
        if number in duplicates:
            errors.append(RowError(number, "as_of", duplicates[number]))
            continue
        row, row_errors = _plan_row(
            number, values, deliverable, current[code], timelines[deliverable.pk], words, today
        )
        errors.extend(row_errors)
        if row is not None:
            planned.append(row)
    errors.sort(key=lambda e: (e.row, e.column))
    planned.sort(key=lambda r: r.row)
    return StatusPreview(
        rows=planned,
        errors=errors,
        versions={code: d.version for code, d in deliverables.items()},
        deliverables={d.pk: d for d in deliverables.values()},
    )


def _timelines(deliverables: dict[str, Deliverable], records) -> dict[int, Timeline]:
    """Each deliverable's current statement; the whole history only for those
    with a row dated before their current statement."""
    timelines = {d.pk: Timeline() for d in deliverables.values()}
    back_dated = set()
    for _number, values, _errors in records:
        deliverable = deliverables.get(values["deliverable_code"].strip())
        date = _iso_date(values["as_of"])
        if deliverable and deliverable.last_update and date and date < deliverable.last_update.as_of:
            back_dated.add(deliverable.pk)
    if back_dated:
        history = StatusUpdate.objects.filter(deliverable_id__in=back_dated).order_by(
            "deliverable_id", "as_of", "recorded_at", "version"
        )
        for order, update in enumerate(history):
            timelines[update.deliverable_id].add(update.as_of, State.of(update), order)
    for deliverable in deliverables.values():
        if deliverable.pk not in back_dated and deliverable.last_update:
            timelines[deliverable.pk].add(deliverable.last_update.as_of, State.of(deliverable.last_update), 0)
    return timelines


def _form_deliverable(deliverable: Deliverable, timeline: Timeline) -> Deliverable:
    """A copy that moves as the file's rows are planned, for the form to compare with."""
    copied = copy.copy(deliverable)
    copied.latest_as_of = timeline.latest_date()
    return copied


def _duplicates(records) -> dict[int, str]:
    rows_by_key = defaultdict(list)
    for number, values, _errors in records:
        code = values["deliverable_code"].strip()
        if code:
            rows_by_key[(code, values["as_of"].strip())].append(number)
    messages = {}
    for (code, as_of), numbers in rows_by_key.items():
        if len(numbers) > 1:
            for number in numbers:
                messages[number] = _(
                    "Deliverable %(code)s has more than one row as of %(date)s (rows %(rows)s): keep one."
                ) % {"code": code[:20], "date": as_of[:20] or "—", "rows": ", ".join(map(str, numbers))}
    return messages


def _plan_row(
    number: int,
    values: dict[str, str],
    deliverable: Deliverable,
    current: Deliverable,
    timeline: Timeline,
    words: dict[str, str],
    today: datetime.date,
):
    as_of_text = values["as_of"].strip()
    date = _iso_date(as_of_text)
    status = words.get(_word(values["status"]), values["status"].strip())
    progress_text = values["progress"].strip()
    links = split_links(values["evidence_links"])
    row = PlannedRow(
        row=number,
        code=deliverable.code,
        as_of=as_of_text,
        deliverable_id=deliverable.pk,
        old_status=current.status,
        old_progress=current.progress_value,
    )

    # A row that says what the history already says as of its date is
    # skipped: exporting and importing the same file records nothing.
    if (not as_of_text or (date and deliverable.plan.starts_on <= date <= today)) and (
        not progress_text or progress_text.isdigit()
    ):
        progress = int(progress_text) if progress_text else None
        typed = State(status, progress, values["narrative"].strip(), links)
        if typed == timeline.as_of(date):
            row.skipped = True
            row.new_status, row.new_progress = typed.status, typed.progress
            row.narrative = typed.narrative
            return row, []

    data = {
        "version": current.version,
        "status": status,
        "narrative": values["narrative"],
        "evidence_links": "\n".join(links),
        "as_of": as_of_text,
    }
    if progress_text:
        data["progress_value"] = progress_text
    form = StatusUpdateForm(data, deliverable=current)
    if not form.is_valid():
        return None, [
            RowError(number, FORM_COLUMNS.get(name, name), message)
            for name, messages in form.errors.items()
            for message in messages
        ]
    planned = form.to_input()
    row.data = planned
    row.new_status, row.new_progress = planned.status, planned.progress_value
    row.narrative = planned.narrative
    latest = current.latest_as_of
    row.back_dated = latest is not None and planned.as_of < latest
    # What the next row of the same deliverable is compared with, as the
    # service will have left it.
    timeline.add(
        planned.as_of,
        State(planned.status, planned.progress_value, planned.narrative, planned.evidence_links),
    )
    current.version += 1
    if not row.back_dated:
        current.status, current.progress_value, current.latest_as_of = (
            planned.status,
            planned.progress_value,
            planned.as_of,
        )
    return row, []


class PreviewOutdated(Exception):
    """A deliverable changed between the preview and the confirmation."""

    def __init__(self, codes: list[str]):
        self.codes = codes
        super().__init__(", ".join(codes))


class ImportRefused(Exception):
    """The file no longer validates (it should not happen after a clean preview)."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} errors")


@dataclass(frozen=True)
class ImportResult:
    created: int
    skipped: int


@transaction.atomic
def status_import_apply(
    *, table: Table, plan: Plan, user: AbstractBaseUser, versions: dict[str, int]
) -> ImportResult:
    """Record every row of `table` as a status update, or none of them.

    `versions` are the deliverables' versions the user previewed; if any
    deliverable moved since, PreviewOutdated is raised and nothing is
    written. Each row goes through status_update_record(), the code path of
    the single update form, which refuses a stale version as well."""
    # Lock the deliverables of the file first, so that the versions compared
    # below stay true until this transaction ends.
    codes = list(versions)
    list(Deliverable.objects.in_plan(plan).filter(code__in=codes).select_for_update().values_list("pk"))
    preview = status_preview(table, plan=plan)
    if preview.errors:
        raise ImportRefused(preview.errors)
    outdated = sorted(code for code, version in preview.versions.items() if versions.get(code) != version)
    outdated += sorted(set(versions) - set(preview.versions))
    if outdated:
        raise PreviewOutdated(outdated)
    ordered = sorted(preview.changes, key=lambda r: (r.deliverable_id, r.data.as_of, r.row))
    for row in ordered:
        deliverable = preview.deliverables[row.deliverable_id]
        status_update_record(
            deliverable=deliverable, user=user, data=row.data, seen_version=deliverable.version
        )
    return ImportResult(created=len(ordered), skipped=len(preview.skipped))


def status_template_rows() -> list[list[object]]:
    return [list(STATUS_IMPORT_COLUMNS)]


# The progress-examples import ---------------------------------------------------

EXAMPLE_IMPORT_COLUMNS = [
    "office_code",
    "title",
    "countries",
    "started_on",
    "ended_on",
    "what_was_done",
    "results",
    "government",
    "employers",
    "workers",
    "partners",
    "south_south",
    "deliverable_codes",
    "may_be_cited",
]
EXAMPLE_FORM_COLUMNS = {
    "office": "office_code",
    "involves_government": "government",
    "involves_employers": "employers",
    "involves_workers": "workers",
    "deliverables": "deliverable_codes",
    "__all__": "",
}
TRUE_WORDS = {"yes", "y", "true", "1", "x", "oui", "sí", "si", "vrai", "verdadero"}
FALSE_WORDS = {"", "no", "n", "false", "0", "non", "faux", "falso"}
BOOLEAN_COLUMNS = {
    "government": "involves_government",
    "employers": "involves_employers",
    "workers": "involves_workers",
    "south_south": "south_south",
    "may_be_cited": "may_be_cited",
}


@dataclass
class PlannedExample:
    row: int
    office_code: str
    title: str
    countries: str
    started_on: str
    deliverable_codes: str
    office_id: int | None = None
    values: dict = field(default_factory=dict)
    deliverable_ids: list[int] = field(default_factory=list)

    def for_display(self) -> dict:
        return {
            "row": self.row,
            "office_code": self.office_code,
            "title": self.title,
            "countries": self.countries,
            "started_on": self.started_on,
            "deliverable_codes": self.deliverable_codes,
        }


@dataclass
class ExamplePreview:
    rows: list[PlannedExample]
    errors: list[RowError]


def examples_preview(table: Table, *, plan: Plan) -> ExamplePreview:
    """Validate every row as the example web form does, plus what submission
    requires (ProgressExample.missing_for_submission). Writes nothing."""
    columns = column_map(table.headers, EXAMPLE_IMPORT_COLUMNS)
    offices = {o.code.upper(): o for o in Office.objects.all()}
    deliverables = {d.code: d for d in Deliverable.objects.in_plan(plan)}
    rows, errors = [], []
    for number, cells in table.rows:
        errors.extend(_stray_cells(table, number, cells))
        values = _values(table, columns, cells)
        row, row_errors = _plan_example(number, values, plan, offices, deliverables)
        errors.extend(row_errors)
        if row is not None:
            rows.append(row)
    errors.sort(key=lambda e: (e.row, e.column))
    return ExamplePreview(rows=rows, errors=errors)


def _plan_example(number: int, values: dict[str, str], plan: Plan, offices: dict, deliverables: dict):
    errors = []
    office = offices.get(values["office_code"].strip().upper())
    if office is None:
        errors.append(
            RowError(
                number,
                "office_code",
                _("There is no office with the code “%(code)s”.")
                % {"code": values["office_code"].strip()[:30]},
            )
        )
    codes = [code for code in re.split(r"[;,\s]+", values["deliverable_codes"]) if code]
    unknown = [code for code in codes if code not in deliverables]
    if unknown:
        errors.append(
            RowError(
                number,
                "deliverable_codes",
                _("Unknown deliverable codes: %(codes)s.")
                % {"codes": ", ".join(c[:20] for c in unknown[:10])},
            )
        )
    data = {
        "office": office.pk if office else "",
        "title": values["title"],
        "countries": [c.upper() for c in re.split(r"[;,\s]+", values["countries"]) if c],
        "started_on": values["started_on"].strip(),
        "ended_on": values["ended_on"].strip(),
        "what_was_done": values["what_was_done"],
        "results": values["results"],
        "partners": values["partners"],
        "deliverables": [deliverables[code].pk for code in codes if code in deliverables],
    }
    for column, name in BOOLEAN_COLUMNS.items():
        word = values[column].strip().lower()
        if word in TRUE_WORDS:
            data[name] = True
        elif word in FALSE_WORDS:
            data[name] = False
        else:
            errors.append(RowError(number, column, _("Write yes or no.")))
    if errors:
        return None, errors
    form = ExampleForm(data, plan=plan, choose_office=True)
    if not form.is_valid():
        return None, [
            RowError(number, EXAMPLE_FORM_COLUMNS.get(name, name), message)
            for name, messages in form.errors.items()
            for message in messages
        ]
    example = form.instance  # filled by the form, not saved
    missing = example.missing_for_submission()
    if form.cleaned_data["deliverables"]:
        missing.pop("deliverables", None)
    if missing:
        return None, [
            RowError(
                number,
                EXAMPLE_FORM_COLUMNS.get(name, name),
                _("A submitted example needs %(what)s.") % {"what": what},
            )
            for name, what in missing.items()
        ]
    cleaned = form.cleaned_data
    return PlannedExample(
        row=number,
        office_code=office.code,
        title=cleaned["title"],
        countries=values["countries"].strip(),
        started_on=values["started_on"].strip(),
        deliverable_codes=", ".join(codes),
        office_id=office.pk,
        values={name: cleaned[name] for name in form.Meta.fields if name != "office"},
        deliverable_ids=[d.pk for d in cleaned["deliverables"]],
    ), []


@transaction.atomic
def examples_import_apply(*, table: Table, plan: Plan, user: AbstractBaseUser) -> int:
    """Create every row of `table` as a submitted example of its office, or none."""
    preview = examples_preview(table, plan=plan)
    if preview.errors:
        raise ImportRefused(preview.errors)
    offices = Office.objects.in_bulk([row.office_id for row in preview.rows])
    deliverables = Deliverable.objects.in_bulk([pk for row in preview.rows for pk in row.deliverable_ids])
    comment = _("Imported from a spreadsheet by headquarters.")
    for row in preview.rows:
        linked = [deliverables[pk] for pk in row.deliverable_ids]
        data = ExampleInput(values=row.values, deliverables=linked)
        example = example_create(office=offices[row.office_id], user=user, data=data)
        example_submit_on_behalf(example=example, user=user, comment=comment)
    return len(preview.rows)


def examples_template_rows() -> list[list[object]]:
    return [list(EXAMPLE_IMPORT_COLUMNS)]


# Previews kept between the upload and the confirmation --------------------------
#
# On the server, as a file per preview named by a random token: a preview
# can hold 5 MB of text, too much for the session or a signed form field.

PREVIEW_MAX_AGE = 60 * 60  # seconds
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32}$")


def _preview_dir() -> Path:
    return Path(settings.VAR_DIR) / "import-previews"


def preview_save(*, user: AbstractBaseUser, kind: str, payload: dict) -> str:
    directory = _preview_dir()
    directory.mkdir(parents=True, exist_ok=True)
    _forget_old_previews(directory)
    token = secrets.token_urlsafe(24)
    content = {"user": user.pk, "kind": kind, "created": time.time(), **payload}
    (directory / f"{token}.json").write_text(json.dumps(content, default=str), encoding="utf-8")
    return token


def preview_load(*, user: AbstractBaseUser, kind: str, token: str) -> dict | None:
    """The preview saved under `token` by this user for this kind of import, if still fresh."""
    if not _TOKEN_RE.match(token or ""):
        return None
    path = _preview_dir() / f"{token}.json"
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if content.get("user") != user.pk or content.get("kind") != kind:
        return None
    if time.time() - content.get("created", 0) > PREVIEW_MAX_AGE:
        path.unlink(missing_ok=True)
        return None
    return content


def preview_discard(token: str) -> None:
    if _TOKEN_RE.match(token or ""):
        (_preview_dir() / f"{token}.json").unlink(missing_ok=True)


def _forget_old_previews(directory: Path) -> None:
    limit = time.time() - PREVIEW_MAX_AGE
    for path in directory.glob("*.json"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            pass
