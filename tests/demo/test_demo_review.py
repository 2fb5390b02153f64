"""The demo reads like a plan's progress: distinct narratives, statuses that
agree with targets and dates, examples in every focus area, the checks firing
only on the deliberate cases, and written sections for the 2022-12-31 draft."""

import datetime
import io

import pytest
from django.core.management import call_command

from deliverables.models import Deliverable, Status, StatusUpdate
from demo.drafting import SECTIONS
from reporting.assembly import assemble_review
from reporting.checks import Check, review_checks
from reporting.drafting import written_text
from reporting.figures import number_text
from reporting.models import DraftSection, SectionRevision
from reporting.written import section_keys
from tests.examples.example_data import media  # noqa: F401

pytestmark = pytest.mark.django_db
CUT_OFF = datetime.date(2022, 12, 31)


@pytest.fixture
def seeded(plan):
    call_command("seed_demo", stdout=io.StringIO())
    return plan


def test_every_deliverable_has_its_own_narratives(seeded):
    narratives = list(StatusUpdate.objects.exclude(narrative="").values_list("narrative", flat=True))
    assert len(narratives) == StatusUpdate.objects.count() > 3 * 30
    repeated = {text for text in narratives if narratives.count(text) > 1}
    assert len(repeated) == 1  # the one pasted on purpose
    assert set(Deliverable.objects.values_list("code", flat=True)) == set(
        StatusUpdate.objects.values_list("deliverable__code", flat=True)
    )


def test_statuses_agree_with_targets_and_dates(seeded):
    for update in StatusUpdate.objects.select_related("deliverable"):
        deliverable = update.deliverable
        if deliverable.has_target and update.status == Status.ACHIEVED:
            assert update.progress_value >= deliverable.target_value, deliverable.code
        if update.status == Status.ON_TRACK and deliverable.has_target:
            assert update.progress_value < deliverable.target_value, deliverable.code
        if update.as_of.year > deliverable.end_year:  # past its timeline: late, or achieved late
            assert update.status in (Status.ACHIEVED, Status.DELAYED), deliverable.code
    for deliverable in Deliverable.objects.filter(end_year__lte=2023):
        assert deliverable.status != Status.ON_TRACK, deliverable.code  # due: achieved or explained


def test_the_review_at_2022_12_31_shows_each_check_on_its_deliberate_case_only(seeded):
    checks = review_checks(seeded, CUT_OFF)
    assert sorted((check.code, check.objects) for check in checks) == sorted(
        [
            (Check.TARGET_REACHED_BUT_LATE, ("1.4.3",)),
            (
                Check.EXAMPLE_BEFORE_START,
                ("Environmental and social screening of employment-intensive works in Lebanon", "4.3.1"),
            ),
            (Check.STALE_UPDATES, ("2.2.1",)),
            (Check.DUPLICATE_NARRATIVE, ("3.3.2", "4.2.3")),
        ]
    )


def test_every_focus_area_cites_an_example_at_2022_12_31_but_not_at_the_start(seeded):
    review = assemble_review(seeded, CUT_OFF)
    assert all(area.examples or area.see_also for area in review.focus_areas)
    early = review_checks(seeded, datetime.date(2021, 12, 31))
    assert {check.code for check in early} == {Check.AREA_WITHOUT_EXAMPLE}


def test_the_2022_12_31_draft_has_every_section_with_figures_filled_in(seeded):
    keys = section_keys([1, 2, 3, 4])
    assert set(SECTIONS) == set(keys)
    written = written_text(seeded, CUT_OFF)
    assert all(not written.is_empty(key) for key in keys)
    strategy = " ".join(block.plain_text for block in written.blocks("strategy"))
    review = assemble_review(seeded, CUT_OFF)
    assert "{" not in strategy and "31 December 2022" in strategy
    figures = review.key_figures
    assert (
        f"Achieved by 31 December 2022: {number_text(figures.due_achieved)} of the "
        f"{number_text(figures.due_total)} deliverables due" in strategy
    )
    assert figures.due_achieved == 4  # 2.2.2, 3.1.1, 4.1.2 and 4.2.2
    (decision,) = written.blocks("decision")
    assert decision.plain_text.startswith(
        "The Governing Body took note of the mid-term review of the ILO Development Cooperation Strategy "
        "2020–25 and its implementation plan contained in document GB.347/POL/3 and requested the "
        "Director-General to consider the Governing Body's guidance"
    )
    assert review.key_figures.due_total > 0


def test_seeding_twice_keeps_the_written_sections_and_their_history(seeded, plan):
    before = (DraftSection.objects.count(), SectionRevision.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (DraftSection.objects.count(), SectionRevision.objects.count()) == before == (21, 21)
