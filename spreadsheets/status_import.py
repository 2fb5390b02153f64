"""The bulk status update: every row of a spreadsheet becomes a status update.

The preview reads the whole file, validates every row with the fields and
rules of a deliverable's page form (StatusUpdateForm, through
status_input_clean) and says what would change,
without writing anything. The apply step runs the preview again inside one
transaction and records every row through the same service as that page
(deliverables.services.status_updates_record), or nothing at all.
"""

import copy
import datetime
import re
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from deliverables.forms import status_input_clean
from deliverables.models import Deliverable, Plan, Status, StatusUpdate
from deliverables.services import StatusInput, StatusItem, status_updates_record

from .previews import SavedPreview
from .reading import (
    ImportRefused,
    RowError,
    RowRefused,
    Table,
    column_map,
    row_values,
    stray_cells,
)
from .resources import STATUS_IMPORT_COLUMNS, DeliverableResource, StatusUpdateResource
from .timelines import StatusSnapshot, Timeline

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
class Record:
    """A data row read by column name, with the errors of its stray cells."""

    row: int
    values: dict[str, str]
    stray: list[RowError]

    @property
    def code(self) -> str:
        return self.values["deliverable_code"].strip()


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

    def saved(self, *, filename: str, table: Table) -> SavedPreview:
        """What is kept until the user confirms."""
        rows = [row.for_display() for row in self.rows]
        return SavedPreview(filename=filename, table=table, rows=rows, versions=self.versions)

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
    records = [Record(row.number, row_values(columns, row), stray_cells(table, row)) for row in table.rows]
    codes = {record.code for record in records}
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
    order = sorted(records, key=lambda r: (r.code, _iso_date(r.values["as_of"]) or datetime.date.min, r.row))
    for record in order:
        errors.extend(record.stray)
        deliverable = deliverables.get(record.code)
        refusal = _refusal(record, deliverable, duplicates, plan)
        if refusal is not None:
            errors.append(refusal)
            continue
        try:
            planned.append(
                _plan_row(record, deliverable, current[record.code], timelines[deliverable.pk], words, today)
            )
        except RowRefused as refused:
            errors.extend(refused.errors)
    errors.sort(key=lambda e: (e.row, e.column))
    planned.sort(key=lambda r: r.row)
    return StatusPreview(
        rows=planned,
        errors=errors,
        versions={code: d.version for code, d in deliverables.items()},
        deliverables={d.pk: d for d in deliverables.values()},
    )


def _refusal(
    record: Record, deliverable: Deliverable | None, duplicates: dict[int, str], plan: Plan
) -> RowError | None:
    """Why the row cannot even be checked against its deliverable, if it cannot."""
    if not record.code:
        return RowError(record.row, "deliverable_code", _("The deliverable code is missing."))
    if deliverable is None:
        return RowError(
            record.row,
            "deliverable_code",
            _("There is no deliverable %(code)s in %(plan)s.")
            % {"code": record.code[:20], "plan": plan.symbol},
        )
    if record.row in duplicates:
        return RowError(record.row, "as_of", duplicates[record.row])
    return None


def _timelines(deliverables: dict[str, Deliverable], records: list[Record]) -> dict[int, Timeline]:
    """Each deliverable's current statement; the whole history only for those
    with a row dated before their current statement."""
    timelines = {d.pk: Timeline() for d in deliverables.values()}
    back_dated = set()
    for record in records:
        deliverable = deliverables.get(record.code)
        date = _iso_date(record.values["as_of"])
        if deliverable and deliverable.last_update and date and date < deliverable.last_update.as_of:
            back_dated.add(deliverable.pk)
    if back_dated:
        history = StatusUpdate.objects.filter(deliverable_id__in=back_dated).order_by(
            "deliverable_id", "as_of", "recorded_at", "version"
        )
        for order, update in enumerate(history):
            timelines[update.deliverable_id].add(update.as_of, StatusSnapshot.of(update), order)
    for deliverable in deliverables.values():
        if deliverable.pk not in back_dated and deliverable.last_update:
            latest = deliverable.last_update
            timelines[deliverable.pk].add(latest.as_of, StatusSnapshot.of(latest), 0)
    return timelines


def _form_deliverable(deliverable: Deliverable, timeline: Timeline) -> Deliverable:
    """A copy that moves as the file's rows are planned, for the form to compare with."""
    copied = copy.copy(deliverable)
    copied.latest_as_of = timeline.latest_date()
    return copied


def _duplicates(records: list[Record]) -> dict[int, str]:
    rows_by_key = defaultdict(list)
    for record in records:
        if record.code:
            rows_by_key[(record.code, record.values["as_of"].strip())].append(record.row)
    messages = {}
    for (code, as_of), numbers in rows_by_key.items():
        if len(numbers) > 1:
            for number in numbers:
                messages[number] = _(
                    "Deliverable %(code)s has more than one row as of %(date)s (rows %(rows)s): keep one."
                ) % {"code": code[:20], "date": as_of[:20] or "—", "rows": ", ".join(map(str, numbers))}
    return messages


def _plan_row(
    record: Record,
    deliverable: Deliverable,
    current: Deliverable,
    timeline: Timeline,
    words: dict[str, str],
    today: datetime.date,
) -> PlannedRow:
    """What the row would do, as the form would check it; RowRefused when it may not."""
    number, values = record.row, record.values
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
        typed = StatusSnapshot(status, progress, values["narrative"].strip(), links)
        if typed == timeline.as_of(date):
            row.skipped = True
            row.new_status, row.new_progress = typed.status, typed.progress
            row.narrative = typed.narrative
            return row

    data = {
        "version": current.version,
        "status": status,
        "narrative": values["narrative"],
        "evidence_links": "\n".join(links),
        "as_of": as_of_text,
    }
    if progress_text:
        data["progress_value"] = progress_text
    # Issue 16: the form's fields and rules without a form per row.
    planned, errors = status_input_clean(data, deliverable=current)
    if errors:
        raise RowRefused(
            [RowError(number, FORM_COLUMNS.get(name, name), m) for name, ms in errors.items() for m in ms]
        )
    row.data = planned
    row.new_status, row.new_progress = planned.status, planned.progress_value
    row.narrative = planned.narrative
    latest = current.latest_as_of
    row.back_dated = latest is not None and planned.as_of < latest
    # What the next row of the same deliverable is compared with, as the
    # service will have left it.
    timeline.add(
        planned.as_of,
        StatusSnapshot(planned.status, planned.progress_value, planned.narrative, planned.evidence_links),
    )
    current.version += 1
    if not row.back_dated:
        current.status, current.progress_value, current.latest_as_of = (
            planned.status,
            planned.progress_value,
            planned.as_of,
        )
    return row


class PreviewOutdated(Exception):
    """A deliverable changed between the preview and the confirmation."""

    def __init__(self, codes: list[str]):
        self.codes = codes
        super().__init__(", ".join(codes))


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
    written. The rows go through status_updates_record(), the code path of
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
    # Issue 16: every row in one batch through the service of the single
    # update form, in a fixed number of queries whatever the file's size.
    ordered = sorted(preview.changes, key=lambda r: (r.deliverable_id, r.data.as_of, r.row))
    items = [
        StatusItem(
            deliverable=preview.deliverables[row.deliverable_id],
            data=row.data,
            seen_version=preview.deliverables[row.deliverable_id].version,
        )
        for row in ordered
    ]
    status_updates_record(items=items, user=user)
    return ImportResult(created=len(ordered), skipped=len(preview.skipped))


def status_template_rows() -> list[list[object]]:
    return [list(STATUS_IMPORT_COLUMNS)]
