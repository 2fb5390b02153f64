"""House style of ILO documents in English, French and Spanish, for the review.

Pure functions of their arguments and the language code: dates written out
("31 December 2022", "31 décembre 2022", "31 de diciembre de 2022"), numbers
one to nine in words, "per cent" in each language, and French typography
(non-breaking spaces before ; : ! ? and inside « »). `languages_available` tells
which languages a document can be produced in, given the plan texts it needs.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from num2words import num2words

NBSP = "\u00a0"  # before a colon and inside guillemets
NNBSP = "\u202f"  # narrow: before ; ! ? and between groups of digits in French

PER_CENT = {"en": "per cent", "fr": "pour cent", "es": "por ciento"}


def _base(lang: str) -> str:
    return (lang or "en").split("-")[0].lower()


def long_date(date: datetime.date, lang: str) -> str:
    """The date as the ILO writes it in running text and on covers."""
    lang = _base(lang)
    with translation.override(lang):
        month = str(MONTHS[date.month])
    if lang == "fr":
        day = "1er" if date.day == 1 else str(date.day)
        return f"{day} {month.lower()} {date.year}"
    if lang == "es":
        return f"{date.day} de {month.lower()} de {date.year}"
    return f"{date.day} {month} {date.year}"


def numeral(n: int, lang: str) -> str:
    """Digits grouped by thousands the language's way: 12,500 / 12 500 / 12 500."""
    lang = _base(lang)
    grouped = f"{n:,}"
    if lang == "fr":
        return grouped.replace(",", NNBSP)
    if lang == "es":
        # Spanish leaves four-digit numbers ungrouped (2500) and groups longer ones with a space.
        return grouped.replace(",", NNBSP) if abs(n) >= 10_000 else str(n)
    return grouped


def number_words(n: int, lang: str, *, feminine: bool = False) -> str:
    """One to nine in words, numerals otherwise ("three", "12").

    `feminine` matters for "one" before a feminine noun: une cible, una meta;
    Spanish writes "un" before a masculine noun (un entregable), not "uno".
    """
    lang = _base(lang)
    if not 1 <= n <= 9:
        return numeral(n, lang)
    if n == 1 and lang == "fr":
        return "une" if feminine else "un"
    if n == 1 and lang == "es":
        return "una" if feminine else "un"
    return num2words(n, lang=lang)


def per_cent(lang: str) -> str:
    return PER_CENT.get(_base(lang), PER_CENT["en"])


def percentage(value: int, lang: str) -> str:
    """'45 per cent', '45 pour cent', '45 por ciento' (numerals: percentages are never spelled out)."""
    space = NBSP if _base(lang) == "fr" else " "
    return f"{numeral(value, lang)}{space}{per_cent(lang)}"


_SPACE_BEFORE_HIGH = re.compile(r"[ \t\u00a0\u202f]*([;!?])(?=\s|$|[»)\"”’])")
_SPACE_BEFORE_COLON = re.compile(r"(?<=\S)[ \t\u00a0\u202f]*:(?=\s|$)")
_AFTER_OPENING = re.compile(r"«[ \t\u00a0\u202f]*")
_BEFORE_CLOSING = re.compile(r"[ \t\u00a0\u202f]*»")


def typography(text: str, lang: str) -> str:
    """French spacing: a narrow no-break space before ; ! ?, a no-break space
    before : and inside « »; text in other languages comes back unchanged.

    A colon or question mark inside a word or an address (10:30, http://, ?a=1)
    is left alone: only punctuation followed by a space or the end counts.
    """
    if _base(lang) != "fr" or not text:
        return text
    text = _SPACE_BEFORE_HIGH.sub(lambda m: NNBSP + m.group(1), text)
    text = _SPACE_BEFORE_COLON.sub(NBSP + ":", text)
    text = _AFTER_OPENING.sub("«" + NBSP, text)
    text = _BEFORE_CLOSING.sub(NBSP + "»", text)
    return text


@dataclass(frozen=True)
class TextNeeded:
    """One plan text a document prints: the object, its field, and how to name it to a reader."""

    obj: object
    field: str
    description: str


def review_texts(plan, offices: Iterable = ()) -> list[TextNeeded]:
    """The plan texts the mid-term review prints: the plan's title (the Strategy's
    name comes from it), every focus area title, proposed
    action and deliverable (with its target unit), the titles of the P&B outputs
    the actions cite, and the names of the offices whose examples it cites."""
    from deliverables.models import Deliverable, FocusArea, PBOutput, ProposedAction

    needed = [TextNeeded(plan, "title", _("Plan %(symbol)s: title") % {"symbol": plan.symbol})]
    needed += [
        TextNeeded(area, "title", _("Focus area %(number)s: title") % {"number": area.number})
        for area in FocusArea.objects.filter(plan=plan)
    ]
    needed += [
        TextNeeded(action, "text", _("Proposed action %(code)s: text") % {"code": action.code})
        for action in ProposedAction.objects.filter(plan=plan)
    ]
    for deliverable in Deliverable.objects.filter(plan=plan):
        needed.append(
            TextNeeded(deliverable, "text", _("Deliverable %(code)s: text") % {"code": deliverable.code})
        )
        if deliverable.target_unit:
            needed.append(
                TextNeeded(
                    deliverable,
                    "target_unit",
                    _("Deliverable %(code)s: target unit") % {"code": deliverable.code},
                )
            )
    needed += [
        TextNeeded(output, "title", _("%(output)s: title") % {"output": output})
        for output in PBOutput.objects.filter(actions__plan=plan).distinct()
    ]
    needed += [
        TextNeeded(office, "name", _("Office %(code)s: name") % {"code": office.code}) for office in offices
    ]
    return needed


def languages_available(plan, texts_needed: Iterable[TextNeeded] | None = None) -> dict[str, list[str]]:
    """For each language of the site, the plan texts missing in it (empty: the
    document can be produced in that language). English, the language the plan
    was adopted in, never misses any. `texts_needed` defaults to `review_texts(plan)`."""
    from django.conf import settings

    needed = list(review_texts(plan) if texts_needed is None else texts_needed)
    result = {}
    for code, _name in settings.LANGUAGES:
        if code == settings.LANGUAGE_CODE:
            result[code] = []
            continue
        suffix = code.replace("-", "_")
        result[code] = [
            item.description
            for item in needed
            if getattr(item.obj, item.field)
            and not (getattr(item.obj, f"{item.field}_{suffix}", "") or "").strip()
        ]
    return result
