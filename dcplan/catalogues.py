"""The interface's translation catalogues, locale/<language>/LC_MESSAGES/django.po.

One place for how messages are extracted from the code (the same makemessages
options for the people who update the catalogues and for the test that checks
them), what is left to translate, merging translations back and compiling.
Used by `locale/translate.py`, the Makefile and the tests; needs no database.
"""

import contextlib
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parent.parent
LOCALE_DIR = BASE_DIR / "locale"
DOMAIN = "django"  # there is no JavaScript with messages, so no djangojs catalogue

# Line numbers and obsolete entries only make diffs noisy; tests, benchmarks and
# local data hold no interface text.
MAKEMESSAGES_OPTIONS = {
    "domain": DOMAIN,
    "no_location": True,
    "no_obsolete": True,
    "ignore_patterns": ["tests/*", "bench/*", "var/*", "locale/*"],
    "verbosity": 0,
}

# %(name)s, %s, %d, and {{ var }} left in a blocktranslate by mistake.
PLACEHOLDER_RE = re.compile(r"%\([^)]+\)[sdfr]|%[sdfr]|\{\{\s*\w+\s*\}\}")


def translated_languages() -> list[str]:
    """Every language of settings.LANGUAGES except the source language (English)."""
    from django.conf import settings

    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def po_path(language: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def load(language: str, locale_dir: Path = LOCALE_DIR) -> polib.POFile:
    return polib.pofile(str(po_path(language, locale_dir)), wrapwidth=79)


def key(entry: polib.POEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def live_keys(catalogue: polib.POFile) -> set[tuple[str, str, str]]:
    return {key(e) for e in catalogue if not e.obsolete}


def update(languages: list[str] | None = None) -> None:
    """Run makemessages over the code into locale/ (new messages appear empty,
    changed ones fuzzy with their previous text, vanished ones go)."""
    from django.core.management import call_command

    with contextlib.chdir(BASE_DIR):
        call_command("makemessages", locale=languages or translated_languages(), **MAKEMESSAGES_OPTIONS)


def extract_keys(language: str = "fr") -> set[tuple[str, str, str]]:
    """The messages the code holds now, extracted into a temporary directory
    with the same options as `update`, leaving locale/ untouched."""
    from django.core.management import call_command
    from django.test import override_settings

    # makemessages writes next to the nearest locale/ above each file, so it runs
    # in a directory of links to the code, where the only locale/ is the temporary one.
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for child in BASE_DIR.iterdir():
            if child.name not in {"locale", "var"} and not child.name.startswith("."):
                (root / child.name).symlink_to(child)
        with contextlib.chdir(root), override_settings(LOCALE_PATHS=[root / "locale"]):
            call_command("makemessages", locale=[language], symlinks=True, **MAKEMESSAGES_OPTIONS)
        return live_keys(polib.pofile(str(po_path(language, root / "locale"))))


@dataclass(frozen=True)
class Problem:
    language: str
    msgid: str
    reason: str


def unfinished(catalogue: polib.POFile) -> list[polib.POEntry]:
    """Entries a reader would see in English: untranslated (any plural form
    empty) or fuzzy (gettext ignores those)."""
    return [e for e in catalogue if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]


def placeholder_problems(language: str, catalogue: polib.POFile) -> list[Problem]:
    """Translations whose placeholders differ from the English."""
    problems = []
    for entry in catalogue:
        if entry.obsolete or not entry.translated():
            continue
        sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        wanted = set().union(*(PLACEHOLDER_RE.findall(s) for s in sources))
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            found = set(PLACEHOLDER_RE.findall(text))
            # A plural's singular may say "one" instead of %(counter)s.
            if found - wanted or (not entry.msgid_plural and found != wanted):
                problems.append(
                    Problem(language, entry.msgid, f"placeholders {sorted(found)} ≠ {sorted(wanted)}")
                )
                break
    return problems


def todo(languages: list[str] | None = None) -> dict[str, list[dict]]:
    """What is left to translate, as JSON-ready dicts: fill in msgstr (or
    msgstr_plural) and give the file back to `merge`."""
    result = {}
    for language in languages or translated_languages():
        catalogue = load(language)
        nplurals = catalogue.metadata.get("Plural-Forms", "nplurals=2").split("nplurals=")[1].split(";")[0]
        items = []
        for entry in unfinished(catalogue):
            item = {"msgctxt": entry.msgctxt, "msgid": entry.msgid, "fuzzy": "fuzzy" in entry.flags}
            if entry.previous_msgid:
                item["previous_msgid"] = entry.previous_msgid
            if entry.comment:
                item["comment"] = entry.comment
            if entry.msgid_plural:
                item["msgid_plural"] = entry.msgid_plural
                item["msgstr_plural"] = {str(i): entry.msgstr_plural.get(i, "") for i in range(int(nplurals))}
            else:
                item["msgstr"] = entry.msgstr
            items.append(item)
        result[language] = items
    return result


def merge(translations: dict[str, list[dict]]) -> dict[str, int]:
    """Write translations (the shape `todo` gives) into the catalogues.

    An item is taken only when it is complete and keeps the English's
    placeholders; it then loses its fuzzy mark. Returns how many were taken per
    language; raises ValueError listing every refused item, writing nothing.
    """
    refused, taken, catalogues = [], {}, {}
    for language, items in translations.items():
        catalogue = catalogues[language] = load(language)
        taken[language] = 0
        for item in items:
            entry = catalogue.find(item["msgid"], msgctxt=item.get("msgctxt") or False)
            if entry is None or entry.obsolete:
                refused.append(f"{language}: {item['msgid']!r} is not in the catalogue")
                continue
            if entry.msgid_plural:
                forms = {int(i): text for i, text in (item.get("msgstr_plural") or {}).items()}
                if not forms or not all(forms.values()):
                    refused.append(f"{language}: {item['msgid']!r} has an empty plural form")
                    continue
                entry.msgstr_plural = forms
            else:
                if not item.get("msgstr"):
                    refused.append(f"{language}: {item['msgid']!r} has no translation")
                    continue
                entry.msgstr = item["msgstr"]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            taken[language] += 1
        refused += [
            f"{p.language}: {p.msgid!r}: {p.reason}" for p in placeholder_problems(language, catalogue)
        ]
    if refused:
        raise ValueError("\n".join(refused))
    for catalogue in catalogues.values():
        catalogue.save()
    return taken


def compile_catalogues(only_if_stale: bool = False) -> list[Path]:
    """Compile every django.po into its django.mo with GNU msgfmt (as
    compilemessages does), checking placeholders. Returns what was compiled."""
    compiled = []
    for po in sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        if only_if_stale and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)
        compiled.append(mo)
    return compiled
