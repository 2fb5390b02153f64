"""Which languages the review can be produced in, and what blocks the others."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from deliverables.models import Office, Plan
from examples.models import ProgressExample

from .drafting import SOURCE_LANGUAGE, draft_texts, section_title
from .house_style import TextNeeded, languages_available, review_texts

__all__ = ["SOURCE_LANGUAGE", "LanguageOption", "LanguageUnavailable", "language_check", "review_languages"]
# Names in running text ("cannot be produced in French"), lower case where the language writes them so.
LANGUAGE_NAMES = {
    "en": pgettext_lazy("language name in running text", "English"),
    "fr": pgettext_lazy("language name in running text", "French"),
    "es": pgettext_lazy("language name in running text", "Spanish"),
}


@dataclass(frozen=True)
class LanguageOption:
    """One language of the site, for one review: what would be missing to produce it in it."""

    code: str
    name: str  # in the language itself: "français"
    missing: tuple[str, ...]
    label: str = ""  # in the interface's language: "French", "francés"
    untranslated: int = 0  # of `missing`, the written sections with English text and none in the language

    @property
    def available(self) -> bool:
        return not self.missing


class LanguageUnavailable(Exception):
    """The review was asked for in a language some of its texts do not exist in."""

    def __init__(self, option: LanguageOption):
        self.option = option
        shown = "; ".join(option.missing[:5])
        more = len(option.missing) - 5
        message = _(
            "The review cannot be produced in %(language)s: %(count)s texts it prints do not exist "
            "in that language (%(texts)s%(more)s)."
        ) % {
            "language": option.label or option.name,
            "count": len(option.missing),
            "texts": shown,
            "more": (_(" and %(count)s more") % {"count": more}) if more > 0 else "",
        }
        super().__init__(message)


def cited_offices(plan: Plan, as_of: datetime.date) -> list[Office]:
    """The offices (with their regions) of the examples the review cites (one query)."""
    examples = ProgressExample.objects.citable_as_of(as_of).filter(deliverables__plan=plan)
    return list(
        Office.objects.filter(pk__in=examples.values("office_id")).select_related("region").order_by("code")
    )


def review_languages(plan: Plan, as_of: datetime.date) -> dict[str, LanguageOption]:
    """Every language of the site → what the review at `as_of` misses in it: plan
    texts without a translation (the plan's, the cited offices' and their regions')
    and every written section that has English text and none in that language. A
    translation made from an older English version still counts: the drafting
    pages flag it (see the README). Seven queries whatever the size of the plan."""
    offices = cited_offices(plan, as_of)
    regions = {office.region.pk: office.region for office in offices if office.region}
    needed = review_texts(plan, offices) + [
        TextNeeded(region, "name", _("Region %(name)s: name") % {"name": region.name})
        for region in regions.values()
    ]
    plan_missing = languages_available(plan, needed)
    written = draft_texts(plan, as_of)
    options = {}
    for code, _name in settings.LANGUAGES:
        missing = plan_missing.get(code, [])
        untranslated = written.missing(code) if code != SOURCE_LANGUAGE else []
        missing = missing + [
            _("Written section “%(title)s” (not yet translated)") % {"title": section_title(key)}
            for key in untranslated
        ]
        info = translation.get_language_info(code)
        options[code] = LanguageOption(
            code=code,
            name=info["name_local"],
            missing=tuple(missing),
            label=str(LANGUAGE_NAMES.get(code, info["name_translated"])),
            untranslated=len(untranslated),
        )
    return options


def language_check(plan: Plan, as_of: datetime.date, language: str) -> None:
    """Raise LanguageUnavailable unless every text of the review exists in `language`."""
    option = review_languages(plan, as_of).get(language)
    if option is None:
        raise ValueError(f"Not a language of the site: {language}")
    if not option.available:
        raise LanguageUnavailable(option)
