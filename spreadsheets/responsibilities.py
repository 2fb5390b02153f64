"""The status import's optional columns lead_unit and contributing_units:
who leads a deliverable and who contributes, by office code.

A file without them changes no responsibilities. In a file with them:

- an empty cell keeps what the deliverable has: a cell cleared by mistake,
  or a column filled for some rows only, never unassigns anybody;
- "-" means none: no lead unit, or no contributing units;
- otherwise office codes (any case); contributing units separated by "; "
  as the export writes them, or by commas, spaces or line breaks.

A code that names no office, a lead unit also listed as contributing, a
unit listed twice, two rows of one deliverable that disagree, and a change
by someone who may not assign units are errors of their row: the file is
refused as a whole. The cells are compared with the deliverable as it is,
so an exported file imports back without changing anyone.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from deliverables.models import Deliverable, Office

from .reading import RowError, shorten
from .resources import UNITS_SEPARATOR

NONE = "-"
_SEPARATORS = re.compile(r"[;,\s]+")


@dataclass(frozen=True)
class Units:
    """A deliverable's responsibilities as office codes ("" for no lead unit)."""

    lead: str
    contributing: tuple[str, ...]  # sorted

    def as_json(self) -> list:
        return [self.lead, list(self.contributing)]

    def contributing_text(self) -> str:
        return UNITS_SEPARATOR.join(self.contributing)


@dataclass(frozen=True)
class UnitChange:
    """What one row does to its deliverable's responsibilities."""

    row: int
    deliverable_id: int
    old: Units
    new: Units

    def for_display(self) -> dict:
        return {
            "old_lead": self.old.lead,
            "new_lead": self.new.lead,
            "old_contributing": self.old.contributing_text(),
            "new_contributing": self.new.contributing_text(),
        }


@dataclass
class UnitsPlan:
    changes: dict[int, UnitChange]  # row number → change
    errors: list[RowError]
    current: dict[str, Units]  # deliverable code → units as read, for the no-lost-update check
    offices: dict[str, Office]  # code in capitals → office


def current_units(deliverables: Iterable[Deliverable]) -> dict[int, Units]:
    """Each deliverable's units, in one query (the lead unit comes with select_related)."""
    deliverables = list(deliverables)
    contributing = defaultdict(list)
    links = Deliverable.contributing_units.through.objects.filter(
        deliverable_id__in=[d.pk for d in deliverables]
    ).values_list("deliverable_id", "office__code")
    for deliverable_id, code in links:
        contributing[deliverable_id].append(code)
    return {
        d.pk: Units(d.lead_unit.code if d.lead_unit else "", tuple(sorted(contributing[d.pk])))
        for d in deliverables
    }


def plan_units(
    rows: list[tuple[int, str, dict[str, str | None]]],
    deliverables: dict[str, Deliverable],
    *,
    may_assign: bool,
) -> UnitsPlan:
    """What the unit cells of `rows` (row number, deliverable code, the two
    cells, None for a column the file lacks) would change, in two queries."""
    present = [row for row in rows if row[1] in deliverables]
    # Every office in one query (there are tens), matched in any case: the
    # cells' codes, and the kept lead and contributing units when assigning.
    offices = {o.code.upper(): o for o in Office.objects.only("pk", "code")}
    by_pk = current_units(d for d in deliverables.values())
    current = {code: by_pk[d.pk] for code, d in deliverables.items()}
    errors: list[RowError] = []
    wanted: dict[str, dict[int, Units]] = defaultdict(dict)
    for number, code, cells in present:
        try:
            units = _read_row(number, cells, current[code], offices)
        except _Refused as refused:
            errors.extend(refused.errors)
            continue
        if units is not None:
            wanted[code][number] = units
    changes = {}
    for code, by_row in wanted.items():
        if len(set(by_row.values())) > 1:
            rows_text = ", ".join(map(str, sorted(by_row)))
            for number in sorted(by_row):
                message = _(
                    "The rows of deliverable %(code)s (rows %(rows)s) name different units: "
                    "keep the units on one row, or write the same on each."
                ) % {"code": code, "rows": rows_text}
                errors.append(RowError(number, "lead_unit", message))
            continue
        number, units = min(by_row.items())
        if units == current[code]:
            continue
        if not may_assign:
            errors.append(
                RowError(
                    number,
                    "lead_unit",
                    _(
                        "Only headquarters staff may change who leads or contributes to %(code)s: "
                        "leave the lead_unit and contributing_units cells as exported, or empty."
                    )
                    % {"code": code},
                )
            )
            continue
        changes[number] = UnitChange(number, deliverables[code].pk, current[code], units)
    return UnitsPlan(changes=changes, errors=errors, current=current, offices=offices)


class _Refused(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors


def _codes(cell: str | None) -> list[str]:
    text = (cell or "").strip()
    if text == NONE:
        return []
    return [code for code in _SEPARATORS.split(text) if code]


def _read_row(
    number: int, cells: dict[str, str | None], now: Units, offices: dict[str, Office]
) -> Units | None:
    """The units the row asks for, None when its cells keep them; _Refused if wrong."""
    lead_cell = (cells.get("lead_unit") or "").strip()
    contributing_cell = (cells.get("contributing_units") or "").strip()
    if not lead_cell and not contributing_cell:
        return None
    errors = []
    lead = now.lead
    if lead_cell:
        codes = _codes(lead_cell)
        if len(codes) > 1:
            errors.append(
                RowError(
                    number,
                    "lead_unit",
                    _(
                        "“%(value)s” names several units: a deliverable has one lead unit; "
                        "list the others under contributing_units."
                    )
                    % {"value": shorten(lead_cell)},
                )
            )
        else:
            known = _known(number, "lead_unit", codes, offices, errors)
            lead = known[0] if known else ("" if not codes else now.lead)
    contributing = list(now.contributing)
    if contributing_cell:
        codes = _codes(contributing_cell)
        contributing = _known(number, "contributing_units", codes, offices, errors)
        repeated = sorted({code for code in contributing if contributing.count(code) > 1})
        if repeated:
            errors.append(
                RowError(
                    number,
                    "contributing_units",
                    _("%(codes)s is listed more than once: list each contributing unit once.")
                    % {"codes": ", ".join(repeated)},
                )
            )
        if lead and lead in contributing:
            errors.append(
                RowError(
                    number,
                    "contributing_units",
                    _("%(code)s is the lead unit: it cannot also be a contributing unit.") % {"code": lead},
                )
            )
    elif lead in contributing:
        # The new lead was contributing: it leads now, as on the deliverable page.
        contributing.remove(lead)
    if errors:
        raise _Refused(errors)
    return Units(lead, tuple(sorted(contributing)))


def _known(number: int, column: str, codes: list[str], offices: dict[str, Office], errors: list) -> list[str]:
    """The codes as the offices spell them; an error for each unknown one."""
    known = []
    for code in codes:
        office = offices.get(code.upper())
        if office is None:
            errors.append(
                RowError(
                    number,
                    column,
                    _(
                        "There is no unit with the code “%(code)s”. Write an office code as the "
                        "deliverables export shows it (for example PARDEV), or “-” for none."
                    )
                    % {"code": shorten(code)},
                )
            )
        else:
            known.append(office.code)
    return known
