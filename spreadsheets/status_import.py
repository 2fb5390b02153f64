"""The bulk status update: every row of a spreadsheet becomes a status update.

The preview reads the whole file, validates every row with the fields and
rules of a deliverable's page form (deliverables.forms.status_clean, the
validation StatusUpdateForm runs, with the form's own fields built once per
file rather than a form per row, so that a row counts as unchanged and is
refused exactly as the form reads it) and says what would change, without
writing anything. The apply step runs the preview again inside one
transaction and records every row through the same service as that page
(deliverables.services.status_updates_record), or nothing at all.

The optional columns lead_unit and contributing_units assign units as the
deliverable page does (Deliverable.assign_units), read by
spreadsheets.responsibilities. A row whose status says nothing new but whose
units change records no status update: only the units change.
"""

import copy
import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dcplan.access import may_assign_units
from deliverables.forms import StatusCleaned, status_clean, status_fields, status_input
from deliverables.models import Deliverable, Office, Plan, Status, StatusUpdate
from deliverables.services import StatusInput, StatusItem, status_updates_record

from .exports import Sheet, template_sheets
from .previews import SavedPreview
from .reading import (
    ImportRefused,
    RowError,
    RowRefused,
    Table,
    code_turned_into_date,
    column_map,
    date_problem,
    date_text,
    ignored_columns,
    located,
    looks_like_a_date,
    optional_column_map,
    row_errors,
    row_values,
    stray_cells,
)
from .resources import STATUS_IMPORT_COLUMNS, UNIT_COLUMNS, DeliverableResource, StatusUpdateResource
from .responsibilities import UnitChange, plan_units
from .timelines import StatusSnapshot, Timeline

# Columns of our own exports that the import ignores without a word, so that
# an export can be edited and imported again; others are named in the preview.
STATUS_EXPORT_COLUMNS = (
    set(DeliverableResource().get_export_headers()) | set(StatusUpdateResource().get_export_headers())
) - set(STATUS_IMPORT_COLUMNS + UNIT_COLUMNS)

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
    text = date_text(text).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return datetime.date.fromisoformat(text)
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
    hidden: bool = False

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
    hidden: bool = False  # hidden in the workbook
    deliverable_id: int | None = None
    data: StatusInput | None = None
    units: UnitChange | None = None  # the row changes who leads or contributes

    def as_json(self) -> list:
        """What the confirmation records for the row, as the preview checked it."""
        data = self.data
        return [
            self.row,
            self.deliverable_id,
            data.status,
            data.as_of.isoformat(),
            data.progress_value,
            data.narrative,
            list(data.evidence_links),
        ]

    @staticmethod
    def item_of(saved: list) -> tuple[int, int, StatusInput]:
        """The row number, deliverable id and input of a row saved by as_json()."""
        row, deliverable_id, status, as_of, progress, narrative, links = saved
        data = StatusInput(
            status=status,
            as_of=datetime.date.fromisoformat(as_of),
            progress_value=progress,
            narrative=narrative,
            evidence_links=tuple(links),
        )
        return row, deliverable_id, data

    def for_display(self) -> dict:
        return {
            "units": self.units.for_display() if self.units else None,
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
            "hidden": self.hidden,
        }


@dataclass
class StatusPreview:
    rows: list[PlannedRow]
    errors: list[RowError]
    versions: dict[str, int]  # deliverable code → version the preview was computed against
    deliverables: dict[int, Deliverable]
    example_rows: list[int] = field(default_factory=list)  # the template's example, left untouched
    # deliverable code → [lead, [contributing]] as the preview read them, when
    # the file has unit columns: what the confirmation checks they still are.
    units: dict[str, list] = field(default_factory=dict)
    offices: dict[str, Office] = field(default_factory=dict)  # the offices the unit cells name, by code

    def saved(self, *, filename: str, table: Table) -> SavedPreview:
        """What is kept until the user confirms."""
        rows = [row.for_display() for row in self.rows]
        rows += [{"row": number, "example": True} for number in self.example_rows]
        return SavedPreview(
            filename=filename,
            table=table,
            rows=rows,
            versions=self.versions,
            units=self.units,
            planned=self.planned(),
        )

    def planned(self) -> dict:
        """The checked rows to record and the number skipped, as the confirmation
        takes them back (status_import_apply's `planned`)."""
        return {
            "changes": [row.as_json() for row in self.changes],
            "skipped": len(self.skipped),
            # What the rows' checks read beyond the version: an admin edit of a
            # target does not move the version, so the confirmation compares it.
            "targets": {d.code: d.target_value for d in self.deliverables.values()},
        }

    @property
    def changes(self) -> list[PlannedRow]:
        """The rows that record a status update."""
        return [row for row in self.rows if not row.skipped]

    @property
    def unit_changes(self) -> list[UnitChange]:
        return [row.units for row in self.rows if row.units]

    @property
    def skipped(self) -> list[PlannedRow]:
        """The rows that change nothing at all."""
        return [row for row in self.rows if row.skipped and not row.units]


def status_preview(table: Table, *, plan: Plan, may_assign_units: bool = True) -> StatusPreview:
    """What importing `table` would do, row by row, and every error. Writes nothing.

    Runs a fixed number of queries whatever the number of rows: the
    deliverables of the file in one query, the histories of back-dated
    rows in another, the units in two more when the file has unit columns.
    Without `may_assign_units`, a row that would change units is an error."""
    columns = column_map(table.headers, STATUS_IMPORT_COLUMNS) | optional_column_map(
        table.headers, UNIT_COLUMNS, STATUS_IMPORT_COLUMNS
    )
    records = [
        Record(row.number, row_values(columns, row), stray_cells(table, row), row.hidden)
        for row in table.rows
    ]
    example = _example_values()
    example_rows = [record.row for record in records if _is_the_example(record.values, example)]
    records = [record for record in records if record.row not in example_rows]
    codes = {record.code for record in records}
    has_unit_columns = any(name in columns for name in UNIT_COLUMNS)
    related = ("last_update", "lead_unit") if has_unit_columns else ("last_update",)
    deliverables = {
        d.code: d for d in Deliverable.objects.in_plan(plan).filter(code__in=codes).select_related(*related)
    }
    for deliverable in deliverables.values():
        deliverable.plan = plan  # the form reads plan.starts_on: no query per row
    timelines = _timelines(deliverables, records)
    current = {code: _form_deliverable(d, timelines[d.pk]) for code, d in deliverables.items()}
    words = _status_words()
    fields = _FieldsByKind()
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
                _plan_row(
                    record, deliverable, current[record.code], timelines[deliverable.pk], words, today, fields
                )
            )
        except RowRefused as refused:
            errors.extend(refused.errors)
    units, offices = {}, {}
    if has_unit_columns:
        unit_cells = [(r.row, r.code, {name: r.values.get(name) for name in UNIT_COLUMNS}) for r in records]
        units_plan = plan_units(unit_cells, deliverables, may_assign=may_assign_units)
        errors.extend(units_plan.errors)
        for row in planned:
            row.units = units_plan.changes.get(row.row)
        units = {code: u.as_json() for code, u in units_plan.current.items()}
        offices = {office.code: office for office in units_plan.offices.values()}
    planned.sort(key=lambda r: r.row)
    return StatusPreview(
        rows=planned,
        errors=located(errors, table),
        versions={code: d.version for code, d in deliverables.items()},
        deliverables={d.pk: d for d in deliverables.values()},
        example_rows=example_rows,
        units=units,
        offices=offices,
    )


def status_ignored_columns(table: Table) -> list[str]:
    """The file's columns that the import does not read, those of our exports aside."""
    return ignored_columns(table.headers, STATUS_IMPORT_COLUMNS + UNIT_COLUMNS, STATUS_EXPORT_COLUMNS)


def _refusal(
    record: Record, deliverable: Deliverable | None, duplicates: dict[int, str], plan: Plan
) -> RowError | None:
    """Why the row cannot even be checked against its deliverable, if it cannot."""
    if not record.code:
        return RowError(record.row, "deliverable_code", _("The deliverable code is missing."))
    if deliverable is None and looks_like_a_date(record.code):
        return RowError(
            record.row, "deliverable_code", code_turned_into_date(record.code, "deliverable_code")
        )
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
    copied = Deliverable.__new__(Deliverable)  # as copy.copy() does, without pickling the instance
    copied.__dict__.update(deliverable.__dict__)
    copied._state = copy.copy(deliverable._state)
    copied._state.fields_cache = dict(deliverable._state.fields_cache)
    copied.latest_as_of = timeline.latest_date()
    return copied


def _duplicates(records: list[Record]) -> dict[int, str]:
    rows_by_key = defaultdict(list)
    for record in records:
        if record.code:
            rows_by_key[(record.code, date_text(record.values["as_of"]).strip())].append(record.row)
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
    fields: "_FieldsByKind",
) -> PlannedRow:
    """What the row would do, as the form would check it; RowRefused when it may not."""
    number, values = record.row, record.values
    as_of_text = date_text(values["as_of"]).strip()
    problem = date_problem(as_of_text)
    if problem:
        raise RowRefused([RowError(number, "as_of", problem)])
    row = PlannedRow(
        row=number,
        code=deliverable.code,
        as_of=as_of_text,
        deliverable_id=deliverable.pk,
        old_status=current.status,
        old_progress=current.progress_value,
        hidden=record.hidden,
    )
    data = {
        "version": current.version,
        "status": words.get(_word(values["status"]), values["status"].strip()),
        "narrative": values["narrative"],
        "evidence_links": "\n".join(split_links(values["evidence_links"])),
        "as_of": as_of_text,
    }
    if values["progress"].strip():
        data["progress_value"] = values["progress"].strip()
    form_fields = fields.of(current)
    checked = status_clean(data, deliverable=current, fields=form_fields, today=today)

    # A row that says what the history already says as of its date is
    # skipped: exporting and importing the same file records nothing. It is
    # read by the form's own fields, so that "2.0" and 2 are the same
    # progress here as when the row is recorded.
    read = _as_the_form_reads(checked, form_fields, data)
    if read is not None:
        typed, date = read
        if (date is None or deliverable.plan.starts_on <= date <= today) and typed == timeline.as_of(date):
            row.skipped = True
            row.new_status, row.new_progress, row.narrative = typed.status, typed.progress, typed.narrative
            return row

    if checked.errors:
        raise RowRefused(row_errors(number, data, checked.errors, FORM_COLUMNS))
    planned = status_input(checked.cleaned)
    row.data = planned
    row.new_status, row.new_progress = planned.status, planned.progress_value
    row.narrative = planned.narrative
    latest = current.latest_as_of
    row.back_dated = latest is not None and planned.as_of < latest
    # What the next row of the same deliverable is compared with, as the
    # service will have left it.
    timeline.add(
        planned.as_of,
        StatusSnapshot.read(
            planned.status, planned.progress_value, planned.narrative, planned.evidence_links
        ),
    )
    current.version += 1
    if not row.back_dated:
        current.status, current.progress_value, current.latest_as_of = (
            planned.status,
            planned.progress_value,
            planned.as_of,
        )
    return row


class _FieldsByKind:
    """The status form's fields, built once per file for the deliverables
    with a numeric target and once for those without (the only difference
    between two deliverables' forms that changes what they accept)."""

    def __init__(self):
        self._built: dict[bool, dict] = {}

    def of(self, deliverable: Deliverable) -> dict:
        kind = deliverable.has_target
        if kind not in self._built:
            self._built[kind] = status_fields(deliverable)
        return self._built[kind]


def _as_the_form_reads(
    checked: StatusCleaned, fields: dict, data: dict
) -> tuple[StatusSnapshot, datetime.date | None] | None:
    """The row's values as each field of the form cleans them (the checks
    that compare fields or dates come later), or None if a field refuses."""
    if "progress_value" not in fields and data.get("progress_value"):
        return None
    read = checked.read
    needed = ["status", "narrative", "evidence_links"]
    needed += ["progress_value"] if "progress_value" in fields else []
    needed += ["as_of"] if data["as_of"] else []
    if any(name not in read for name in needed):
        return None
    snapshot = StatusSnapshot.read(
        read["status"], read.get("progress_value"), read["narrative"], read["evidence_links"]
    )
    return snapshot, read.get("as_of")


class PreviewOutdated(Exception):
    """A deliverable changed between the preview and the confirmation."""

    def __init__(self, codes: list[str]):
        self.codes = codes
        super().__init__(", ".join(codes))


@dataclass(frozen=True)
class ImportResult:
    created: int
    skipped: int
    units_changed: int = 0  # deliverables whose lead or contributing units changed


@transaction.atomic
def status_import_apply(
    *,
    table: Table,
    plan: Plan,
    user: AbstractBaseUser,
    versions: dict[str, int],
    units: dict[str, list] | None = None,
    skip_hidden: bool = False,
    skip_back_dated: bool = False,
    planned: dict | None = None,
) -> ImportResult:
    """Record every row of `table` as a status update, or none of them, and
    assign the units its unit columns change.

    `versions` are the deliverables' versions the user previewed, `units`
    their units as previewed (when the file has unit columns); if any
    deliverable moved since, PreviewOutdated is raised and nothing is
    written. The rows go through status_updates_record(), the code path of
    the single update form, which refuses a stale version as well; the
    units through Deliverable.assign_units_set_wise(), the code path of the
    deliverable page's units form. Only a user who may assign units may
    change them (the preview refuses the rows otherwise). The user may
    leave out the rows hidden in the workbook and the back-dated rows, as
    the preview pointed them out.

    `planned` is what the preview checked (StatusPreview.planned(), kept
    with the saved preview): when it is given and the file neither changes
    units nor leaves rows out, the confirmation records those rows as they
    are, without checking the file again. That is sound because every
    deliverable is still at the version previewed (locked, then compared):
    its history, which the check of each row depends on, cannot have moved
    without moving its version."""
    # Lock the deliverables of the file first, so that the versions compared
    # below stay true until this transaction ends.
    codes = list(versions)
    locked = {
        d.code: d
        for d in Deliverable.objects.in_plan(plan)
        .filter(code__in=codes)
        .select_for_update()
        .only("pk", "code", "version", "target_value")
    }
    has_unit_columns = any(name in table.headers for name in UNIT_COLUMNS)
    if planned is not None and not (has_unit_columns or skip_hidden or skip_back_dated):
        return _apply_planned(planned, locked=locked, versions=versions, user=user)
    # Asked only of a file with unit columns: the others never change units.
    may_assign = not has_unit_columns or may_assign_units(user)
    preview = status_preview(table, plan=plan, may_assign_units=may_assign)
    if preview.errors:
        raise ImportRefused(preview.errors)
    units = units or {}
    outdated = sorted(
        code
        for code, version in preview.versions.items()
        if versions.get(code) != version or units.get(code, []) != preview.units.get(code, [])
    )
    outdated += sorted(set(versions) - set(preview.versions))
    if outdated:
        raise PreviewOutdated(outdated)
    left_out = set()
    if skip_hidden:
        left_out |= {row.number for row in table.rows if row.hidden}
    if skip_back_dated:
        left_out |= {row.row for row in preview.changes if row.back_dated}
    if left_out:
        # Planned again without them: the later rows of a deliverable
        # compare with the history as it will be.
        preview = status_preview(table.without(left_out), plan=plan, may_assign_units=may_assign)
    # Every row in one batch through the service of the single update form,
    # in a fixed number of queries whatever the file's size.
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
    offices = preview.offices
    Deliverable.assign_units_set_wise(
        [
            (
                preview.deliverables[change.deliverable_id],
                offices.get(change.new.lead),
                [offices[code] for code in change.new.contributing],
            )
            for change in preview.unit_changes
        ]
    )
    return ImportResult(
        created=len(ordered), skipped=len(preview.skipped), units_changed=len(preview.unit_changes)
    )


def _apply_planned(
    planned: dict, *, locked: dict[str, Deliverable], versions: dict[str, int], user: AbstractBaseUser
) -> ImportResult:
    """Record the rows the preview checked, the deliverables locked by the caller."""
    targets = planned.get("targets", {})
    outdated = sorted(
        code
        for code, version in versions.items()
        if code not in locked
        or locked[code].version != version
        or (code in targets and locked[code].target_value != targets[code])
    )
    if outdated:
        raise PreviewOutdated(outdated)
    deliverables = {d.pk: d for d in locked.values()}
    rows = sorted(
        (PlannedRow.item_of(saved) for saved in planned["changes"]),
        key=lambda item: (item[1], item[2].as_of, item[0]),
    )
    items = [
        StatusItem(deliverable=deliverables[pk], data=data, seen_version=deliverables[pk].version)
        for _row, pk, data in rows
    ]
    status_updates_record(items=items, user=user)
    return ImportResult(created=len(items), skipped=planned["skipped"])


# The template's example row. Left as it is, the import recognises it (in
# any language) and skips it: it must never become a status update.
EXAMPLE_DATE = datetime.date(2022, 12, 31)


def _example_row() -> dict[str, object]:
    return {
        "deliverable_code": "1.4.1",
        "status": Status.ON_TRACK.value,
        "progress": 3,
        "narrative": _example_narrative(),
        "evidence_links": "https://www.ilo.org/",
        "as_of": EXAMPLE_DATE,
        "lead_unit": "",
        "contributing_units": "",
    }


def _example_narrative() -> str:
    return _("Example: three partnerships signed. Replace this row with your own, or delete it.")


def _example_narratives() -> set[str]:
    narratives = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            narratives.add(_example_narrative())
    return narratives


def _example_values() -> dict[str, str]:
    return {name: str(value) for name, value in _example_row().items()}


def _is_the_example(values: dict[str, str], example: dict[str, str]) -> bool:
    """Whether the row is the template's example (`example`: _example_values())."""
    same = all(values.get(name, "") == example[name] for name in example if name != "narrative")
    return same and values["narrative"] in _example_narratives()


def status_template_rows() -> list[list[object]]:
    """The template's header and its example row (its unit cells empty: they keep the units)."""
    example = _example_row()
    columns = STATUS_IMPORT_COLUMNS + UNIT_COLUMNS
    return [columns, [example[name] for name in columns]]


def status_template_sheets() -> list[Sheet]:
    """The workbook template: instructions, then the sheet to fill, whose
    status column offers the list of statuses."""
    statuses = ", ".join(f"{status.value} ({status.label})" for status in Status)
    columns = [
        ("deliverable_code", _("The deliverable's code, for example 1.1.1. Keep the column as Text.")),
        ("status", _("One of: %(statuses)s.") % {"statuses": statuses}),
        ("progress", _("A whole number, for deliverables with a numeric target; empty otherwise.")),
        (
            "narrative",
            _("Required when a deliverable becomes at risk, delayed or discontinued, or moves backwards."),
        ),
        ("evidence_links", _("Web addresses (http:// or https://), separated by spaces or line breaks.")),
        ("as_of", _("The date the status speaks for: a date cell, or text written YYYY-MM-DD.")),
        (
            "lead_unit",
            _(
                "Optional (headquarters staff only): the lead unit's office code, for example PARDEV; "
                "“-” for none. Empty keeps the current lead unit."
            ),
        ),
        (
            "contributing_units",
            _(
                "Optional (headquarters staff only): office codes separated by “; ” (or commas); "
                "“-” for none. Empty keeps the current contributing units."
            ),
        ),
    ]
    return template_sheets(
        data_title="statuses",
        rows=status_template_rows(),
        columns=columns,
        choices={"status": [status.value for status in Status]},
    )
