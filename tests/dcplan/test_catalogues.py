"""The French and Spanish catalogues are complete, correct and current with the code."""

import subprocess

import pytest

from dcplan import catalogues

LANGUAGES = ["fr", "es"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    left = [e.msgid for e in catalogues.unfinished(catalogues.load(language))]
    assert not left, (
        f"{len(left)} messages are untranslated or fuzzy in {language}: {left[:10]} … "
        "Run `.venv/bin/python locale/translate.py todo` and merge the translations."
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_english_placeholders(language):
    assert catalogues.placeholder_problems(language, catalogues.load(language)) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_msgfmt_accepts_the_catalogue(language, tmp_path):
    result = subprocess.run(
        [
            "msgfmt",
            "--check",
            "--statistics",
            "-o",
            str(tmp_path / "django.mo"),
            str(catalogues.po_path(language)),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_catalogues_hold_exactly_the_messages_of_the_code():
    in_code = catalogues.extract_keys("fr")
    for language in LANGUAGES:
        committed = catalogues.live_keys(catalogues.load(language))
        new = sorted(k[1] for k in in_code - committed)
        gone = sorted(k[1] for k in committed - in_code)
        assert not new and not gone, (
            f"locale/{language} is out of date with the code: new messages {new[:10]}, "
            f"vanished messages {gone[:10]}. Run `.venv/bin/python locale/translate.py update`."
        )


def test_french_puts_no_break_spaces_before_double_punctuation_and_inside_guillemets():
    bad = []
    for entry in catalogues.load("fr"):
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if any(f" {mark}" in text for mark in ";:!?»") or "« " in text:
                bad.append(text)
    assert bad == []


def test_the_compiled_catalogues_are_current():
    # conftest compiles stale catalogues at the start of the session; this says so if it could not.
    for language in LANGUAGES:
        po = catalogues.po_path(language)
        mo = po.with_suffix(".mo")
        assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime
