"""`{% plan_text obj "field" %}`: a plan text in the page's language, or the
English original marked as English where no translation exists yet.

    {% load plan_texts %}
    {% plan_text deliverable "text" %}                   → the text, marked if English
    {% plan_text d "text" words=30 %}                    → shortened to 30 words
    {% plan_text area "title" as title %}{{ title.text }} {{ title.lang }}   → for attributes, tests

In a French page an untranslated text comes out as
`<span lang="en">…</span> <span class="lang-mark" lang="en" title="…">EN</span>`,
so screen readers switch pronunciation and sighted readers see why it is English.
"""

from dataclasses import dataclass

from django import template
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


@dataclass(frozen=True)
class PlanText:
    text: str
    lang: str
    page_lang: str

    @property
    def is_marked(self) -> bool:
        return self.lang != self.page_lang

    def __str__(self) -> str:
        return self.text

    def __html__(self) -> str:
        if not self.is_marked:
            return format_html("{}", self.text)
        return format_html(
            '<span lang="{}">{}</span> <span class="lang-mark" lang="{}" title="{}">{}</span>',
            self.lang,
            self.text,
            self.lang,
            _("Not translated yet: the original text"),
            self.lang.upper(),
        )


def plan_text_of(obj, field: str, words: int | None = None) -> PlanText:
    page_lang = (get_language() or "en").split("-")[0]
    if hasattr(obj, "text_in"):
        text, lang = obj.text_in(field, page_lang)
    else:  # not a plan model (a row assembled elsewhere): its text is the original
        from django.conf import settings

        text, lang = getattr(obj, field), settings.LANGUAGE_CODE
    text = text or ""
    if not text:
        lang = page_lang  # nothing to mark
    if words:
        text = Truncator(text).words(words)
    return PlanText(text, lang, page_lang)


@register.simple_tag
def plan_text(obj, field: str, words: int | None = None) -> PlanText:
    return plan_text_of(obj, field, words)
