"""The progress-examples import: headquarters submits examples on behalf of the offices.

The preview validates every row as the example web form does (ExampleForm),
plus what submission requires, and writes nothing. The apply step runs the
preview again inside one transaction and creates every row through the same
services as the web pages (examples.services.example_create, then
example_submit_on_behalf), or nothing at all.
"""

import re
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from deliverables.models import Deliverable, Office, Plan
from examples.forms import ExampleForm
from examples.services import ExampleInput, example_create, example_submit_on_behalf

from .previews import SavedPreview
from .reading import (
    ImportRefused,
    RowError,
    RowRefused,
    Table,
    column_map,
    form_errors,
    row_values,
    stray_cells,
)

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

    def saved(self, *, filename: str, table: Table) -> SavedPreview:
        """What is kept until the user confirms."""
        return SavedPreview(filename=filename, table=table, rows=[row.for_display() for row in self.rows])


def examples_preview(table: Table, *, plan: Plan) -> ExamplePreview:
    """Validate every row as the example web form does, plus what submission
    requires (ProgressExample.missing_for_submission). Writes nothing."""
    columns = column_map(table.headers, EXAMPLE_IMPORT_COLUMNS)
    offices = {o.code.upper(): o for o in Office.objects.all()}
    deliverables = {d.code: d for d in Deliverable.objects.in_plan(plan)}
    rows, errors = [], []
    for row in table.rows:
        errors.extend(stray_cells(table, row))
        try:
            rows.append(_plan_example(row.number, row_values(columns, row), plan, offices, deliverables))
        except RowRefused as refused:
            errors.extend(refused.errors)
    errors.sort(key=lambda e: (e.row, e.column))
    return ExamplePreview(rows=rows, errors=errors)


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
        started_on=values["started_on"].strip(),
        deliverable_codes=", ".join(codes),
        office_id=office.pk,
        values={name: cleaned[name] for name in form.Meta.fields if name != "office"},
        deliverable_ids=[d.pk for d in cleaned["deliverables"]],
    )


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
