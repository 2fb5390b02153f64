"""House style of Governing Body documents, for every sentence the review generates.

- the numbers one to nine in words, 10 and above in figures;
- dates with the full month name ("31 December 2022");
- "per cent", never "%".

Every word here goes through gettext: the review is translated as a whole.
"""

import datetime

from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_WORDS = (
    gettext_lazy("none"),
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


def number(value: int) -> str:
    """One to nine in words (0: "none"), anything else in figures: 3 → "three", 12 → "12"."""
    if 0 <= value <= 9:
        return str(_WORDS[value])
    return str(value)


def number_start(value: int) -> str:
    """`number()` at the start of a sentence: "Three", "12"."""
    return capfirst(number(value))


def long_date(value: datetime.date) -> str:
    """31 December 2022."""
    return date_format(value, "j F Y")


def month_year(value: datetime.date) -> str:
    """December 2022."""
    return date_format(value, "F Y")


def per_cent(value: int) -> str:
    return _("%(value)s per cent") % {"value": value}
