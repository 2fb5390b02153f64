"""The translators' spreadsheet: every plan text with its French and Spanish
versions, exported, edited in a spreadsheet program, and imported back.

One row per translated field of a plan object (`PlanTexts.TRANSLATED_FIELDS`):
its kind and code say which object, `english` is the original, `french` and
`spanish` the translations, `translation_note` where they come from, and
`checksum` a fingerprint of the texts as exported. The import changes French,
Spanish and notes only; a row whose English was edited, or whose object was
edited in dcplan (the admin) since the export — its checksum no longer matches —
is refused, so that nobody's edit is silently overwritten. As for the status
import, the preview keeps the checksums it was computed against, and the
confirmation refuses the whole file if any of them moved meanwhile.
"""

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deliverables.models import Deliverable, FocusArea, Office, PBOutput, Plan, ProposedAction, Region

from .previews import SavedPreview
from .reading import (
    ImportRefused,
    RowError,
    Table,
    column_map,
    ignored_columns,
    located,
    row_values,
    shorten,
    stray_cells,
)
from .status_import import PreviewOutdated

PLAN_TEXT_COLUMNS = ["kind", "code", "field", "english", "french", "spanish", "translation_note", "checksum"]
# The translation note may be left out of the file: the notes then stay as they are.
REQUIRED_COLUMNS = [name for name in PLAN_TEXT_COLUMNS if name != "translation_note"]
LANGUAGE_COLUMNS = {"french": "fr", "spanish": "es"}


@dataclass(frozen=True)
class Kind:
    """One kind of plan object in the file: how to find its objects and name each one."""

    model: type[Model]
    label: str
    code_of: Callable[[Model], str]
    objects: Callable[[Plan], QuerySet]


KINDS = {
    "plan": Kind(
        Plan, gettext_lazy("plan"), lambda o: o.symbol, lambda plan: Plan.objects.filter(pk=plan.pk)
    ),
    "focus_area": Kind(
        FocusArea,
        gettext_lazy("focus area"),
        lambda o: str(o.number),
        lambda plan: FocusArea.objects.filter(plan=plan).order_by("number"),
    ),
    "action": Kind(
        ProposedAction,
        gettext_lazy("proposed action"),
        lambda o: o.code,
        lambda plan: ProposedAction.objects.filter(plan=plan).order_by("focus_area__number", "position"),
    ),
    "deliverable": Kind(
        Deliverable,
        gettext_lazy("deliverable"),
        lambda o: o.code,
        lambda plan: Deliverable.objects.filter(plan=plan).order_by(
            "action__focus_area__number", "action__position", "position"
        ),
    ),
    "pb_output": Kind(
        PBOutput,
        gettext_lazy("P&B output"),
        lambda o: f"{o.biennium} {o.code}",
        lambda plan: PBOutput.objects.order_by("biennium", "code"),
    ),
    "region": Kind(
        Region, gettext_lazy("region"), lambda o: o.code, lambda plan: Region.objects.order_by("code")
    ),
    "office": Kind(
        Office, gettext_lazy("office"), lambda o: o.code, lambda plan: Office.objects.order_by("code")
    ),
}


def normalised(text: str) -> str:
    """A cell as the import compares it: line ends as LF, no space around it."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def text_checksum(english: str, french: str, spanish: str, note: str) -> str:
    """The fingerprint of a row's texts; the export writes it, the import compares it."""
    joined = "\x1f".join(normalised(value) for value in (english, french, spanish, note))
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


def _checksum(obj: Model, name: str) -> str:
    return text_checksum(
        getattr(obj, name), getattr(obj, f"{name}_fr"), getattr(obj, f"{name}_es"), obj.translation_note
    )


def _plan_objects(plan: Plan, *, lock: bool = False) -> dict[tuple[str, str], Model]:
    """Every translatable object by (kind, code): one query per kind, whatever the plan's size."""
    found = {}
    for kind_name, kind in KINDS.items():
        queryset = kind.objects(plan)
        if lock:
            queryset = queryset.select_for_update()
        for obj in queryset:
            found[(kind_name, kind.code_of(obj))] = obj
    return found


# Export -------------------------------------------------------------------------


def plan_text_rows(plan: Plan) -> Iterator[list[str]]:
    """The header, then one row per translated field of every plan object (7 queries)."""
    yield PLAN_TEXT_COLUMNS
    for (kind_name, code), obj in _plan_objects(plan).items():
        for name in obj.TRANSLATED_FIELDS:
            yield [
                kind_name,
                code,
                name,
                getattr(obj, name),
                getattr(obj, f"{name}_fr"),
                getattr(obj, f"{name}_es"),
                obj.translation_note,
                _checksum(obj, name),
            ]


# Preview ------------------------------------------------------------------------


@dataclass
class PlanTextsPreview:
    rows: list[dict]  # the rows that change something, for display
    errors: list[RowError]
    versions: dict[str, str]  # "kind|code|field" → checksum the preview was computed against
    unchanged: list[int] = field(default_factory=list)  # numbers of the rows that change nothing
    changes: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)  # object → field → text

    def saved(self, *, filename: str, table: Table) -> SavedPreview:
        rows = self.rows + [{"row": number, "unchanged": True} for number in self.unchanged]
        return SavedPreview(filename=filename, table=table, rows=rows, versions=self.versions)


def plan_texts_preview(table: Table, *, plan: Plan, objects: dict | None = None) -> PlanTextsPreview:
    """Check every row against the plan's current texts; writes nothing. All
    rows are checked, and any error refuses the whole file."""
    columns = column_map(table.headers, REQUIRED_COLUMNS)
    if "translation_note" in table.headers:
        columns["translation_note"] = table.headers.index("translation_note")
    objects = _plan_objects(plan) if objects is None else objects
    preview = PlanTextsPreview(rows=[], errors=[], versions={})
    seen: dict[tuple[str, str, str], int] = {}
    notes: dict[tuple[str, str], tuple[int, str]] = {}
    for row in table.rows:
        values = row_values(columns, row)
        if not any(value.strip() for value in values.values()):
            continue
        preview.errors.extend(stray_cells(table, row))
        errors = _row_errors(row.number, values, objects, seen, notes)
        if errors:
            preview.errors.extend(errors)
            continue
        _plan_row(preview, row.number, row.hidden, values, objects)
    preview.errors = located(preview.errors, table)
    return preview


def _row_errors(number: int, values: dict, objects: dict, seen: dict, notes: dict) -> list[RowError]:
    kind_name, code, name = values["kind"].strip(), values["code"].strip(), values["field"].strip()
    kind = KINDS.get(kind_name)
    if kind is None:
        message = _("“%(value)s” is not a kind of plan text: write one of %(kinds)s.")
        return [RowError(number, "kind", message % {"value": shorten(kind_name), "kinds": ", ".join(KINDS)})]
    obj = objects.get((kind_name, code))
    if obj is None:
        message = _("There is no %(kind)s with the code “%(code)s” in the plan.")
        return [RowError(number, "code", message % {"kind": kind.label, "code": shorten(code)})]
    if name not in obj.TRANSLATED_FIELDS:
        message = _("“%(value)s” is not a translated text of this kind (%(kind)s): write one of %(fields)s.")
        fields = ", ".join(obj.TRANSLATED_FIELDS)
        return [
            RowError(
                number, "field", message % {"value": shorten(name), "kind": kind.label, "fields": fields}
            )
        ]
    key = (kind_name, code, name)
    if key in seen:
        message = _("This text is in row %(row)s already: keep one of the two rows.")
        return [RowError(number, "code", message % {"row": seen[key]})]
    seen[key] = number
    errors = []
    current = _checksum(obj, name)
    if values["checksum"].strip() != current:
        message = _(
            "The texts of %(kind)s %(code)s were changed in dcplan (in the admin) after this file was "
            "exported, or the checksum was edited. Export the file again and copy your translations into it."
        )
        errors.append(RowError(number, "checksum", message % {"kind": kind.label, "code": code}))
    elif normalised(values["english"]) != normalised(getattr(obj, name)):
        message = _(
            "The English original was changed in the file: it is edited in the admin only. "
            "Put it back as exported; change French and Spanish only."
        )
        errors.append(RowError(number, "english", message))
    for column, language in LANGUAGE_COLUMNS.items():
        limit = obj._meta.get_field(f"{name}_{language}").max_length
        if limit and len(normalised(values[column])) > limit:
            message = _("This text has %(length)s characters; at most %(max)s fit.")
            errors.append(
                RowError(number, column, message % {"length": len(normalised(values[column])), "max": limit})
            )
    if "translation_note" in values:
        note = normalised(values["translation_note"])
        first = notes.setdefault((kind_name, code), (number, note))
        if first[1] != note:
            message = _(
                "Row %(row)s gives this %(kind)s another translation note: give the same note in both."
            )
            errors.append(
                RowError(number, "translation_note", message % {"row": first[0], "kind": kind.label})
            )
        elif len(note) > obj._meta.get_field("translation_note").max_length:
            message = _("This text has %(length)s characters; at most %(max)s fit.")
            limit = obj._meta.get_field("translation_note").max_length
            errors.append(RowError(number, "translation_note", message % {"length": len(note), "max": limit}))
    return errors


def _plan_row(preview: PlanTextsPreview, number: int, hidden: bool, values: dict, objects: dict) -> None:
    kind_name, code, name = values["kind"].strip(), values["code"].strip(), values["field"].strip()
    obj = objects[(kind_name, code)]
    preview.versions[f"{kind_name}|{code}|{name}"] = _checksum(obj, name)
    wanted = {
        f"{name}_{language}": normalised(values[column]) for column, language in LANGUAGE_COLUMNS.items()
    }
    if "translation_note" in values:
        wanted["translation_note"] = normalised(values["translation_note"])
    changed = {attr: text for attr, text in wanted.items() if text != normalised(getattr(obj, attr))}
    if not changed:
        preview.unchanged.append(number)
        return
    preview.changes.setdefault((kind_name, code), {}).update(changed)
    preview.rows.append(
        {
            "row": number,
            "hidden": hidden,
            "kind": kind_name,
            "kind_label": str(KINDS[kind_name].label),
            "code": code,
            "field": name,
            "english": getattr(obj, name),
            "texts": [
                {"attr": attr, "old": getattr(obj, attr), "new": text, "changed": attr in changed}
                for attr, text in wanted.items()
            ],
        }
    )


def plan_texts_ignored_columns(table: Table) -> list[str]:
    return ignored_columns(table.headers, PLAN_TEXT_COLUMNS)


# Apply --------------------------------------------------------------------------


@transaction.atomic
def plan_texts_import_apply(
    *, table: Table, plan: Plan, versions: dict[str, str], skip_hidden: bool = False
) -> int:
    """Write the file's French and Spanish texts and notes: all rows or none.

    Locks the plan's translatable objects, refuses the file (PreviewOutdated)
    if any text it names changed since the preview, checks every row again
    (ImportRefused), then saves each kind's changed objects with one
    `bulk_update`. Returns the number of objects changed."""
    objects = _plan_objects(plan, lock=True)
    if skip_hidden:
        table = table.without({row.number for row in table.rows if row.hidden})
    outdated = []
    for key, checksum in versions.items():
        kind_name, code, name = key.split("|")
        obj = objects.get((kind_name, code))
        if obj is None or _checksum(obj, name) != checksum:
            outdated.append(key)
    if outdated:
        raise PreviewOutdated(outdated)
    preview = plan_texts_preview(table, plan=plan, objects=objects)
    if preview.errors:
        raise ImportRefused(preview.errors)
    by_model: dict[type[Model], tuple[list[Model], set[str]]] = {}
    for (kind_name, code), changed in preview.changes.items():
        obj = objects[(kind_name, code)]
        for attr, text in changed.items():
            setattr(obj, attr, text)
        changed_objects, fields = by_model.setdefault(type(obj), ([], set()))
        changed_objects.append(obj)
        fields.update(changed)
    for model, (changed_objects, fields) in by_model.items():
        model.objects.bulk_update(changed_objects, sorted(fields))
    return len(preview.changes)
