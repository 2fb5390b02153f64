"""The one validation of a review request: the cut-off date and the cover
values. Used by the preview, the download, the issue action and the command."""

import dataclasses
import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dcplan.forms import humane_errors
from deliverables.models import Plan

from .document import Cover, default_cover
from .markup import figure_names
from .selectors import SOURCE_LANGUAGE, LanguageOption, LanguageUnavailable, review_languages

# Preview and download are GET requests (they change nothing), so every value
# travels in the URL: the limits keep a full request under the 4 KB request
# line that servers such as gunicorn accept by default, in all but the most
# contrived cases.
SHORT = 150
LONG = 1200


def default_as_of(plan: Plan, today: datetime.date | None = None) -> datetime.date:
    """31 December before the mid-term year (the 2023 review reported on 2022), or today if earlier."""
    today = today or timezone.localdate()
    return min(datetime.date(plan.midterm_year - 1, 12, 31), today)


def _text(label: str, *, required: bool = True, max_length: int = SHORT, rows: int = 0, help_text: str = ""):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=widget, help_text=help_text, strip=True
    )


def _date_or(value, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return default


class CoverForm(forms.Form):
    # Changing it changes the cover's defaults: the page offers it as links
    # (carrying only the cut-off), the forms carry it unchanged.
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the document"), choices=settings.LANGUAGES, widget=forms.HiddenInput
    )
    as_of = forms.DateField(
        label=gettext_lazy("Cut-off date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy(
            "The review shows each deliverable as last reported on or before this day. "
            "Not in the future, not before the plan starts."
        ),
    )
    # The cover, in the order it is printed.
    session = _text(gettext_lazy("Session"))
    place = _text(gettext_lazy("Place"))
    session_dates = _text(gettext_lazy("Session dates"))
    symbol = _text(gettext_lazy("Document symbol"), max_length=40)
    section = _text(gettext_lazy("Section"))
    section_code = _text(gettext_lazy("Section code"), required=False, max_length=20)
    segment = _text(gettext_lazy("Segment"))
    document_date = forms.DateField(
        label=gettext_lazy("Document date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy(
            "Leave empty for the Friday six weeks before the session opens (never the cut-off date)."
        ),
    )
    original_language = _text(gettext_lazy("Original language"))
    agenda_item = _text(gettext_lazy("Agenda item"))
    title = _text(gettext_lazy("Title"), max_length=250)
    purpose = _text(
        gettext_lazy("Purpose of the document"),
        max_length=LONG,
        rows=5,
        help_text=gettext_lazy("“(see the draft decision in paragraph …)” is added with the right number."),
    )
    strategic_objective = _text(gettext_lazy("Relevant strategic objective"), required=False)
    main_outcome = _text(gettext_lazy("Main relevant outcome"), required=False, max_length=400, rows=2)
    policy_implications = _text(gettext_lazy("Policy implications"), required=False)
    legal_implications = _text(gettext_lazy("Legal implications"), required=False)
    financial_implications = _text(gettext_lazy("Financial implications"), required=False)
    follow_up = _text(gettext_lazy("Follow-up action required"), required=False)
    author_unit = _text(gettext_lazy("Author unit"))
    related_documents = _text(
        gettext_lazy("Related documents"),
        required=False,
        help_text=gettext_lazy("Separate symbols with “;”."),
    )
    decision = _text(gettext_lazy("Draft decision"), max_length=LONG, rows=4)

    def __init__(
        self,
        data=None,
        *,
        plan: Plan,
        language: str = SOURCE_LANGUAGE,
        languages: dict[str, LanguageOption] | None = None,
        **kwargs,
    ):
        """`language`: of the defaults; `languages`: what each language misses (None:
        reporting.selectors.review_languages at the default cut-off)."""
        self.plan = plan
        self.language = language
        self.languages = languages
        self.fallback_from = ""  # the language asked for implicitly, when it was not available
        super().__init__(data, **kwargs)
        humane_errors(self)
        if not self.is_bound:
            self.initial = self.defaults()

    def defaults(self) -> dict:
        with translation.override(self.language):
            values = default_cover(self.plan).as_json()
        values["document_date"] = None
        values["as_of"] = default_as_of(self.plan)
        values["language"] = self.language
        return values

    @classmethod
    def with_defaults(cls, data, *, plan: Plan, preferred: str = SOURCE_LANGUAGE) -> "CoverForm":
        """A bound form where every value not given keeps its default: `?as_of=2022-06-30`
        is a complete request. A value given empty stays empty (and may be refused).

        The document's language is the one asked for (`language`), else `preferred`
        (the interface's) when the review exists in it, else English; the cover's
        defaults are written in that language."""
        as_of = _date_or(data.get("as_of"), default_as_of(plan))
        languages = review_languages(plan, as_of)
        preferred = (preferred or SOURCE_LANGUAGE).split("-")[0]
        fallback_from = ""
        language = data.get("language")
        if language not in languages:
            language = preferred if preferred in languages else SOURCE_LANGUAGE
            if not languages[language].available:
                fallback_from, language = language, SOURCE_LANGUAGE
        merged = {}
        unbound = cls(plan=plan, language=language, languages=languages)
        for name in unbound.fields:
            if name in data:
                merged[name] = data.get(name)
            else:
                value = unbound.initial.get(name)
                merged[name] = value.isoformat() if isinstance(value, datetime.date) else (value or "")
        form = cls(merged, plan=plan, language=language, languages=languages)
        form.fallback_from = fallback_from
        return form

    def clean(self) -> dict:
        data = super().clean()
        language, as_of = data.get("language"), data.get("as_of")
        if language and as_of:
            languages = self.languages or review_languages(self.plan, as_of)
            if not languages[language].available:
                # Never a document in two languages: refused, with what is missing.
                raise ValidationError(str(LanguageUnavailable(languages[language])), code="language")
        return data

    @property
    def language_options(self) -> list[LanguageOption]:
        return list((self.languages or {}).values())

    @property
    def fallback_name(self) -> str:
        if not (self.fallback_from and self.languages):
            return ""
        option = self.languages[self.fallback_from]
        return option.label or option.name

    def clean_as_of(self) -> datetime.date:
        as_of = self.cleaned_data["as_of"]
        today = timezone.localdate()
        if as_of > today:
            raise ValidationError(
                _("%(date)s is in the future: a review can only report what is known today (%(today)s).")
                % {"date": as_of.isoformat(), "today": today.isoformat()},
                code="future",
            )
        if as_of < self.plan.starts_on:
            raise ValidationError(
                _("%(date)s is before the plan starts (%(start)s).")
                % {"date": as_of.isoformat(), "start": date_format(self.plan.starts_on, "j F Y")},
                code="before_plan",
            )
        return as_of

    def cover(self) -> Cover:
        data = self.cleaned_data
        return Cover(**{field.name: data[field.name] for field in dataclasses.fields(Cover)})

    def as_hidden_values(self) -> list[tuple[str, str]]:
        """The valid values as strings, to carry them unchanged into the issue form."""
        values = []
        for name in self.fields:
            value = self.cleaned_data.get(name)
            values.append((name, value.isoformat() if isinstance(value, datetime.date) else (value or "")))
        return values

    def first_error(self) -> str:
        """One line for the command: '<label>: <message>'."""
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            message = " ".join(str(error) for error in errors)
            return f"{label}: {message}" if label else message
        return ""


class SectionForm(forms.Form):
    """One written section, in the drafting markup (reporting.markup)."""

    MAX_LENGTH = 20_000

    text = forms.CharField(
        label=gettext_lazy("Text"),
        required=False,
        max_length=MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 18, "class": "draft-text"}),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    # A translation's page: the version of the English text shown beside it.
    source_version = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, figures: dict[str, str], **kwargs):
        """`figures`: the names that may be cited, with what each counts."""
        self.figures = figures
        super().__init__(data, **kwargs)

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].replace("\r\n", "\n")
        unknown = [name for name in figure_names(text) if name not in self.figures]
        if unknown:
            raise ValidationError(
                _("Unknown figure: %(unknown)s. The figures you may cite are: %(known)s.")
                % {
                    "unknown": ", ".join(f"{{{name}}}" for name in unknown),
                    "known": ", ".join(f"{{{name}}}" for name in self.figures),
                },
                code="unknown_figure",
            )
        return text
