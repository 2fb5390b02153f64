"""The written sections of a review draft: reading them for the document and
the drafting pages, and saving one section with lost-edit protection."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

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


def draft_sources(plan: Plan, as_of: datetime.date) -> dict[str, str]:
    """Section key → the text as typed, for the sections that have any (one query)."""
    rows = DraftSection.objects.filter(draft__plan=plan, draft__as_of=as_of).exclude(text="")
    return dict(rows.values_list("key", "text"))


def written_from_sources(sources: Mapping[str, str], figures: Mapping[str, str]) -> WrittenText:
    sections = {key: blocks for key, text in sources.items() if (blocks := parse(text, figures))}
    return WrittenText(sections=sections)


def written_text(plan: Plan, as_of: datetime.date, *, review: Review | None = None) -> WrittenText:
    """The written sections of the draft at `as_of`, parsed, with the named
    figures of that cut-off filled in. One query when the caller passes the
    assembled `review` (the document has one), eight otherwise."""
    review = review or assemble_review(plan, as_of)
    return written_from_sources(draft_sources(plan, as_of), figure_texts(review))


@dataclass(frozen=True)
class SectionState:
    """One section as the drafting pages show it."""

    key: str
    title: str
    text: str
    version: int
    updated_by: str
    updated_at: datetime.datetime | None


def draft_sections(plan: Plan, as_of: datetime.date, keys: list[str]) -> tuple[int, list[SectionState]]:
    """The draft's version and every section in `keys`, empty where nothing was
    written yet (two queries)."""
    draft = ReviewDraft.objects.filter(plan=plan, as_of=as_of).only("version").first()
    saved = {}
    if draft is not None:
        saved = {
            section.key: section
            for section in DraftSection.objects.filter(draft=draft).select_related("updated_by")
        }
    states = []
    for key in keys:
        section = saved.get(key)
        states.append(
            SectionState(
                key=key,
                title=section_title(key),
                text=section.text if section else "",
                version=section.version if section else 0,
                updated_by=section.updated_by.get_username() if section and section.updated_by else "",
                updated_at=section.updated_at if section else None,
            )
        )
    return (draft.version if draft else 0), states


def section_history(plan: Plan, as_of: datetime.date, key: str) -> list[SectionRevision]:
    return list(
        SectionRevision.objects.filter(
            section__draft__plan=plan, section__draft__as_of=as_of, section__key=key
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
    *, draft: ReviewDraft, key: str, text: str, user: AbstractBaseUser, seen_version: int
) -> SectionRevision:
    """Save `text` as the section's new version and append it to its history.

    Refuses with StaleSection when the section's version is no longer
    `seen_version`. As for status updates, the conditional UPDATE is the
    lock: on PostgreSQL a concurrent writer waits for the row and then finds
    the version changed; on SQLite writers queue. The unique (section,
    version) constraint on the history backs this up."""
    section, _created = DraftSection.objects.get_or_create(draft=draft, key=key)
    now = timezone.now()
    claimed = DraftSection.objects.filter(pk=section.pk, version=seen_version).update(
        text=text, version=F("version") + 1, updated_by=user, updated_at=now
    )
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
