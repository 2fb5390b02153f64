import datetime

from django.conf import settings
from django.urls import path, register_converter
from django.views.generic import RedirectView

from . import views


class IsoDateConverter:
    """2022-12-31 in the URL, a date in the view; an impossible date is a 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> datetime.date:
        return datetime.date.fromisoformat(value)  # ValueError: no match

    def to_url(self, value) -> str:
        return value.isoformat() if isinstance(value, datetime.date) else str(value)


class TranslationConverter:
    """A language the written sections are translated into (fr, es): not English, the source."""

    regex = "|".join(code for code, _name in settings.LANGUAGES if code != "en")

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(IsoDateConverter, "isodate")
register_converter(TranslationConverter, "translation")

app_name = "reporting"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="reporting:preview"), name="index"),
    path("midterm/", views.review_preview, name="preview"),
    path("midterm/pdf/", views.review_download, name="download"),
    path("midterm/issue/", views.review_issue_view, name="issue"),
    path("midterm/issued/", views.issued_list, name="issued"),
    path("midterm/issued/<int:pk>/pdf/", views.issued_download, name="issued_download"),
    path("midterm/draft/<isodate:as_of>/", views.draft_page, name="draft"),
    # Translations of the written sections: /midterm/draft/2022-12-31/fr/ and …/fr/introduction/.
    path("midterm/draft/<isodate:as_of>/<translation:language>/", views.draft_page, name="draft_translation"),
    path(
        "midterm/draft/<isodate:as_of>/<translation:language>/<slug:key>/",
        views.draft_section,
        name="draft_section_translation",
    ),
    # After the translations: "fr" is a language, never a section key.
    path("midterm/draft/<isodate:as_of>/<slug:key>/", views.draft_section, name="draft_section"),
]
