"""The review as a Governing Body document: the cover values, the numbered
paragraphs of prose written from the assembled figures, and the geometry
of the charts. Plain data again; templates draw it.

Paragraph numbers are given here rather than by CSS counters so that the
cover's purpose paragraph can name the number of the draft decision, and
so that the HTML preview and the PDF number paragraphs identically.
"""

import dataclasses
import datetime
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deliverables.models import Plan, Status

from .assembly import FocusAreaSection, KeyFigures, Review
from .charts import Chart, status_chart, target_charts


@dataclass(frozen=True)
class Cover:
    """Every value of the cover, and the decision text, as typed for one review."""

    session: str
    place: str
    session_dates: str
    symbol: str
    section: str
    section_code: str
    segment: str
    document_date: datetime.date | None  # None: the cut-off date
    original_language: str
    agenda_item: str
    title: str
    purpose: str
    strategic_objective: str
    main_outcome: str
    policy_implications: str
    legal_implications: str
    financial_implications: str
    follow_up: str
    author_unit: str
    related_documents: str
    decision: str

    def as_json(self) -> dict:
        data = dataclasses.asdict(self)
        data["document_date"] = self.document_date.isoformat() if self.document_date else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Cover":
        values = {f.name: data.get(f.name, "") for f in dataclasses.fields(cls)}
        raw = data.get("document_date")
        values["document_date"] = datetime.date.fromisoformat(raw) if raw else None
        return cls(**values)

    def date_for(self, as_of: datetime.date) -> datetime.date:
        return self.document_date or as_of

    @property
    def related(self) -> list[str]:
        return [item.strip() for item in self.related_documents.replace(",", ";").split(";") if item.strip()]


def default_cover(plan: Plan) -> Cover:
    """The values of the 2023 mid-term review (GB.347/POL/3), adapted to `plan`'s years."""
    # "ILO Development Cooperation Strategy 2020–25: Implementation Plan" → the Strategy's name.
    strategy = plan.title.split(":")[0].strip()
    return Cover(
        session=_("347th Session"),
        place=_("Geneva"),
        session_dates=_("March %(year)s") % {"year": plan.midterm_year},
        symbol="GB.347/POL/3",
        section=_("Policy Development Section"),
        section_code="POL",
        segment=_("Development Cooperation Segment"),
        document_date=None,
        original_language=_("English"),
        agenda_item=_("Third item on the agenda"),
        title=_("Mid-term review of the %(strategy)s and its implementation plan") % {"strategy": strategy},
        purpose=_(
            "This document presents the mid-term review of the %(strategy)s and its implementation plan, "
            "which the Governing Body requested when it adopted the plan at its %(session)s (%(symbol)s). "
            "It reports the progress made on each deliverable of the plan and gives concrete examples of "
            "results achieved with constituents in the field. The Governing Body is invited to take note "
            "of the review and to provide guidance for the remaining period of the Strategy"
        )
        % {"strategy": strategy, "session": plan.session, "symbol": plan.symbol},
        strategic_objective=_("All."),
        main_outcome=_(
            "Enabling outcome A: Improved knowledge and influence for promoting decent work. "
            "Enabling outcome C: Efficient support services and effective use of ILO resources."
        ),
        policy_implications=_("None."),
        legal_implications=_("None."),
        financial_implications=_("None."),
        follow_up=_("Yes."),
        author_unit=_("Partnerships and Field Support Department (PARDEV)"),
        related_documents=plan.symbol,
        decision=_(
            "The Governing Body took note of the mid-term review of the %(strategy)s and its implementation "
            "plan and requested the Director-General to take into account its guidance in implementing the "
            "Strategy and the plan until %(end)s and in preparing the final review."
        )
        % {"strategy": strategy, "end": plan.end_year},
    )


@dataclass(frozen=True)
class Para:
    number: int
    text: str


@dataclass(frozen=True)
class AreaText:
    section: FocusAreaSection
    paragraphs: tuple[Para, ...]


@dataclass(frozen=True)
class ReviewDocument:
    review: Review
    cover: Cover
    date: datetime.date
    introduction: tuple[Para, ...]
    overview: tuple[Para, ...]
    areas: tuple[AreaText, ...]
    decision: Para
    status_chart: Chart
    target_charts: tuple[Chart, ...]

    @property
    def purpose_with_reference(self) -> str:
        purpose = self.cover.purpose.strip().rstrip(".")
        return _("%(purpose)s (see the draft decision in paragraph %(number)s).") % {
            "purpose": purpose,
            "number": self.decision.number,
        }

    @property
    def metadata_date(self) -> str:
        """The PDF's creation date: the document date, so that the same review gives the same bytes."""
        return f"{self.date:%Y-%m-%d}T00:00:00Z"


def compose(review: Review, cover: Cover) -> ReviewDocument:
    counter = _Counter()
    introduction = tuple(counter.para(text) for text in _introduction(review))
    overview = tuple(counter.para(text) for text in _overview(review))
    areas = tuple(
        AreaText(
            section=section, paragraphs=tuple(counter.para(text) for text in _area_text(section, review))
        )
        for section in review.focus_areas
    )
    decision = counter.para(cover.decision.strip())
    return ReviewDocument(
        review=review,
        cover=cover,
        date=cover.date_for(review.as_of),
        introduction=introduction,
        overview=overview,
        areas=areas,
        decision=decision,
        status_chart=status_chart(review),
        target_charts=target_charts(review.with_targets),
    )


class _Counter:
    def __init__(self) -> None:
        self.number = 0

    def para(self, text: str) -> Para:
        self.number += 1
        return Para(self.number, text)


def long_date(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def _introduction(review: Review) -> list[str]:
    figures = review.key_figures
    texts = [
        _(
            "At its %(session)s, the Governing Body adopted the implementation plan of the ILO Development "
            "Cooperation Strategy (%(symbol)s) and asked the Office to present a mid-term review of the "
            "Strategy and the plan in %(year)s. This document is that review."
        )
        % {"session": review.plan_session, "symbol": review.plan_symbol, "year": review.midterm_year},
        ngettext(
            "The review reports the progress made on the %(count)s deliverable of the plan "
            "(%(areas)s focus areas) as of %(date)s.",
            "The review reports the progress made on the %(count)s deliverables of the plan "
            "(%(areas)s focus areas) as of %(date)s.",
            figures.total,
        )
        % {"count": figures.total, "areas": len(review.focus_areas), "date": long_date(review.as_of)}
        + " "
        + _(
            "For each deliverable, the status, the progress against its target and the narrative are those "
            "of the latest update recorded with a date on or before that day; later updates are not taken "
            "into account. A deliverable without any update by then is reported as not started."
        ),
    ]
    if figures.examples:
        texts.append(
            ngettext(
                "The review was prepared with the field offices and departments at headquarters. It includes "
                "%(count)s concrete example from the field, approved and cleared for citation by that date.",
                "The review was prepared with the field offices and departments at headquarters. It includes "
                "%(count)s concrete examples from the field, approved and cleared for citation by that date.",
                figures.examples,
            )
            % {"count": figures.examples}
        )
    else:
        texts.append(
            _(
                "The review was prepared with the field offices and departments at headquarters. No concrete "
                "example from the field had been approved and cleared for citation by that date."
            )
        )
    return texts


def _status_sentence(counts: KeyFigures | FocusAreaSection) -> str:
    by_status = {item.status: item.count for item in counts.status_counts}
    parts = [
        _("%(count)s on track") % {"count": by_status[Status.ON_TRACK]},
        _("%(count)s at risk") % {"count": by_status[Status.AT_RISK]},
        _("%(count)s delayed") % {"count": by_status[Status.DELAYED]},
        _("%(count)s not started") % {"count": by_status[Status.NOT_STARTED]},
    ]
    if by_status[Status.DISCONTINUED]:
        parts.append(_("%(count)s discontinued") % {"count": by_status[Status.DISCONTINUED]})
    return _("%(achieved)s of the %(total)s deliverables had been achieved; %(others)s.") % {
        "achieved": by_status[Status.ACHIEVED],
        "total": counts.total,
        "others": ", ".join(parts),
    }


def _overview(review: Review) -> list[str]:
    figures = review.key_figures
    texts = [
        _("As of %(date)s, %(sentence)s The status of the deliverables by focus area is shown in figure 1.")
        % {"date": long_date(review.as_of), "sentence": _status_sentence(figures)}
    ]
    if figures.due_not_achieved:
        texts.append(
            _(
                "Of the %(due)s deliverables due by the end of %(year)s, the mid-term year of the plan, "
                "%(achieved)s had been achieved. The %(missing)s not yet achieved are listed in Annex II "
                "with their latest narrative."
            )
            % {
                "due": figures.due_total,
                "year": review.midterm_year,
                "achieved": figures.due_achieved,
                "missing": figures.due_not_achieved,
            }
        )
    else:
        texts.append(
            _(
                "All %(due)s deliverables due by the end of %(year)s, the mid-term year of the plan, "
                "had been achieved."
            )
            % {"due": figures.due_total, "year": review.midterm_year}
        )
    if figures.targets_total:
        texts.append(
            _(
                "A numeric target was set for %(total)s deliverables; %(reached)s of these targets had been "
                "reached. Figure 2 compares each target with the progress reported."
            )
            % {"total": figures.targets_total, "reached": figures.targets_reached}
        )
    return texts


def _area_text(section: FocusAreaSection, review: Review) -> list[str]:
    texts = [
        _("Under focus area %(number)s, %(sentence)s")
        % {"number": section.number, "sentence": _status_sentence(section)}
    ]
    if section.examples:
        first, last = section.examples[0].number, section.examples[-1].number
        texts.append(
            ngettext(
                "Box %(first)s presents a concrete example from the field.",
                "Boxes %(first)s to %(last)s present concrete examples from the field.",
                len(section.examples),
            )
            % {"first": first, "last": last}
        )
    return texts
