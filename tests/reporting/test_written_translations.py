"""Written sections in French and Spanish (issue 13, follow-up): translators write
each section beside the English; the review in a language prints that language's
sections or is refused, naming what is missing; a translation made from an older
English text is flagged."""

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import translation

from deliverables.models import Deliverable, Office, Status
from reporting.drafting import StaleSection, draft_sections, section_save, written_text
from reporting.models import DraftSection, IssuedReview, ReviewDraft
from reporting.selectors import LanguageUnavailable, language_check, review_languages
from reporting.services import review_issue
from reporting.written import section_keys
from tests.factories import PASSWORD, grow_plan, record

from .helpers import CUT_OFF, grow_examples, make_example
from .languages import complete_texts
from .pdf import pdf_text
from .test_command import run
from .test_review_languages import docx_text, form_for, plain
from .test_views import acknowledge_all

pytestmark = pytest.mark.django_db

INTRO_EN = "This review looks back on the first half of the Strategy."
INTRO_FR = "Le présent examen fait le point sur la première moitié de la Stratégie."
AREA_EN = "We achieved {achieved} deliverables."
AREA_FR = "Nous avons réalisé {achieved} produits."


@pytest.fixture(autouse=True)
def english_interface():
    with translation.override("en"):
        yield


@pytest.fixture
def data(plan, users):
    Deliverable.objects.filter(code="1.4.1").update(lead_unit=Office.objects.get(code="MULTILATERALS"))
    record(Deliverable.objects.get(code="1.4.1"), users["hq"], Status.ON_TRACK, progress=4, as_of=CUT_OFF)
    make_example(users["focal_a"])
    complete_texts(plan, CUT_OFF, "fr")
    return plan


def save(plan, user, text, *, key="introduction", language="en", seen=0, source=None):
    return section_save(
        draft=ReviewDraft.objects.for_cut_off(plan, CUT_OFF),
        key=key,
        text=text,
        user=user,
        seen_version=seen,
        language=language,
        source_version=source,
    )


def draft_url(language=None):
    if language is None:
        return reverse("reporting:draft", args=[CUT_OFF])
    return reverse("reporting:draft_translation", args=[CUT_OFF, language])


def section_url(key="introduction", language=None):
    if language is None:
        return reverse("reporting:draft_section", args=[CUT_OFF, key])
    return reverse("reporting:draft_section_translation", args=[CUT_OFF, language, key])


def write_both(plan, user):
    save(plan, user, INTRO_EN)
    save(plan, user, AREA_EN, key="area1_achievements")
    save(plan, user, INTRO_FR, language="fr", source=1)
    save(plan, user, AREA_FR, key="area1_achievements", language="fr", source=1)


# The model and the service


def test_a_section_has_one_row_per_language_and_the_database_refuses_a_second(data, users):
    write_both(data, users["hq"])
    draft = ReviewDraft.objects.get()
    assert set(draft.sections.values_list("key", "language")) == {
        ("introduction", "en"),
        ("introduction", "fr"),
        ("area1_achievements", "en"),
        ("area1_achievements", "fr"),
    }
    assert DraftSection.objects.get(key="introduction", language="fr").source_version == 1
    assert DraftSection.objects.get(key="introduction", language="en").source_version is None
    with pytest.raises(IntegrityError):
        DraftSection.objects.create(draft=draft, key="introduction", language="fr")


def test_a_concurrent_edit_of_a_french_section_is_refused_and_leaves_english_alone(data, users):
    save(data, users["hq"], INTRO_EN)
    save(data, users["hq"], "Première traduction.", language="fr", source=1)
    with pytest.raises(StaleSection):
        save(data, users["manager"], "Traduction concurrente.", language="fr", seen=0, source=1)
    french = DraftSection.objects.get(key="introduction", language="fr")
    assert french.text == "Première traduction." and french.version == 1
    assert list(french.revisions.values_list("text", flat=True)) == ["Première traduction."]
    # The versions count per language: the English section is at version 1 too, untouched.
    assert DraftSection.objects.get(key="introduction", language="en").text == INTRO_EN


def test_a_translation_of_an_older_english_text_is_flagged_but_still_counts(data, users):
    save(data, users["hq"], INTRO_EN)
    save(data, users["hq"], INTRO_FR, language="fr", source=1)
    _v, (french,) = draft_sections(data, CUT_OFF, ["introduction"], "fr")
    _v, (english,) = draft_sections(data, CUT_OFF, ["introduction"])
    assert not french.outdated and [(t.language, t.exists, t.current) for t in english.translations] == [
        ("fr", True, True),
        ("es", False, False),
    ]
    save(data, users["manager"], INTRO_EN + " Amended.", seen=1)
    _v, (french,) = draft_sections(data, CUT_OFF, ["introduction"], "fr")
    _v, (english,) = draft_sections(data, CUT_OFF, ["introduction"])
    assert french.outdated and (french.translated_from, french.source_version) == (1, 2)
    assert english.translations[0].exists and not english.translations[0].current
    language_check(data, CUT_OFF, "fr")  # decided: still available, the drafting pages warn


# The review


def test_the_french_review_prints_the_french_written_sections_and_no_english_one(data, users, client):
    write_both(data, users["hq"])
    with translation.override("fr"):
        written = written_text(data, CUT_OFF, language="fr")
    assert written.blocks("introduction")[0].plain_text == INTRO_FR
    assert written.blocks("area1_achievements")[0].plain_text == "Nous avons réalisé zéro produits."

    client.login(username="manager", password=PASSWORD)
    page = client.get(reverse("reporting:preview"), {"as_of": "2022-12-31", "language": "fr"})
    assert page.status_code == 200
    html = page.content.decode()
    document = plain(html[html.index('<article class="review-doc"') : html.index("</article>")])
    assert INTRO_FR in document and "Nous avons réalisé zéro produits." in document
    assert "first half of the Strategy" not in document and "We achieved" not in document

    pdf = client.get(reverse("reporting:download"), {"as_of": "2022-12-31", "language": "fr"})
    assert pdf["Content-Type"] == "application/pdf"
    text = plain(pdf_text(pdf.content))
    assert "première moitié de la Stratégie" in text and "first half" not in text

    english = client.get(reverse("reporting:preview"), {"as_of": "2022-12-31", "language": "en"})
    assert INTRO_EN in english.content.decode() and INTRO_FR not in english.content.decode()


def test_a_language_is_refused_naming_the_sections_not_yet_translated(data, users, client):
    save(data, users["hq"], INTRO_EN)
    save(data, users["hq"], "The Strategy as a whole did well.", key="strategy")
    save(data, users["hq"], INTRO_FR, language="fr", source=1)
    # No English text in this section: its translation is ignored.
    save(data, users["hq"], "Texte en trop.", key="way_forward", language="fr", source=0)
    assert review_languages(data, CUT_OFF)["fr"].missing == (
        "Written section “The Strategy as a whole” (not yet translated)",
    )
    with pytest.raises(LanguageUnavailable, match="The Strategy as a whole"):
        language_check(data, CUT_OFF, "fr")
    client.login(username="manager", password=PASSWORD)
    page = client.get(reverse("reporting:preview"), {"as_of": "2022-12-31", "language": "fr"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "Written section “The Strategy as a whole” (not yet translated)" in html
    assert f'<a href="{draft_url("fr")}">Translate the written sections into French</a>' in html
    assert f'<a href="{draft_url("es")}">Translate the written sections into Spanish</a>' in html

    save(data, users["hq"], "La Stratégie dans son ensemble.", key="strategy", language="fr", source=1)
    language_check(data, CUT_OFF, "fr")
    html = client.get(
        reverse("reporting:preview"), {"as_of": "2022-12-31", "language": "fr"}
    ).content.decode()
    assert draft_url("fr") not in html  # nothing left to translate into French: no link


def test_issuing_in_french_keeps_the_french_written_text(data, users):
    write_both(data, users["hq"])
    form = form_for(data, "fr")
    assert form.is_valid(), form.errors
    issued = review_issue(
        plan=data,
        as_of=CUT_OFF,
        cover=form.cover(),
        user=users["manager"],
        acknowledged=acknowledge_all(data)["acknowledge"],
        language="fr",
    )
    issued = IssuedReview.objects.get(pk=issued.pk)
    assert issued.written == {"introduction": INTRO_FR, "area1_achievements": AREA_FR}
    text = plain(pdf_text(bytes(issued.pdf)))
    assert "Nous avons réalisé zéro produits." in text and "We achieved" not in text
    word = plain(docx_text(bytes(issued.docx)))
    assert INTRO_FR in word and INTRO_EN not in word


# The pages


def test_the_english_page_says_where_each_translation_stands_and_switches_language(data, users, client):
    save(data, users["hq"], INTRO_EN)
    save(data, users["hq"], INTRO_FR, language="fr", source=1)
    save(data, users["hq"], AREA_EN, key="area1_achievements")
    save(data, users["hq"], "Traducción.", key="area1_achievements", language="es", source=1)
    save(data, users["hq"], AREA_EN + " More.", key="area1_achievements", seen=1)
    client.force_login(users["hq"])
    page = client.get(draft_url()).content.decode()
    intro = page[page.index('id="introduction"') : page.index('id="strategy"')]
    assert "French: translated from this version" in intro and "Spanish: not translated" in intro
    area = page[page.index('id="area1_achievements"') : page.index('id="area1_challenges"')]
    assert "Spanish: translated from an older version, to be updated" in area
    assert f'href="{draft_url("fr")}" lang="fr" hreflang="fr">Français</a>' in page
    assert f'href="{draft_url("es")}"' in page and "<script" not in page.split("<main", 1)[-1]


def test_the_french_page_shows_the_english_beside_and_flags_an_outdated_translation(data, users, client):
    save(data, users["hq"], INTRO_EN)
    save(data, users["hq"], INTRO_FR, language="fr", source=1)
    save(data, users["hq"], AREA_EN, key="area1_achievements")
    save(data, users["hq"], INTRO_EN + " Amended.", seen=1)
    client.force_login(users["manager"])
    page = client.get(draft_url("fr")).content.decode()
    intro = page[page.index('id="introduction"') : page.index('id="strategy"')]
    assert (
        "The English text changed since this translation (translated from English version 1, now version 2)"
        in intro
    )
    assert INTRO_EN + " Amended." in intro and INTRO_FR in intro
    assert f'href="{section_url(language="fr")}"' in intro
    area = page[page.index('id="area1_achievements"') : page.index('id="area1_challenges"')]
    assert "Not translated yet" in area
    assert "1 translation was made from an older English text." in page


def test_the_translation_page_edits_french_with_the_english_read_only_beside(data, users, client):
    save(data, users["hq"], INTRO_EN)
    client.force_login(users["hq"])
    page = client.get(section_url(language="fr")).content.decode()
    assert f'<pre class="draft-source" lang="en">{INTRO_EN}</pre>' in page
    assert page.count("<textarea") == 1 and f"{INTRO_EN}</textarea>" not in page
    assert f'action="{section_url(language="fr")}"' in page
    assert '<input type="hidden" name="source_version" value="1"' in page
    response = client.post(
        section_url(language="fr"), {"text": INTRO_FR, "version": "0", "source_version": "1"}
    )
    assert response.status_code == 302 and response["Location"] == draft_url("fr") + "#introduction"
    french = DraftSection.objects.get(key="introduction", language="fr")
    assert (french.text, french.version, french.source_version) == (INTRO_FR, 1, 1)
    assert DraftSection.objects.get(key="introduction", language="en").text == INTRO_EN


def test_a_stale_french_save_from_the_page_is_refused_keeping_what_was_typed(data, users, client):
    save(data, users["hq"], INTRO_EN)
    save(data, users["manager"], "Traduction du gestionnaire.", language="fr", source=1)
    client.force_login(users["hq"])
    response = client.post(
        section_url(language="fr"), {"text": "Ce que hq a tapé.", "version": "0", "source_version": "1"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Not saved: someone else saved this section" in page and "Traduction du gestionnaire." in page
    assert "\nCe que hq a tapé.</textarea>" in page
    assert DraftSection.objects.get(key="introduction", language="fr").text == "Traduction du gestionnaire."


def test_english_is_not_a_translation_language_in_the_urls(data, users, client):
    client.force_login(users["hq"])
    assert client.get(f"/reports/midterm/draft/{CUT_OFF:%Y-%m-%d}/en/introduction/").status_code == 404
    assert client.get(f"/reports/midterm/draft/{CUT_OFF:%Y-%m-%d}/de/").status_code == 404
    assert client.get(section_url("area9_lessons", "fr")).status_code == 404


# 6 for any page + plan + 7 for the review + the draft and its sections (every language in one query).
DRAFT_QUERIES = 6 + 1 + 7 + 2


@pytest.mark.parametrize("language", ["fr", None])
def test_the_drafting_page_in_any_language_runs_a_fixed_number_of_queries(
    data, users, client, django_assert_num_queries, language
):
    client.force_login(users["hq"])
    save(data, users["hq"], INTRO_EN)
    save(data, users["hq"], INTRO_FR, language="fr", source=1)
    with django_assert_num_queries(DRAFT_QUERIES):
        small = client.get(draft_url(language))
    grow_plan(data, users["hq"], factor=10)
    grow_examples(data, users["focal_a"], count=50)
    for n, key in enumerate(section_keys([1, 2, 3, 4])):
        if key != "introduction":
            save(data, users["hq"], f"Section {n}.", key=key)
            save(data, users["manager"], f"Section {n} en français.", key=key, language="fr", source=1)
            save(data, users["manager"], f"Sección {n}.", key=key, language="es", source=1)
    with django_assert_num_queries(DRAFT_QUERIES):
        big = client.get(draft_url(language))
    assert small.status_code == big.status_code == 200
    assert all(f"Section {n} en français." in big.content.decode() for n in range(1, 21)) == (
        language == "fr"
    )


SECTION_QUERIES = DRAFT_QUERIES + 1  # ... + the history


def test_the_translation_edit_page_runs_a_fixed_number_of_queries(
    data, users, client, django_assert_num_queries
):
    client.force_login(users["hq"])
    save(data, users["hq"], INTRO_EN)
    save(data, users["hq"], INTRO_FR, language="fr", source=1)
    with django_assert_num_queries(SECTION_QUERIES):
        client.get(section_url(language="fr"))
    grow_plan(data, users["hq"], factor=10)
    for version in range(1, 15):
        save(
            data, users["manager"], f"Version française {version + 1}.", language="fr", seen=version, source=1
        )
    with django_assert_num_queries(SECTION_QUERIES):
        page = client.get(section_url(language="fr")).content.decode()
    assert page.count("saved by manager") == 14 and INTRO_EN in page


def test_the_command_refuses_an_untranslated_section_and_prints_the_translation(
    data, users, tmp_path, capsys
):
    output = tmp_path / "review.docx"
    save(data, users["hq"], INTRO_EN)
    arguments = ("--as-of", "2022-12-31", "--language", "fr", "--format", "docx", "--output", str(output))
    code, _out, err = run(*arguments, capsys=capsys)
    assert code != 0 and "Introduction and context" in err and not output.exists()
    save(data, users["hq"], INTRO_FR, language="fr", source=1)
    code, _out, err = run(*arguments, capsys=capsys)
    assert code == 0, err
    word = plain(docx_text(output.read_bytes()))
    assert INTRO_FR in word and INTRO_EN not in word
