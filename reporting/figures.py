"""Named figures that written text cites as {name}, filled in from the data at
the cut-off so that the text stays true when the cut-off moves.

Every figure is computed from the assembled `Review` (reporting.assembly):
the same numbers the generated paragraphs, tables and charts print.
Numbers follow the house style of Governing Body documents: one to nine in
words, 10 and above in figures with a thousands comma, shares as "per cent".
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deliverables.models import Status

from .assembly import FocusAreaSection, Review

NUMBER_WORDS = (
    gettext_lazy("zero"),
    gettext_lazy("one"),
    gettext_lazy("two"),
    gettext_lazy("three"),
    gettext_lazy("four"),
    gettext_lazy("five"),
    gettext_lazy("six"),
    gettext_lazy("seven"),
    gettext_lazy("eight"),
    gettext_lazy("nine"),
)


def number_text(value: int) -> str:
    if 0 <= value < len(NUMBER_WORDS):
        return str(NUMBER_WORDS[value])
    return f"{value:,}"


def share_text(part: int, whole: int) -> str:
    share = round(100 * part / whole) if whole else 0
    return _("%(share)s per cent") % {"share": share}


@dataclass(frozen=True)
class Figure:
    name: str
    label: str
    text: Callable[[Review], str]


def _count(status: Status) -> Callable[[Review], str]:
    return lambda review: number_text(review.key_figures.count(status))


PLAN_FIGURES = (
    Figure(
        "cut_off",
        gettext_lazy("the cut-off date, e.g. 31 December 2022"),
        lambda r: date_format(r.as_of, "j F Y"),
    ),
    Figure(
        "deliverables_total",
        gettext_lazy("deliverables in the plan"),
        lambda r: number_text(r.key_figures.total),
    ),
    Figure(
        "reported",
        gettext_lazy("deliverables with at least one status update by the cut-off"),
        lambda r: number_text(r.key_figures.reported),
    ),
    Figure(
        "due_by_midterm",
        gettext_lazy("deliverables due by the end of the mid-term year"),
        lambda r: number_text(r.key_figures.due_total),
    ),
    Figure(
        "due_by_midterm_achieved",
        gettext_lazy("deliverables due by the mid-term that are achieved"),
        lambda r: number_text(r.key_figures.due_achieved),
    ),
    Figure(
        "due_by_midterm_not_achieved",
        gettext_lazy("deliverables due by the mid-term not yet achieved"),
        lambda r: number_text(r.key_figures.due_not_achieved),
    ),
    Figure(
        "due_by_midterm_achieved_share",
        gettext_lazy("share of the deliverables due by the mid-term that are achieved, e.g. 62 per cent"),
        lambda r: share_text(r.key_figures.due_achieved, r.key_figures.due_total),
    ),
    Figure("achieved", gettext_lazy("deliverables achieved"), _count(Status.ACHIEVED)),
    Figure("on_track", gettext_lazy("deliverables on track"), _count(Status.ON_TRACK)),
    Figure("at_risk", gettext_lazy("deliverables at risk"), _count(Status.AT_RISK)),
    Figure("delayed", gettext_lazy("deliverables delayed"), _count(Status.DELAYED)),
    Figure("not_started", gettext_lazy("deliverables not started"), _count(Status.NOT_STARTED)),
    Figure("discontinued", gettext_lazy("deliverables discontinued"), _count(Status.DISCONTINUED)),
    Figure(
        "targets_total",
        gettext_lazy("deliverables with a numeric target"),
        lambda r: number_text(r.key_figures.targets_total),
    ),
    Figure(
        "targets_reached",
        gettext_lazy("numeric targets reached"),
        lambda r: number_text(r.key_figures.targets_reached),
    ),
    Figure(
        "examples_citable",
        gettext_lazy("field examples approved and cleared for citation by the cut-off"),
        lambda r: number_text(r.key_figures.examples),
    ),
)

# Per focus area n, as f"area{n}_{suffix}".
AREA_FIGURES: tuple[tuple[str, str, Callable[[FocusAreaSection], str]], ...] = (
    ("total", gettext_lazy("deliverables of focus area %(n)s"), lambda a: number_text(a.total)),
    *(
        (status.value, label, (lambda s: lambda a: number_text(_area_count(a, s)))(status))
        for status, label in (
            (Status.ACHIEVED, gettext_lazy("deliverables of focus area %(n)s achieved")),
            (Status.ON_TRACK, gettext_lazy("deliverables of focus area %(n)s on track")),
            (Status.AT_RISK, gettext_lazy("deliverables of focus area %(n)s at risk")),
            (Status.DELAYED, gettext_lazy("deliverables of focus area %(n)s delayed")),
        )
    ),
    (
        "examples",
        gettext_lazy("citable field examples printed under focus area %(n)s"),
        lambda a: number_text(len(a.examples)),
    ),
)


def _area_count(area: FocusAreaSection, status: Status) -> int:
    return next((item.count for item in area.status_counts if item.status == status), 0)


def figure_labels(focus_area_numbers: Iterable[int]) -> dict[str, str]:
    """Every name that may be cited, with what it counts, in a stable order."""
    labels = {figure.name: str(figure.label) for figure in PLAN_FIGURES}
    for n in focus_area_numbers:
        for suffix, label, _text in AREA_FIGURES:
            labels[f"area{n}_{suffix}"] = str(label) % {"n": n}
    return labels


def figure_texts(review: Review) -> dict[str, str]:
    """Every named figure's text at the review's cut-off."""
    texts = {figure.name: figure.text(review) for figure in PLAN_FIGURES}
    for area in review.focus_areas:
        for suffix, _label, text in AREA_FIGURES:
            texts[f"area{area.number}_{suffix}"] = text(area)
    return texts
