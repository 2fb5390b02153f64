"""House style of Governing Body documents, for every sentence the review generates,
in the active language (the review is composed under `translation.override` of its
own language; see reporting.services):

- the numbers one to nine in words, 10 and above in figures;
- dates with the full month name ("31 December 2022", "31 décembre 2022",
  "31 de diciembre de 2022");
- "per cent", "pour cent", "por ciento", never "%".

The rules themselves live in reporting.house_style; this module applies them
to the language that is active.
"""

import datetime

from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import house_style


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE


def number(value: int, *, feminine: bool = False) -> str:
    """One to nine in words (0: "none"), anything else in figures: 3 → "three", 12 → "12".
    `feminine` for "one" before a feminine noun: une cible, una meta."""
    if value == 0:
        return _("none")
    return house_style.number_words(value, _language(), feminine=feminine)


def number_start(value: int) -> str:
    """`number()` at the start of a sentence: "Three", "12"."""
    return capfirst(number(value))


def long_date(value: datetime.date) -> str:
    """31 December 2022 / 31 décembre 2022 / 31 de diciembre de 2022."""
    return house_style.long_date(value, _language())


def month_year(value: datetime.date) -> str:
    """December 2022 / décembre 2022 / diciembre de 2022."""
    full = house_style.long_date(value.replace(day=2), _language())
    return full.split(" ", 1)[1].removeprefix("de ")


def per_cent(value: int) -> str:
    return house_style.percentage(value, _language())


def typography(text: str) -> str:
    """The active language's spacing around punctuation (French: no-break spaces)."""
    return house_style.typography(text, _language())
