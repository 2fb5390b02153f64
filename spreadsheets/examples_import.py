"""The progress-examples import: headquarters submits examples on behalf of the offices.

The preview validates every row as the example web form does (ExampleForm),
plus what submission requires, and writes nothing. The apply step runs the
preview again inside one transaction and creates every row through the same
services as the web pages (examples.services.example_create, then
example_submit_on_behalf), or nothing at all.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from deliverables.models import Deliverable, Office, Plan
from examples.forms import ExampleForm
from examples.models import ProgressExample
from examples.services import ExampleInput, example_create, example_submit_on_behalf

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
    form_errors,
    ignored_columns,
    located,
    looks_like_a_date,
    row_values,
    shorten,
    stray_cells,
)
from .resources import EXAMPLE_COLUMNS

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
    hidden: bool = False  # hidden in the workbook
    duplicate_of: int | None = None  # the existing example it repeats
    duplicate_row: int | None = None  # the row above that it repeats

    @property
    def duplicate(self) -> bool:
        return self.duplicate_of is not None or self.duplicate_row is not None

    def key(self) -> tuple:
        """What makes two examples the same: office, title, dates and deliverables."""
        return _example_key(
            self.office_id,
            self.values["title"],
            self.values["started_on"],
            self.values["ended_on"],
            self.deliverable_ids,
        )

    def for_display(self) -> dict:
        return {
            "row": self.row,
            "office_code": self.office_code,
            "title": self.title,
            "countries": self.countries,
            "started_on": self.started_on,
            "deliverable_codes": self.deliverable_codes,
            "hidden": self.hidden,
            "duplicate_of": self.duplicate_of,
            "duplicate_row": self.duplicate_row,
        }


def _example_key(office_id, title: str, started_on, ended_on, deliverable_ids) -> tuple:
    return (office_id, " ".join(title.split()).casefold(), started_on, ended_on, frozenset(deliverable_ids))


@dataclass
class ExamplePreview:
    rows: list[PlannedExample]
    errors: list[RowError]
    example_rows: list[int] = field(default_factory=list)  # the template's example, left untouched

    def saved(self, *, filename: str, table: Table) -> SavedPreview:
        """What is kept until the user confirms."""
        rows = [row.for_display() for row in self.rows]
        rows += [{"row": number, "example": True} for number in self.example_rows]
        return SavedPreview(filename=filename, table=table, rows=rows)

    @property
    def new(self) -> list[PlannedExample]:
        return [row for row in self.rows if not row.duplicate]


def examples_preview(table: Table, *, plan: Plan) -> ExamplePreview:
    """Validate every row as the example web form does, plus what submission
    requires (ProgressExample.missing_for_submission), and point out the rows
    that repeat an example the office already has, or a row above. Writes nothing."""
    columns = column_map(table.headers, EXAMPLE_IMPORT_COLUMNS)
    offices = {o.code.upper(): o for o in Office.objects.all()}
    deliverables = {d.code: d for d in Deliverable.objects.in_plan(plan)}
    rows, errors, example_rows = [], [], []
    for row in table.rows:
        values = row_values(columns, row)
        if _is_the_example(values):
            example_rows.append(row.number)
            continue
        errors.extend(stray_cells(table, row))
        try:
            planned = _plan_example(row.number, values, plan, offices, deliverables)
        except RowRefused as refused:
            errors.extend(refused.errors)
            continue
        planned.hidden = row.hidden
        rows.append(planned)
    _mark_duplicates(rows)
    return ExamplePreview(rows=rows, errors=located(errors, table), example_rows=example_rows)


def examples_ignored_columns(table: Table) -> list[str]:
    """The file's columns that the import does not read, those of our export aside."""
    return ignored_columns(table.headers, EXAMPLE_IMPORT_COLUMNS, set(EXAMPLE_COLUMNS))


def _mark_duplicates(rows: list[PlannedExample]) -> None:
    """Two queries whatever the number of rows: the examples of the file's
    offices, and their deliverables."""
    existing = {}
    offices = {row.office_id for row in rows}
    for example in ProgressExample.objects.filter(office__in=offices).prefetch_related("deliverables"):
        key = _example_key(
            example.office_id,
            example.title,
            example.started_on,
            example.ended_on,
            [d.pk for d in example.deliverables.all()],
        )
        existing.setdefault(key, example.pk)
    seen = {}
    for row in rows:
        key = row.key()
        row.duplicate_of = existing.get(key)
        if row.duplicate_of is None and key in seen:
            row.duplicate_row = seen[key]
        seen.setdefault(key, row.row)


def _plan_example(
    number: int, values: dict[str, str], plan: Plan, offices: dict, deliverables: dict
) -> PlannedExample:
    """The example the row would create; RowRefused when it may not."""
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
    as_dates = [code for code in unknown if looks_like_a_date(code)]
    if as_dates:
        errors.append(
            RowError(number, "deliverable_codes", code_turned_into_date(as_dates[0], "deliverable_codes"))
        )
    elif unknown:
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
        "started_on": date_text(values["started_on"]).strip(),
        "ended_on": date_text(values["ended_on"]).strip(),
        "what_was_done": values["what_was_done"],
        "results": values["results"],
        "partners": values["partners"],
        "deliverables": [deliverables[code].pk for code in codes if code in deliverables],
    }
    for column in ("started_on", "ended_on"):
        problem = date_problem(values[column])
        if problem:
            errors.append(RowError(number, column, problem))
    for column, name in BOOLEAN_COLUMNS.items():
        word = values[column].strip().lower()
        if word in TRUE_WORDS:
            data[name] = True
        elif word in FALSE_WORDS:
            data[name] = False
        else:
            errors.append(
                RowError(
                    number, column, _("“%(value)s”: write yes or no.") % {"value": shorten(values[column])}
                )
            )
    if errors:
        raise RowRefused(errors)
    form = ExampleForm(data, plan=plan, choose_office=True)
    if not form.is_valid():
        raise RowRefused(form_errors(number, form, EXAMPLE_FORM_COLUMNS))
    example = form.instance  # filled by the form, not saved
    missing = example.missing_for_submission()
    if form.cleaned_data["deliverables"]:
        missing.pop("deliverables", None)
    if missing:
        raise RowRefused(
            [
                RowError(
                    number,
                    EXAMPLE_FORM_COLUMNS.get(name, name),
                    _("A submitted example needs %(what)s.") % {"what": what},
                )
                for name, what in missing.items()
            ]
        )
    cleaned = form.cleaned_data
    return PlannedExample(
        row=number,
        office_code=office.code,
        title=cleaned["title"],
        countries=values["countries"].strip(),
        started_on=data["started_on"],
        deliverable_codes=", ".join(codes),
        office_id=office.pk,
        values={name: cleaned[name] for name in form.Meta.fields if name != "office"},
        deliverable_ids=[d.pk for d in cleaned["deliverables"]],
    )


@transaction.atomic
def examples_import_apply(
    *,
    table: Table,
    plan: Plan,
    user: AbstractBaseUser,
    create_duplicates: bool = False,
    skip_hidden: bool = False,
) -> int:
    """Create every row of `table` as a submitted example of its office, or
    none. A row that repeats an example of its office (or a row above) is
    left out unless `create_duplicates`: a file confirmed twice creates its
    examples once."""
    preview = examples_preview(table, plan=plan)
    if preview.errors:
        raise ImportRefused(preview.errors)
    rows = preview.rows if create_duplicates else preview.new
    if skip_hidden:
        rows = [row for row in rows if not row.hidden]
    offices = Office.objects.in_bulk([row.office_id for row in rows])
    deliverables = Deliverable.objects.in_bulk([pk for row in rows for pk in row.deliverable_ids])
    comment = _("Imported from a spreadsheet by headquarters.")
    for row in rows:
        linked = [deliverables[pk] for pk in row.deliverable_ids]
        data = ExampleInput(values=row.values, deliverables=linked)
        example = example_create(office=offices[row.office_id], user=user, data=data)
        example_submit_on_behalf(example=example, user=user, comment=comment)
    return len(rows)


# The template's example row, recognised (in any language) and skipped.


def _example_row() -> dict[str, object]:
    return {
        "office_code": "CO-ABUJA",
        "title": _("Example: replace this row with your own, or delete it"),
        "countries": "NG; GH",
        "started_on": datetime.date(2022, 3, 1),
        "ended_on": datetime.date(2022, 9, 30),
        "what_was_done": _("Three tripartite meetings on the minimum wage."),
        "results": _("A minimum wage agreement signed by the three parties."),
        "government": "yes",
        "employers": "yes",
        "workers": "yes",
        "partners": "ITC-ILO",
        "south_south": "no",
        "deliverable_codes": "1.1.1; 2.3.1",
        "may_be_cited": "yes",
    }


def _is_the_example(values: dict[str, str]) -> bool:
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            example = _example_row()
        if all(values[name] == str(value) for name, value in example.items()):
            return True
    return False


def examples_template_rows() -> list[list[object]]:
    """The template's header and its example row."""
    example = _example_row()
    return [list(EXAMPLE_IMPORT_COLUMNS), [example[name] for name in EXAMPLE_IMPORT_COLUMNS]]


def examples_template_sheets() -> list[Sheet]:
    """The workbook template: instructions, then the sheet to fill, whose
    yes/no columns offer yes and no."""
    columns = [
        ("office_code", _("The field office's code, for example CO-ABUJA.")),
        ("title", _("A short title.")),
        ("countries", _("Two-letter country codes (ISO 3166), separated by “;”, for example NG; GH.")),
        ("started_on", _("The date, or the start of the period: a date cell, or text written YYYY-MM-DD.")),
        ("ended_on", _("The end of the period, if any; may be empty.")),
        ("what_was_done", _("Text, at most 5,000 characters.")),
        ("results", _("Text, at most 5,000 characters.")),
        ("government", _("yes or no: the constituents involved (at least one).")),
        ("employers", _("yes or no.")),
        ("workers", _("yes or no.")),
        ("partners", _("Free text, may be empty.")),
        ("south_south", _("yes or no: South–South or triangular cooperation.")),
        (
            "deliverable_codes",
            _("The deliverables it gives evidence for, separated by “;”, for example 1.1.1; 2.3.1."),
        ),
        ("may_be_cited", _("yes or no: may be cited in a Governing Body document.")),
    ]
    return template_sheets(
        data_title="examples",
        rows=examples_template_rows(),
        columns=columns,
        choices={column: ["yes", "no"] for column in BOOLEAN_COLUMNS},
    )
