"""The written sections of a review draft: reading them for the document and
the drafting pages, and saving one section with lost-edit protection."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deliverables.models import FocusArea, Plan

from .assembly import Review, assemble_review
from .figures import figure_texts
from .markup import parse
from .models import DraftSection, ReviewDraft, SectionRevision
from .written import (
    AREA_PARTS,
    DECISION,
    GUIDANCE,
    INTRODUCTION,
    STRATEGY,
    WAY_FORWARD,
    Block,
    WrittenText,
    section_keys,
)

SECTION_TITLES = {
    INTRODUCTION: gettext_lazy("Introduction and context"),
    STRATEGY: gettext_lazy("The Strategy as a whole"),
    WAY_FORWARD: gettext_lazy("Way forward"),
    GUIDANCE: gettext_lazy("Points for the Governing Body's guidance"),
    DECISION: gettext_lazy("Draft decision"),
}
PART_TITLES = {
    "achievements": gettext_lazy("achievements"),
    "challenges": gettext_lazy("challenges"),
    "lessons": gettext_lazy("lessons learned"),
    "adjustments": gettext_lazy("adjustments for the second half"),
}
assert set(PART_TITLES) == set(AREA_PARTS)


def section_title(key: str) -> str:
    """ "Focus area 2: challenges" for area2_challenges."""
    if key in SECTION_TITLES:
        return str(SECTION_TITLES[key])
    area, _sep, part = key.partition("_")
    return _("Focus area %(n)s: %(part)s") % {"n": area.removeprefix("area"), "part": PART_TITLES[part]}


def plan_section_keys(plan: Plan) -> list[str]:
    """The sections of `plan`'s review, in document order (one query)."""
    numbers = FocusArea.objects.filter(plan=plan).order_by("number").values_list("number", flat=True)
    return section_keys(numbers)


SOURCE_LANGUAGE = DraftSection.SOURCE_LANGUAGE


@dataclass(frozen=True)
class DraftTexts:
    """Every written section of one draft that has text, in every language."""

    texts: Mapping[str, Mapping[str, str]]  # language → key → text

    def sources(self, language: str = SOURCE_LANGUAGE) -> dict[str, str]:
        """Key → text in `language`, for every key whose English section has text
        (a translation of a section emptied in English prints nothing)."""
        english = self.texts.get(SOURCE_LANGUAGE, {})
        translated = self.texts.get(language, {})
        return {key: translated[key] for key in english if key in translated}

    def missing(self, language: str) -> list[str]:
        """The keys with English text and none in `language`."""
        translated = self.texts.get(language, {})
        return [key for key in self.texts.get(SOURCE_LANGUAGE, {}) if key not in translated]


def draft_texts(plan: Plan, as_of: datetime.date) -> DraftTexts:
    """The draft's sections with text, in every language (one query)."""
    rows = DraftSection.objects.filter(draft__plan=plan, draft__as_of=as_of).exclude(text="")
    texts: dict[str, dict[str, str]] = {}
    for language, key, text in rows.values_list("language", "key", "text"):
        texts.setdefault(language, {})[key] = text
    return DraftTexts(texts)


def draft_sources(plan: Plan, as_of: datetime.date, language: str = SOURCE_LANGUAGE) -> dict[str, str]:
    """Section key → the text as typed in `language`, for the sections whose
    English text is not empty and that have text in `language` (one query)."""
    return draft_texts(plan, as_of).sources(language)


def written_from_sources(sources: Mapping[str, str], figures: Mapping[str, str]) -> WrittenText:
    sections = {key: blocks for key, text in sources.items() if (blocks := parse(text, figures))}
    return WrittenText(sections=sections)


def written_text(
    plan: Plan, as_of: datetime.date, *, review: Review | None = None, language: str = SOURCE_LANGUAGE
) -> WrittenText:
    """The written sections of the draft at `as_of` in `language`, parsed, with the
    named figures of that cut-off filled in (in the active language: the caller
    activates `language`). One query when the caller passes the assembled `review`
    (the document has one), eight otherwise."""
    review = review or assemble_review(plan, as_of, language)
    return written_from_sources(draft_sources(plan, as_of, language), figure_texts(review))


@dataclass(frozen=True)
class Translation:
    """Where one section stands in one other language, for the English page."""

    language: str
    exists: bool
    current: bool  # translated from the English version now saved


@dataclass(frozen=True)
class SectionState:
    """One section in one language as the drafting pages show it; for a
    translation, with the English text it translates."""

    key: str
    title: str
    text: str
    version: int
    updated_by: str
    updated_at: datetime.datetime | None
    language: str = SOURCE_LANGUAGE
    source_text: str = ""  # the English text (translations only)
    source_version: int = 0  # the English version now saved
    translated_from: int | None = None  # the English version this translation was made from
    translations: tuple[Translation, ...] = ()  # the English page's view of the other languages

    @property
    def is_source(self) -> bool:
        return self.language == SOURCE_LANGUAGE

    @property
    def outdated(self) -> bool:
        """A translation with text whose English moved on since it was made."""
        return (
            not self.is_source
            and bool(self.text)
            and bool(self.source_text)
            and self.translated_from != self.source_version
        )


def _translations(key: str, rows: Mapping[tuple[str, str], DraftSection]) -> tuple[Translation, ...]:
    english = rows.get((key, SOURCE_LANGUAGE))
    states = []
    for code, _name in settings.LANGUAGES:
        if code == SOURCE_LANGUAGE:
            continue
        row = rows.get((key, code))
        exists = bool(row and row.text)
        current = exists and english is not None and row.source_version == english.version
        states.append(Translation(language=code, exists=exists, current=current))
    return tuple(states)


def draft_sections(
    plan: Plan, as_of: datetime.date, keys: list[str], language: str = SOURCE_LANGUAGE
) -> tuple[int, list[SectionState]]:
    """The draft's version and every section in `keys` in `language`, empty where
    nothing was written yet; English sections say where their translations stand,
    translations carry the English text (two queries)."""
    draft = ReviewDraft.objects.filter(plan=plan, as_of=as_of).only("version").first()
    rows: dict[tuple[str, str], DraftSection] = {}
    if draft is not None:
        rows = {
            (section.key, section.language): section
            for section in DraftSection.objects.filter(draft=draft, key__in=keys).select_related("updated_by")
        }
    states = []
    for key in keys:
        section = rows.get((key, language))
        english = rows.get((key, SOURCE_LANGUAGE))
        translated = language != SOURCE_LANGUAGE
        states.append(
            SectionState(
                key=key,
                title=section_title(key),
                text=section.text if section else "",
                version=section.version if section else 0,
                updated_by=section.updated_by.get_username() if section and section.updated_by else "",
                updated_at=section.updated_at if section else None,
                language=language,
                source_text=english.text if translated and english else "",
                source_version=english.version if english else 0,
                translated_from=section.source_version if section else None,
                translations=() if translated else _translations(key, rows),
            )
        )
    return (draft.version if draft else 0), states


def section_history(
    plan: Plan, as_of: datetime.date, key: str, language: str = SOURCE_LANGUAGE
) -> list[SectionRevision]:
    return list(
        SectionRevision.objects.filter(
            section__draft__plan=plan,
            section__draft__as_of=as_of,
            section__key=key,
            section__language=language,
        )
        .select_related("author")
        .order_by("-version")
    )


class StaleSection(Exception):
    """Someone saved the section after the version the user saw."""

    def __init__(self, section: DraftSection, seen_version: int):
        self.section = section
        self.seen_version = seen_version
        super().__init__(
            _("The section “%(title)s” changed since version %(version)s.")
            % {"title": section_title(section.key), "version": seen_version}
        )

    def newer_revisions(self) -> list[SectionRevision]:
        return list(
            SectionRevision.objects.filter(section=self.section, version__gt=self.seen_version)
            .select_related("author")
            .order_by("-version")
        )

    @property
    def current(self) -> DraftSection:
        return DraftSection.objects.get(pk=self.section.pk)


@transaction.atomic
def section_save(
    *,
    draft: ReviewDraft,
    key: str,
    text: str,
    user: AbstractBaseUser,
    seen_version: int,
    language: str = SOURCE_LANGUAGE,
    source_version: int | None = None,
) -> SectionRevision:
    """Save `text` as the section's new version in `language` and append it to its history.

    A translation (any `language` but English) records `source_version`, the
    version of the English section the translator had beside them (0 when
    none was given: a translation of nothing is out of date once English is written).

    Refuses with StaleSection when the section's version is no longer
    `seen_version`. As for status updates, the conditional UPDATE is the
    lock: on PostgreSQL a concurrent writer waits for the row and then finds
    the version changed; on SQLite writers queue. The unique (section,
    version) constraint on the history backs this up."""
    section, _created = DraftSection.objects.get_or_create(draft=draft, key=key, language=language)
    now = timezone.now()
    changes = {"text": text, "version": F("version") + 1, "updated_by": user, "updated_at": now}
    if language != SOURCE_LANGUAGE:
        changes["source_version"] = source_version or 0
    claimed = DraftSection.objects.filter(pk=section.pk, version=seen_version).update(**changes)
    if not claimed:
        raise StaleSection(section, seen_version)
    try:
        with transaction.atomic():
            revision = SectionRevision.objects.create(
                section=section, version=seen_version + 1, text=text, author=user, saved_at=now
            )
    except IntegrityError:
        raise StaleSection(section, seen_version) from None
    ReviewDraft.objects.filter(pk=draft.pk).update(version=F("version") + 1, updated_at=now)
    return revision


def block_groups(blocks: tuple[Block, ...]) -> list[tuple[str, list[Block]]]:
    """Blocks for HTML: each paragraph alone, consecutive items of one kind of list together."""
    groups: list[tuple[str, list[Block]]] = []
    for block in blocks:
        if block.kind != Block.PARAGRAPH and groups and groups[-1][0] == block.kind:
            groups[-1][1].append(block)
        else:
            groups.append((block.kind, [block]))
    return groups
