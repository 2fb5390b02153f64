"""The review as a Governing Body document: the cover values, the numbered
paragraphs (generated from the assembled figures and written by people, in
one sequence), the footnotes, and the geometry of the charts. Plain data
again; templates (PDF) and reporting.docx (Word) draw it.

Paragraph and footnote numbers are given here rather than by CSS counters so
that the cover's purpose paragraph can name the number of the draft
decision, and so that the HTML preview, the PDF and the Word file number
paragraphs identically.
"""

import dataclasses
import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from deliverables.models import Plan, Status

from . import written as w
from .assembly import ActionBlock, FocusAreaSection, KeyFigures, Review
from .charts import Chart, status_chart, target_charts
from .style import long_date, number

# What the Governing Body decided before the plan, from GB.341/POL/4 (para. 1
# and its footnote 1). The plan's own record holds only the session that
# received it (the 341st), so the earlier request is stated here.
REQUEST_SESSION = gettext_lazy("340th Session")
REQUEST_SESSION_DATES = gettext_lazy("October–November 2020")
REQUEST_RECORD = "GB.340/POL/PV, para. 156"
STRATEGY_SYMBOL = "GB.340/POL/6"
# The session that takes the mid-term review: the 347th sat from 13 to 23 March 2023.
REVIEW_SESSION_DAYS = ((3, 13), (3, 23))
# GB documents are dated a few weeks before the session opens.
WEEKS_BEFORE_SESSION = 6


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
    document_date: datetime.date | None  # None: a Friday some weeks before the session opens
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

    @property
    def session_opens(self) -> datetime.date | None:
        return session_opening(self.session_dates)

    def date_for(self, as_of: datetime.date) -> datetime.date:
        """The date printed on the cover: the one typed, else a Friday about six weeks
        before the session opens. Only when the session dates cannot be read (the author
        is warned, see cover_warnings) does it fall back to the cut-off `as_of`."""
        if self.document_date:
            return self.document_date
        opens = self.session_opens
        return default_document_date(opens) if opens else as_of

    @property
    def related(self) -> list[str]:
        return [item.strip() for item in self.related_documents.replace(",", ";").split(";") if item.strip()]


def default_document_date(session_opens: datetime.date) -> datetime.date:
    """The Friday on or before the day `WEEKS_BEFORE_SESSION` weeks before the session opens."""
    day = session_opens - datetime.timedelta(weeks=WEEKS_BEFORE_SESSION)
    return day - datetime.timedelta(days=(day.weekday() - 4) % 7)


def session_opening(session_dates: str) -> datetime.date | None:
    """The first day of "13–23 March 2023" (or of "March 2023": the 1st), in any language
    of the site ("13–23 mars 2023", "13–23 de marzo de 2023"); None when no month and
    year can be read."""
    names = {datetime.date(2000, month, 1).strftime("%B").lower(): month for month in range(1, 13)}
    # In any language of the site: the cover may be in another language than the page.
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names |= {str(name).lower(): month for month, name in MONTHS.items()}
    years = re.findall(r"\b(\d{4})\b", session_dates)
    month_match = next((m for m in re.finditer(r"[^\W\d_]+", session_dates) if m[0].lower() in names), None)
    if not years or not month_match:
        return None
    day = re.search(r"\b(\d{1,2})\b", session_dates[: month_match.start()])
    try:
        return datetime.date(int(years[-1]), names[month_match[0].lower()], int(day[1]) if day else 1)
    except ValueError:
        return None


def cover_warnings(cover: Cover, as_of: datetime.date) -> list[str]:
    """What looks wrong on the cover, for the author to correct or accept before issuing."""
    warnings = []
    opens = cover.session_opens
    date = cover.date_for(as_of)
    if opens is None:
        warnings.append(
            _(
                "The opening day of the session cannot be read from “%(dates)s”: the document date "
                "cannot be checked against it. Write the session dates as “13–23 March 2023”."
            )
            % {"dates": cover.session_dates}
        )
    elif date > opens:
        warnings.append(
            _("The document date, %(date)s, is after the session opens (%(opens)s).")
            % {"date": long_date(date), "opens": long_date(opens)}
        )
    if date < as_of:
        warnings.append(
            _("The document date, %(date)s, is before the cut-off date of the review (%(as_of)s).")
            % {"date": long_date(date), "as_of": long_date(as_of)}
        )
    if cover.symbol and cover.symbol not in cover.decision:
        warnings.append(
            _("The draft decision does not name the document's symbol, %(symbol)s.")
            % {"symbol": cover.symbol}
        )
    return warnings


def session_name(session: str) -> str:
    """The plan's session as recorded ("341st Session"), in the active language:
    "341e session", "341.ª reunión". Anything else is printed as recorded."""
    match = re.fullmatch(r"(\d+)(?:st|nd|rd|th) Session", session.strip())
    if not match or (translation.get_language() or "en").startswith("en"):
        return session
    return _("%(number)sth Session") % {"number": match[1]}


def strategy_name(plan_title: str) -> str:
    """ "ILO Development Cooperation Strategy 2020–25: Implementation Plan" → the Strategy's name."""
    return plan_title.split(":")[0].strip()


def default_cover(plan: Plan) -> Cover:
    """The values of the 2023 mid-term review (GB.347/POL/3), adapted to `plan`'s years,
    in the active language (the plan's title too, where it is translated)."""
    strategy = strategy_name(plan.text_in("title")[0])
    symbol = "GB.347/POL/3"
    (month, first), (_month, last) = REVIEW_SESSION_DAYS
    # "13–23 March 2023", "13–23 mars 2023", "13–23 de marzo de 2023"
    session_dates = f"{first}–{long_date(datetime.date(plan.midterm_year, month, last))}"
    return Cover(
        session=_("347th Session"),
        place=_("Geneva"),
        session_dates=session_dates,
        symbol=symbol,
        section=_("Policy Development Section"),
        section_code="POL",
        segment=_("Development Cooperation Segment"),
        document_date=default_document_date(session_opening(session_dates)),
        original_language=_("English"),
        agenda_item=_("Third item on the agenda"),
        title=_("Mid-term review of the %(strategy)s and its implementation plan") % {"strategy": strategy},
        purpose=_(
            "This document presents the mid-term review of the %(strategy)s and its implementation plan "
            "(%(plan_symbol)s), which the Governing Body requested at its %(request)s (%(dates)s). "
            "It reports the progress made on each deliverable of the plan, gives concrete examples of "
            "results achieved with constituents in the field, and draws lessons for the second half of "
            "the Strategy. The Governing Body is invited to take note of the review and to provide "
            "guidance for the remaining period of the Strategy"
        )
        % {
            "strategy": strategy,
            "plan_symbol": plan.symbol,
            "request": REQUEST_SESSION,
            "dates": REQUEST_SESSION_DATES,
        },
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
        related_documents="; ".join([STRATEGY_SYMBOL, REQUEST_RECORD.split(",")[0], plan.symbol]),
        decision=default_decision(strategy, symbol),
    )


def default_decision(strategy: str, symbol: str) -> str:
    """In the form of the decision the Governing Body took on GB.347/POL/3 (para. 38)."""
    return _(
        "The Governing Body took note of the mid-term review of the %(strategy)s and its implementation "
        "plan contained in document %(symbol)s and requested the Director-General to consider the "
        "Governing Body's guidance in implementing the Strategy and the plan during the second half "
        "of the Strategy's timeframe."
    ) % {"strategy": strategy, "symbol": symbol}


# ---------------------------------------------------------------------------
# The document's text
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A stretch of text with one emphasis; with `footnote`, the footnote's mark follows it."""

    text: str
    emphasis: bool = False
    strong: bool = False
    footnote: "Footnote | None" = None


@dataclass(frozen=True)
class Footnote:
    number: int  # through the document
    spans: tuple[Span, ...]

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)


@dataclass(frozen=True)
class Para:
    """A numbered GB paragraph, or (number None) an item of a list."""

    number: int | None
    spans: tuple[Span, ...]
    is_list = False

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)


@dataclass(frozen=True)
class ItemList:
    """Consecutive list items of written text: not numbered as GB paragraphs."""

    ordered: bool
    items: tuple[Para, ...]
    is_list = True


Content = tuple[Para | ItemList, ...]


@dataclass(frozen=True)
class WrittenPart:
    """One written section of a focus area, under its subheading."""

    key: str
    heading: str
    content: Content


@dataclass(frozen=True)
class ActionTable:
    number: int  # "Table n"
    action: ActionBlock


@dataclass(frozen=True)
class AreaText:
    section: FocusAreaSection
    paragraphs: tuple[Para, ...]  # generated from the figures
    written: tuple[WrittenPart, ...] = ()  # only the sections that were written
    tables: tuple[ActionTable, ...] = ()


@dataclass(frozen=True)
class ReviewDocument:
    review: Review
    cover: Cover
    date: datetime.date
    introduction: Content  # generated, then written
    overview: tuple[Para, ...]
    areas: tuple[AreaText, ...]
    decision: Content
    status_chart: Chart
    target_charts: tuple[Chart, ...]
    strategy: Content = ()
    way_forward: Content = ()
    guidance: Content = ()
    headings: Mapping[str, str] = field(default_factory=dict)  # part key → "IV. Way forward"
    footnotes: tuple[Footnote, ...] = ()
    key_figures_table: int = 1
    appendix_tables: tuple[int, int] = (0, 0)
    draft: bool = True
    language: str = "en"  # of every generated text; the plan texts were read in it too

    @property
    def decision_number(self) -> int:
        return next(item.number for item in self.decision if not item.is_list)

    @property
    def decision_text(self) -> str:
        return "\n".join(
            item.text if not item.is_list else "\n".join(p.text for p in item.items) for item in self.decision
        )

    @property
    def purpose_with_reference(self) -> str:
        purpose = self.cover.purpose.strip().rstrip(".")
        return _("%(purpose)s (see the draft decision in paragraph %(number)s).") % {
            "purpose": purpose,
            "number": self.decision_number,
        }

    @property
    def metadata_date(self) -> str:
        """The PDF's creation date: the document date, so that the same review gives the same bytes."""
        return f"{self.date:%Y-%m-%d}T00:00:00Z"

    @property
    def parts(self) -> list[tuple[str, str]]:
        """(anchor, heading) of every numbered part, in order: the contents page."""
        return list(self.headings.items())


AREA_PART_HEADINGS = {
    "achievements": lambda: _("Achievements"),
    "challenges": lambda: _("Challenges"),
    "lessons": lambda: _("Lessons learned"),
    "adjustments": lambda: _("Adjustments for the second half of the Strategy"),
}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")


def compose(
    review: Review,
    cover: Cover,
    written: w.WrittenText = w.EMPTY,
    *,
    draft: bool = True,
    language: str = "en",
) -> ReviewDocument:
    """The document in reading order, every generated text in `language`. Paragraphs
    and footnotes are numbered in the order they are printed; a written section left
    empty prints nothing at all."""
    with translation.override(language):
        return _compose(review, cover, written, draft=draft, language=language)


def _compose(
    review: Review, cover: Cover, written: w.WrittenText, *, draft: bool, language: str
) -> ReviewDocument:
    counter = _Counter()
    introduction = counter.generated(_introduction(review)) + counter.written(written.blocks(w.INTRODUCTION))
    overview = counter.generated(_overview(review))
    strategy = counter.written(written.blocks(w.STRATEGY))
    tables = iter(range(2, 10_000))
    areas = []
    for section in review.focus_areas:
        paragraphs = counter.generated(_area_text(section))
        parts = tuple(
            WrittenPart(key, AREA_PART_HEADINGS[part](), counter.written(written.blocks(key)))
            for part in w.AREA_PARTS
            if not written.is_empty(key := w.area_key(section.number, part))
        )
        areas.append(
            AreaText(
                section=section,
                paragraphs=paragraphs,
                written=parts,
                tables=tuple(ActionTable(next(tables), action) for action in section.actions),
            )
        )
    way_forward = counter.written(written.blocks(w.WAY_FORWARD))
    guidance = counter.written(written.blocks(w.GUIDANCE))
    if written.is_empty(w.DECISION):
        decision = counter.generated([cover.decision.strip()])
    else:
        decision = counter.written(written.blocks(w.DECISION))
    titles = [
        ("introduction", _("Introduction")),
        ("overview", _("Overview of progress")),
        ("progress", _("Progress by focus area")),
    ]
    if way_forward:
        titles.append(("way_forward", _("Way forward")))
    if guidance:
        titles.append(("guidance", _("Points for the Governing Body's guidance")))
    headings = {
        key: _("%(number)s. %(title)s") % {"number": ROMAN[n], "title": title}
        for n, (key, title) in enumerate(titles)
    }
    return ReviewDocument(
        review=review,
        cover=cover,
        date=cover.date_for(review.as_of),
        introduction=introduction,
        overview=overview,
        strategy=strategy,
        areas=tuple(areas),
        way_forward=way_forward,
        guidance=guidance,
        decision=decision,
        headings=headings,
        footnotes=tuple(counter.footnotes),
        appendix_tables=(next(tables), next(tables)),
        status_chart=status_chart(review),
        target_charts=target_charts(review.with_targets),
        draft=draft,
        language=language,
    )


class _Counter:
    """Numbers paragraphs and footnotes in the order they are handed over."""

    def __init__(self) -> None:
        self.number = 0
        self.footnotes: list[Footnote] = []

    def para(self, spans: Iterable[Span]) -> Para:
        self.number += 1
        return Para(self.number, tuple(spans))

    def generated(self, texts: Iterable[str | tuple[Span, ...]]) -> tuple[Para, ...]:
        return tuple(
            self.para(self.spans_of(text) if isinstance(text, tuple) else (Span(text),)) for text in texts
        )

    def spans_of(self, spans: tuple[Span, ...]) -> tuple[Span, ...]:
        """Generated spans whose footnotes are not numbered yet (number 0)."""
        return tuple(
            dataclasses.replace(span, footnote=self.note(span.footnote.spans)) if span.footnote else span
            for span in spans
        )

    def note(self, spans: tuple[Span, ...]) -> Footnote:
        footnote = Footnote(len(self.footnotes) + 1, spans)
        self.footnotes.append(footnote)
        return footnote

    def written(self, blocks: tuple[w.Block, ...]) -> Content:
        content: list[Para | ItemList] = []
        for block in blocks:
            if block.kind == w.Block.PARAGRAPH:
                content.append(self.para(self.runs(block.runs)))
                continue
            item = Para(None, self.runs(block.runs))
            ordered = block.kind == w.Block.NUMBERED
            last = content[-1] if content else None
            if isinstance(last, ItemList) and last.ordered == ordered:
                content[-1] = ItemList(ordered, last.items + (item,))
            else:
                content.append(ItemList(ordered, (item,)))
        return tuple(content)

    def runs(self, runs: tuple[w.Run, ...]) -> tuple[Span, ...]:
        spans = []
        for run in runs:
            # A footnote inside a footnote keeps its text and loses its mark.
            note = (
                self.note(tuple(Span(r.text, r.emphasis, r.strong) for r in run.footnote))
                if run.footnote
                else None
            )
            spans.append(Span(run.text, run.emphasis, run.strong, note))
        return tuple(spans)


def _introduction(review: Review) -> list[str | tuple[Span, ...]]:
    figures = review.key_figures
    request = _(
        "At its %(request)s (%(dates)s), the Governing Body endorsed the %(strategy)s and "
        "requested the Office to submit an implementation plan to its %(session)s and a mid-term review "
        "of the Strategy and the implementation plan in %(year)s."
    ) % {
        "request": REQUEST_SESSION,
        "dates": REQUEST_SESSION_DATES,
        "strategy": strategy_name(review.plan_title),
        "session": session_name(review.plan_session),
        "year": review.midterm_year,
    }
    plan = _(
        "The implementation plan (%(symbol)s) was submitted to the Governing Body at its %(session)s, "
        "which was invited to endorse it. This document presents the mid-term review."
    ) % {"symbol": review.plan_symbol, "session": session_name(review.plan_session)}
    texts: list[str | tuple[Span, ...]] = [
        (Span(request, footnote=Footnote(0, (Span(f"{REQUEST_RECORD}."),))), Span(" " + plan)),
        ngettext(
            "The review reports the progress made on the %(count)s deliverable of the plan "
            "(%(areas)s focus areas) as of %(date)s.",
            "The review reports the progress made on the %(count)s deliverables of the plan "
            "(%(areas)s focus areas) as of %(date)s.",
            figures.total,
        )
        % {
            "count": number(figures.total),
            "areas": number(len(review.focus_areas)),
            "date": long_date(review.as_of),
        }
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
            % {"count": number(figures.examples)}
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
    """ "three of the eight deliverables had been achieved; four on track and one delayed." Statuses
    that no deliverable has are left out."""
    by_status = {item.status: item.count for item in counts.status_counts}
    labels = {
        Status.ON_TRACK: lambda n: _("%(count)s on track") % {"count": n},
        Status.AT_RISK: lambda n: _("%(count)s at risk") % {"count": n},
        Status.DELAYED: lambda n: _("%(count)s delayed") % {"count": n},
        Status.NOT_STARTED: lambda n: _("%(count)s not started") % {"count": n},
        Status.DISCONTINUED: lambda n: _("%(count)s discontinued") % {"count": n},
    }
    parts = [label(number(by_status[status])) for status, label in labels.items() if by_status[status]]
    values = {"achieved": number(by_status[Status.ACHIEVED]), "total": number(counts.total)}
    if not by_status[Status.ACHIEVED]:
        # "none of the … had been achieved" agrees differently in French and Spanish.
        if not parts:
            return _("none of the %(total)s deliverables had been achieved.") % values
        return _("none of the %(total)s deliverables had been achieved; %(others)s.") % (
            values | {"others": _others(parts)}
        )
    if not parts:
        return _("%(achieved)s of the %(total)s deliverables had been achieved.") % values
    return _("%(achieved)s of the %(total)s deliverables had been achieved; %(others)s.") % (
        values | {"others": _others(parts)}
    )


def _others(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return _("%(list)s and %(last)s") % {"list": ", ".join(parts[:-1]), "last": parts[-1]}


def _overview(review: Review) -> list[str]:
    figures = review.key_figures
    texts = [
        _(
            "As of %(date)s, %(sentence)s Table 1 gives the key figures; figure 1 shows the status of "
            "the deliverables by focus area."
        )
        % {"date": long_date(review.as_of), "sentence": _status_sentence(figures)}
    ]
    if figures.due_not_achieved and not figures.due_achieved:
        # "none … had been achieved" agrees differently in French and Spanish.
        texts.append(
            _(
                "Of the %(due)s deliverables due by the end of %(year)s, the mid-term year of the plan, "
                "none had been achieved. They are listed in Appendix II with their latest narrative."
            )
            % {"due": number(figures.due_total), "year": review.midterm_year}
        )
    elif figures.due_not_achieved:
        texts.append(
            _(
                "Of the %(due)s deliverables due by the end of %(year)s, the mid-term year of the plan, "
                "%(achieved)s had been achieved. The %(missing)s not yet achieved are listed in Appendix II "
                "with their latest narrative."
            )
            % {
                "due": number(figures.due_total),
                "year": review.midterm_year,
                "achieved": number(figures.due_achieved),
                "missing": number(figures.due_not_achieved),
            }
        )
    else:
        texts.append(
            _(
                "All %(due)s deliverables due by the end of %(year)s, the mid-term year of the plan, "
                "had been achieved."
            )
            % {"due": number(figures.due_total), "year": review.midterm_year}
        )
    if figures.targets_total and not figures.targets_reached:
        texts.append(
            _(
                "A numeric target was set for %(total)s deliverables; none of these targets had been "
                "reached. Figure 2 compares each target with the progress reported."
            )
            % {"total": number(figures.targets_total)}
        )
    elif figures.targets_total:
        texts.append(
            _(
                "A numeric target was set for %(total)s deliverables; %(reached)s of these targets had been "
                "reached. Figure 2 compares each target with the progress reported."
            )
            % {
                "total": number(figures.targets_total),
                "reached": number(figures.targets_reached, feminine=True),  # une cible, una meta
            }
        )
    return texts


def _area_text(section: FocusAreaSection) -> list[str]:
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
