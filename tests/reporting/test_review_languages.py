"""The review in French and Spanish (issue 13, part 3): every generated text in the
document's language, whatever the interface's; a language some text of the review
does not exist in is refused everywhere, with the missing texts named."""

import datetime
import io

import docx
import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from deliverables.models import Deliverable, Office, Status
from renders.models import ReviewRender
from renders.tasks import render_review
from reporting.document import default_cover
from reporting.drafting import section_save
from reporting.forms import CoverForm
from reporting.models import IssuedReview, ReviewDraft
from reporting.rendering import review_pdf_html
from reporting.selectors import LanguageUnavailable, language_check, review_languages
from reporting.services import review_document, review_issue
from tests.factories import PASSWORD, record

from .helpers import CUT_OFF, make_example
from .languages import complete_texts
from .pdf import pdf_text
from .test_command import run
from .test_views import acknowledge_all

pytestmark = pytest.mark.django_db

# Generated English that must not survive in a French or Spanish document: headings,
# labels, table heads, sentences, the month and "per cent". (User content, such as the
# example's English title, is printed as written and avoids these words.)
ENGLISH = (
    "Governing Body",
    "Purpose of the document",
    "Original: English",
    "Focus area",
    "Proposed action",
    "Deliverables",
    "had been achieved",
    "The review",
    "Source: ILO",
    "per cent",
    "Key figures",
    "Appendix",
    "Draft decision",
    "December",
    "Not started",
    "Timeline",
    "Lead unit",
    "Latest narrative",
    "Concrete examples",
    "Session",
    "Geneva",
    "DRAFT",
    "Development Cooperation Strategy",
)
HOUSE_STYLE = {
    "fr": {"date": "31 décembre 2022", "per_cent": "pour cent", "original": "anglais", "draft": "PROJET"},
    "es": {
        "date": "31 de diciembre de 2022",
        "per_cent": "por ciento",
        "original": "inglés",
        "draft": "PROYECTO",
    },
}


def plain(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def docx_text(content: bytes) -> str:
    word = docx.Document(io.BytesIO(content))
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in word.paragraphs] + cells)


def english_in(text: str) -> list[str]:
    text = plain(text)
    return [phrase for phrase in ENGLISH if phrase in text]


@pytest.fixture(autouse=True)
def english_interface():
    """Messages for the user in English (a request of another test may have left French active)."""
    with translation.override("en"):
        yield


@pytest.fixture
def data(plan, users):
    Deliverable.objects.filter(code="1.4.1").update(lead_unit=Office.objects.get(code="MULTILATERALS"))
    record(Deliverable.objects.get(code="1.4.1"), users["hq"], Status.ON_TRACK, progress=4, as_of=CUT_OFF)
    make_example(users["focal_a"])
    return plan


def form_for(plan, language: str, **values) -> CoverForm:
    return CoverForm.with_defaults({"as_of": CUT_OFF.isoformat(), "language": language, **values}, plan=plan)


@pytest.mark.parametrize("language", ["fr", "es"])
def test_a_review_in_french_or_spanish_has_no_english_generated_text_in_any_format(
    data, users, client, language
):
    complete_texts(data, CUT_OFF, language)
    style = HOUSE_STYLE[language]
    form = form_for(data, language)
    assert form.is_valid(), form.errors
    cover = form.cover()
    assert cover.original_language == style["original"]

    client.login(username="manager", password=PASSWORD)
    # The interface stays in English: the document's language is chosen apart.
    page = client.get(reverse("reporting:preview"), {"as_of": "2022-12-31", "language": language})
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="en' in html and f'<article class="review-doc" lang="{language}"' in html
    document_html = html[html.index('<article class="review-doc"') : html.index("</article>")]
    assert english_in(document_html) == []
    assert style["date"] in plain(document_html) and style["per_cent"] in plain(document_html)
    assert f"plan {data.pk} title" in document_html  # the plan's title, in the language

    pdf = client.get(reverse("reporting:download"), {"as_of": "2022-12-31", "language": language})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].endswith(f'_{language}.pdf"')
    assert PdfReader(io.BytesIO(pdf.content)).trailer["/Root"]["/Lang"] == language  # the PDF's language
    text = pdf_text(pdf.content)
    assert english_in(text) == [] and style["date"] in plain(text) and style["draft"] in text
    assert "MULTILATERALS" in "".join(text.replace("\u2010", "").replace("-", "").split())

    word = client.get(
        reverse("reporting:download"), {"as_of": "2022-12-31", "language": language, "format": "docx"}
    )
    text = docx_text(word.content)
    assert english_in(text) == [] and style["date"] in plain(text)
    assert docx.Document(io.BytesIO(word.content)).core_properties.language == language


def test_french_text_has_no_break_spaces_and_the_cover_says_original_anglais(data):
    complete_texts(data, CUT_OFF, "fr")
    form = form_for(data, "fr")
    assert form.is_valid()
    document = review_document(plan=data, as_of=CUT_OFF, cover=form.cover(), language="fr")
    html = review_pdf_html(document)
    assert html.startswith('<!DOCTYPE html>\n<html lang="fr">')
    assert "Date\u00a0:" not in html  # the colon after "Date" comes from the stylesheet…
    assert ':lang(fr) .cover-dates dt::after { content: "\\00a0:"; }' in (
        open("static/reporting/review-print.css").read()
    )
    assert "Unité auteur\u00a0:" in html  # …those of the text are typeset
    assert "<dd>anglais</dd>" in html
    # Every generated paragraph differs from the English one of the same number.
    english = review_document(plan=data, as_of=CUT_OFF, cover=default_cover(data))
    for french_para, english_para in zip(document.overview, english.overview, strict=True):
        assert french_para.text != english_para.text
    assert "décembre" in document.overview[0].text and "December" in english.overview[0].text


def test_a_language_missing_a_text_is_refused_in_the_preview_and_the_downloads(data, client):
    complete_texts(data, CUT_OFF, "fr")
    Deliverable.objects.filter(code="2.1.1").update(text_fr="")
    client.login(username="manager", password=PASSWORD)

    page = client.get(reverse("reporting:preview"), {"as_of": "2022-12-31", "language": "fr"})
    html = page.content.decode()
    assert page.status_code == 400 and 'class="review-doc"' not in html
    assert "The review cannot be produced in French" in html and "Deliverable 2.1.1: text" in html
    # Spanish lacks everything: the page lists its missing texts, and English is offered.
    assert "Not available: " in html and "Proposed action 1.1: text" in html

    for extra in ({}, {"format": "docx"}):
        refused = client.get(
            reverse("reporting:download"), {"as_of": "2022-12-31", "language": "fr", **extra}
        )
        assert refused.status_code == 400 and refused["Content-Type"].startswith("text/html")
        assert "Deliverable 2.1.1: text" in refused.content.decode()


def test_the_preview_is_in_the_interface_language_or_says_why_it_is_in_english(data, client):
    client.login(username="manager", password=PASSWORD)
    client.cookies["django_language"] = "fr"
    html = client.get(reverse("reporting:preview")).content.decode()
    assert '<article class="review-doc" lang="en"' in html
    assert "L’examen est présenté en anglais" in html

    complete_texts(data, CUT_OFF, "fr")
    html = client.get(reverse("reporting:preview")).content.decode()
    assert '<article class="review-doc" lang="fr"' in html and "présenté en anglais" not in html
    # Preview and the downloads (the GET form) keep the language, as do the issue and render forms.
    get_form = html[html.index('<form method="get"') :]
    assert 'name="language" value="fr"' in get_form[: get_form.index("</form>")]
    assert html.count('<input type="hidden" name="language" value="fr"') == 3


def test_written_sections_in_english_block_french_until_translated_or_removed(data, users):
    complete_texts(data, CUT_OFF, "fr")
    language_check(data, CUT_OFF, "fr")
    section_save(
        draft=ReviewDraft.objects.for_cut_off(data, CUT_OFF),
        key="introduction",
        text="This review was written in English.",
        user=users["hq"],
        seen_version=0,
    )
    options = review_languages(data, CUT_OFF)
    assert options["en"].available
    assert options["fr"].missing == ("Written section “Introduction and context” (not yet translated)",)
    with pytest.raises(LanguageUnavailable, match="Introduction and context"):
        language_check(data, CUT_OFF, "fr")
    assert not form_for(data, "fr").is_valid()
    section_save(
        draft=ReviewDraft.objects.for_cut_off(data, CUT_OFF),
        key="introduction",
        text="",
        user=users["hq"],
        seen_version=1,
    )
    language_check(data, CUT_OFF, "fr")  # emptied: nothing English left to print


def test_the_command_refuses_a_missing_language_and_writes_a_complete_one(data, tmp_path, capsys):
    output = tmp_path / "review.pdf"
    code, _out, err = run("--as-of", "2022-12-31", "--language", "es", "--output", str(output), capsys=capsys)
    assert code != 0 and "cannot be produced in Spanish" in err and not output.exists()

    complete_texts(data, CUT_OFF, "es")
    code, _out, err = run("--as-of", "2022-12-31", "--language", "es", "--output", str(output), capsys=capsys)
    assert code == 0, err
    assert "31 de diciembre de 2022" in plain(pdf_text(output.read_bytes()))


def test_issuing_records_the_language_and_refuses_a_missing_one(data, users, client):
    english = form_for(data, "en")
    assert english.is_valid()
    with pytest.raises(LanguageUnavailable):
        review_issue(plan=data, as_of=CUT_OFF, cover=english.cover(), user=users["manager"], language="fr")
    assert not IssuedReview.objects.exists()

    client.login(username="manager", password=PASSWORD)
    page = client.get(reverse("reporting:preview"), {"as_of": "2022-12-31", "language": "fr"})
    assert page.status_code == 400  # no issue form is offered for a refused language
    assert 'action="/reports/midterm/issue/"' not in page.content.decode()

    complete_texts(data, CUT_OFF, "fr")
    form = form_for(data, "fr")
    assert form.is_valid()
    issued = review_issue(
        plan=data,
        as_of=CUT_OFF,
        cover=form.cover(),
        user=users["manager"],
        acknowledged=acknowledge_all(data)["acknowledge"],
        language="fr",
    )
    issued.refresh_from_db()
    assert issued.language == "fr" and issued.filename.endswith("_fr.pdf")
    assert "31 décembre 2022" in plain(pdf_text(bytes(issued.pdf)))
    listing = client.get(reverse("reporting:issued")).content.decode()
    assert 'data-language="fr">Français<' in listing
    download = client.get(reverse("reporting:issued_download", args=[issued.pk]))
    assert download.content == bytes(issued.pdf)


def test_a_background_render_is_refused_when_a_text_went_missing_after_the_request(data, users):
    english = form_for(data, "en")
    assert english.is_valid()
    job = ReviewRender.objects.create(
        key="x" * 64,
        plan=data,
        as_of=CUT_OFF,
        language="es",
        cover=english.cover().as_json(),
        requested_by=users["manager"],
    )
    render_review.call(job.pk)
    job.refresh_from_db()
    assert job.state == ReviewRender.State.FAILED and "cannot be produced in Spanish" in job.error
    assert job.pdf is None


def test_the_render_request_for_a_missing_language_starts_nothing(data, client):
    client.login(username="manager", password=PASSWORD)
    response = client.post(reverse("renders:start"), {"as_of": "2022-12-31", "language": "es"})
    assert response.status_code == 302 and response["Location"] == reverse("reporting:preview")
    assert not ReviewRender.objects.exists()


def test_the_cover_defaults_are_written_in_the_document_language(data):
    assert not form_for(data, "es").is_valid()  # Spanish texts missing: refused
    complete_texts(data, CUT_OFF, "es")
    with translation.override("en"):  # whatever the interface's language
        form = form_for(data, "es")
        assert form.is_valid()
    cover = form.cover()
    assert cover.session == "347.ª reunión" and cover.place == "Ginebra"
    assert cover.session_dates == "13–23 de marzo de 2023" and cover.session_opens == datetime.date(
        2023, 3, 13
    )
    assert "Texto en español para plan" in cover.title and cover.original_language == "inglés"


def test_french_spacing_leaves_character_references_whole():
    from reporting.rendering import typeset

    html = typeset("<p>the Employers&#x27; and Workers&#x27; groups&nbsp;: « oui » ; non</p>", "fr")

    assert "Employers&#x27; and Workers&#x27; groups" in html
    assert "&nbsp;:" in html
    assert "«\u00a0oui\u00a0»\u202f;" in html
