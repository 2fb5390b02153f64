"""Checks before issuing: contradictions in the data the review would print.

Each check reads the assembled review, so it sees exactly what the document
prints at the cut-off (statuses as of that day, citable examples only).
The preview shows the warnings; issuing requires acknowledging each one.
"""

import datetime
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deliverables.models import Plan, Status

from .assembly import Review, assemble_review

STALE_MONTHS = 6
MIN_DUPLICATE_WORDS = 3


@dataclass(frozen=True)
class Check:
    """One warning: what is wrong, where to fix it, and what it concerns
    (deliverable codes, example titles or focus-area numbers)."""

    TARGET_REACHED_BUT_LATE = "target_reached_but_late"
    EXAMPLE_BEFORE_START = "example_before_start"
    STALE_UPDATES = "stale_updates"
    DUPLICATE_NARRATIVE = "duplicate_narrative"
    AREA_WITHOUT_EXAMPLE = "area_without_example"

    code: str
    message: str
    link: str
    objects: tuple[str, ...]

    @property
    def key(self) -> str:
        """Stable while the contradiction stays the same: what the issue form acknowledges."""
        digest = hashlib.sha256("\x1f".join(self.objects).encode()).hexdigest()[:12]
        return f"{self.code}:{digest}"


def review_checks(plan: Plan, as_of: datetime.date) -> list[Check]:
    """Every warning for the review of `plan` at `as_of` (the seven queries of the review)."""
    return checks_for_review(assemble_review(plan, as_of))


def checks_for_review(review: Review) -> list[Check]:
    """Every warning for an assembled review, without a query."""
    return [
        *_target_reached_but_late(review),
        *_examples_before_start(review),
        *_stale_updates(review),
        *_duplicate_narratives(review),
        *_areas_without_example(review),
    ]


def _deliverable_link(code: str) -> str:
    return reverse("deliverables:detail", args=[code])


def _target_reached_but_late(review: Review) -> list[Check]:
    return [
        Check(
            code=Check.TARGET_REACHED_BUT_LATE,
            message=_(
                "Deliverable %(code)s has reached its target (%(progress)s of %(target)s %(unit)s) "
                "but its status is “%(status)s”."
            )
            % {
                "code": row.code,
                "progress": row.progress_value,
                "target": row.target_value,
                "unit": row.target_unit,
                "status": row.status_label,
            },
            link=_deliverable_link(row.code),
            objects=(row.code,),
        )
        for row in review.deliverables
        if row.target_reached and row.status in (Status.AT_RISK, Status.DELAYED)
    ]


def _examples_before_start(review: Review) -> list[Check]:
    not_started = {
        row.code for row in review.deliverables if row.status == Status.NOT_STARTED or row.reported_on is None
    }
    checks = []
    for example in review.examples:
        codes = tuple(code for code in example.deliverable_codes if code in not_started)
        if codes:
            checks.append(
                Check(
                    code=Check.EXAMPLE_BEFORE_START,
                    message=_(
                        "The example “%(title)s” is credited to %(codes)s, which had not started "
                        "by the cut-off date."
                    )
                    % {"title": example.title, "codes": _codes(codes)},
                    link=reverse("examples:detail", args=[example.pk]),
                    objects=(example.title, *codes),
                )
            )
    return checks


def _stale_updates(review: Review) -> list[Check]:
    """One warning for all open deliverables whose latest update is older than
    six months: achieved or discontinued ones need no further news."""
    limit = months_before(review.as_of, STALE_MONTHS)
    stale = tuple(
        row.code
        for row in review.deliverables
        if row.reported_on is not None and row.reported_on < limit and not row.status.is_closed
    )
    if not stale:
        return []
    message = ngettext(
        "%(count)s open deliverable was last updated before %(limit)s, more than six months before "
        "the cut-off date: %(codes)s.",
        "%(count)s open deliverables were last updated before %(limit)s, more than six months before "
        "the cut-off date: %(codes)s.",
        len(stale),
    ) % {"count": len(stale), "limit": date_format(limit, "j F Y"), "codes": _codes(stale)}
    return [
        Check(
            code=Check.STALE_UPDATES,
            message=message,
            link=reverse("deliverables:list") + "?sort=updated",
            objects=stale,
        )
    ]


def _duplicate_narratives(review: Review) -> list[Check]:
    groups: dict[str, list] = defaultdict(list)
    for row in review.deliverables:
        normal = normalised(row.narrative)
        if len(normal.split()) >= MIN_DUPLICATE_WORDS:
            groups[normal].append(row)
    checks = []
    for rows in groups.values():
        if len(rows) < 2:
            continue
        codes = tuple(row.code for row in rows)
        excerpt = " ".join(rows[0].narrative.split()[:12])
        checks.append(
            Check(
                code=Check.DUPLICATE_NARRATIVE,
                message=_("The same narrative is recorded for %(codes)s: “%(excerpt)s…”")
                % {"codes": _codes(codes), "excerpt": excerpt},
                link=_deliverable_link(codes[0]),
                objects=codes,
            )
        )
    return checks


def _areas_without_example(review: Review) -> list[Check]:
    return [
        Check(
            code=Check.AREA_WITHOUT_EXAMPLE,
            message=_(
                "Focus area %(n)s (%(title)s) has no field example cleared for citation by the cut-off date."
            )
            % {"n": area.number, "title": area.title},
            link=reverse("examples:coverage"),
            objects=(str(area.number),),
        )
        for area in review.focus_areas
        if not area.examples and not area.see_also
    ]


def normalised(text: str) -> str:
    """Lower case, letters and digits only, single spaces: pasted text with a
    changed comma or line break is still the same text."""
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` earlier, or the month's last day (31 August → 28/29 February)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _codes(codes: tuple[str, ...]) -> str:
    return ", ".join(codes)
