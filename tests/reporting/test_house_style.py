"""The house style of the review in English, French and Spanish, and the language refusal path."""

import datetime

import pytest

from reporting import house_style as hs
from reporting.house_style import NBSP, NNBSP

DEC_31 = datetime.date(2022, 12, 31)


@pytest.mark.parametrize(
    ("date", "lang", "expected"),
    [
        (DEC_31, "en", "31 December 2022"),
        (DEC_31, "fr", "31 décembre 2022"),
        (DEC_31, "es", "31 de diciembre de 2022"),
        (datetime.date(2023, 1, 1), "fr", "1er janvier 2023"),
        (datetime.date(2023, 1, 1), "en", "1 January 2023"),
        (datetime.date(2023, 8, 5), "es", "5 de agosto de 2023"),
        (datetime.date(2023, 2, 9), "fr-ch", "9 février 2023"),
    ],
)
def test_long_date_writes_the_month_out_in_each_language(date, lang, expected):
    assert hs.long_date(date, lang) == expected


def test_long_date_does_not_depend_on_the_active_language():
    from django.utils import translation

    with translation.override("es"):
        assert hs.long_date(DEC_31, "en") == "31 December 2022"


@pytest.mark.parametrize(
    ("n", "lang", "expected"),
    [
        (1, "en", "one"),
        (3, "en", "three"),
        (9, "en", "nine"),
        (10, "en", "10"),
        (0, "en", "0"),
        (1, "fr", "un"),
        (4, "fr", "quatre"),
        (9, "fr", "neuf"),
        (32, "fr", "32"),
        (1, "es", "un"),
        (7, "es", "siete"),
        (15, "es", "15"),
        (12500, "en", "12,500"),
        (12500, "fr", f"12{NNBSP}500"),
        (2500, "es", "2500"),
        (12500, "es", f"12{NNBSP}500"),
    ],
)
def test_number_words_spells_out_one_to_nine_only(n, lang, expected):
    assert hs.number_words(n, lang) == expected


def test_number_words_agrees_with_a_feminine_noun():
    assert hs.number_words(1, "fr", feminine=True) == "une"
    assert hs.number_words(1, "es", feminine=True) == "una"
    assert hs.number_words(1, "en", feminine=True) == "one"


def test_per_cent_in_each_language():
    assert [hs.per_cent(lang) for lang in ("en", "fr", "es")] == ["per cent", "pour cent", "por ciento"]
    assert hs.percentage(45, "en") == "45 per cent"
    assert hs.percentage(45, "fr") == f"45{NBSP}pour cent"
    assert hs.percentage(45, "es") == "45 por ciento"


def test_french_typography_puts_no_break_spaces_where_french_needs_them():
    text = "Original : anglais; voir « l'annexe II »! Pourquoi?"
    assert hs.typography(text, "fr") == (
        f"Original{NBSP}: anglais{NNBSP}; voir «{NBSP}l'annexe II{NBSP}»{NNBSP}! Pourquoi{NNBSP}?"
    )


def test_french_typography_adds_a_missing_space_before_a_colon_but_leaves_addresses_and_times():
    assert hs.typography("Date: 10:30, voir https://www.ilo.org/?a=1", "fr") == (
        f"Date{NBSP}: 10:30, voir https://www.ilo.org/?a=1"
    )


def test_french_typography_is_idempotent():
    once = hs.typography("« Texte » : oui ; non ?", "fr")
    assert hs.typography(once, "fr") == once


@pytest.mark.parametrize("lang", ["en", "es"])
def test_typography_leaves_english_and_spanish_alone(lang):
    text = "Note: «texto»; ¿por qué?"
    assert hs.typography(text, lang) == text


# --- which languages a review can be produced in -------------------------------------------


@pytest.mark.django_db
def test_english_is_always_available_and_other_languages_list_every_missing_text(plan):
    available = hs.languages_available(plan)
    assert available["en"] == []
    # The fixture holds the plan as adopted, in English only.
    assert "Focus area 1: title" in available["fr"]
    assert "Plan GB.341/POL/4: title" in available["fr"]
    assert "Deliverable 1.4.1: text" in available["fr"]
    assert "Deliverable 1.4.1: target unit" in available["es"]
    assert "Deliverable 1.1.1: target unit" not in available["es"]  # no target, no unit needed
    assert len(available["fr"]) == len(available["es"]) == len(hs.review_texts(plan))


@pytest.mark.django_db
def test_a_language_is_available_once_every_needed_text_exists_in_it(plan):
    from deliverables.models import Deliverable, FocusArea, PBOutput, ProposedAction

    plan.title_fr = "Stratégie"
    plan.save(update_fields=["title_fr"])
    FocusArea.objects.filter(plan=plan).update(title_fr="Titre")
    ProposedAction.objects.filter(plan=plan).update(text_fr="Texte")
    Deliverable.objects.filter(plan=plan).update(text_fr="Texte")
    Deliverable.objects.filter(plan=plan).exclude(target_unit="").update(target_unit_fr="unités")
    PBOutput.objects.update(title_fr="Produit")
    available = hs.languages_available(plan)
    assert available["fr"] == []
    assert available["es"] != []

    # A blank translation counts as missing.
    Deliverable.objects.filter(code="2.1.1").update(text_fr="   ")
    assert hs.languages_available(plan)["fr"] == ["Deliverable 2.1.1: text"]


@pytest.mark.django_db
def test_the_texts_needed_can_be_narrowed_to_what_a_document_prints(plan):
    from deliverables.models import Deliverable, Office

    d = Deliverable.objects.get(code="1.4.1")
    office = Office.objects.get(code="CO-ABUJA")
    needed = [hs.TextNeeded(d, "text", "1.4.1"), hs.TextNeeded(office, "name", "Abuja")]
    assert hs.languages_available(plan, needed)["es"] == ["1.4.1", "Abuja"]
    d.text_es = "Se concertan alianzas."
    d.save(update_fields=["text_es"])
    assert hs.languages_available(plan, needed)["es"] == ["Abuja"]
    # The offices whose examples a review cites are named with review_texts(offices=…).
    assert "Office CO-ABUJA: name" in [t.description for t in hs.review_texts(plan, offices=[office])]


@pytest.mark.django_db
def test_review_texts_take_a_fixed_number_of_queries(plan, django_assert_num_queries):
    with django_assert_num_queries(4):
        hs.review_texts(plan)
