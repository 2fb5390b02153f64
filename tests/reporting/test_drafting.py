"""Written sections: saving with history, stale edits refused, named figures,
the drafting pages and what issuing keeps."""

import datetime

import pytest
from django.urls import reverse

from deliverables.models import Deliverable, Status
from reporting.assembly import assemble_review
from reporting.drafting import StaleSection, section_save, written_text
from reporting.figures import figure_labels, figure_texts, number_text
from reporting.models import DraftSection, ReviewDraft, SectionRevision
from reporting.written import Block, Run, section_keys
from tests.factories import grow_plan, record

from .helpers import CUT_OFF, grow_examples, make_example

pytestmark = pytest.mark.django_db
KEY = "area1_achievements"


def draft_for(plan, as_of=CUT_OFF) -> ReviewDraft:
    return ReviewDraft.objects.for_cut_off(plan, as_of)


def save(plan, user, text, *, key=KEY, seen=0, as_of=CUT_OFF):
    return section_save(draft=draft_for(plan, as_of), key=key, text=text, user=user, seen_version=seen)


# The service


def test_saving_keeps_the_text_and_appends_to_the_history(plan, users):
    save(plan, users["hq"], "First text.")
    save(plan, users["manager"], "Second text.", seen=1)
    section = DraftSection.objects.get(draft__plan=plan, key=KEY)
    assert (section.text, section.version, section.updated_by) == ("Second text.", 2, users["manager"])
    history = list(SectionRevision.objects.filter(section=section).values_list("version", "text", "author"))
    assert history == [(2, "Second text.", users["manager"].pk), (1, "First text.", users["hq"].pk)]
    assert ReviewDraft.objects.get(plan=plan, as_of=CUT_OFF).version == 2


def test_it_refuses_a_stale_save_and_changes_nothing(plan, users):
    save(plan, users["hq"], "Theirs.")
    with pytest.raises(StaleSection) as refused:
        save(plan, users["manager"], "Mine, typed on an older page.", seen=0)
    assert [r.text for r in refused.value.newer_revisions()] == ["Theirs."]
    assert DraftSection.objects.get(key=KEY).text == "Theirs."
    assert SectionRevision.objects.count() == 1


def test_sections_and_cut_offs_have_their_own_versions(plan, users):
    save(plan, users["hq"], "Achievements.")
    save(plan, users["hq"], "Challenges.", key="area1_challenges", seen=0)
    save(plan, users["hq"], "Another cut-off.", as_of=datetime.date(2023, 6, 30))
    assert ReviewDraft.objects.count() == 2
    assert set(DraftSection.objects.values_list("version", flat=True)) == {1}


# Figures


def test_the_same_text_gives_different_numbers_at_two_cut_offs(plan, users):
    deliverable = Deliverable.objects.get(code="1.4.1")
    record(deliverable, users["hq"], Status.ON_TRACK, as_of=datetime.date(2022, 3, 31))
    record(deliverable, users["hq"], Status.ACHIEVED, as_of=datetime.date(2023, 3, 31), progress=10)
    for code in ("1.1.1", "2.1.1", "3.1.1"):
        record(
            Deliverable.objects.get(code=code), users["hq"], Status.ACHIEVED, as_of=datetime.date(2023, 4, 1)
        )
    text = "By {cut_off}, {achieved} deliverables were achieved, {area1_achieved} of them in focus area 1."
    save(plan, users["hq"], text, as_of=datetime.date(2022, 12, 31))
    save(plan, users["hq"], text, as_of=datetime.date(2023, 6, 30))
    early = written_text(plan, datetime.date(2022, 12, 31)).blocks(KEY)
    late = written_text(plan, datetime.date(2023, 6, 30)).blocks(KEY)
    assert early == (
        Block(
            Block.PARAGRAPH,
            (Run("By 31 December 2022, zero deliverables were achieved, zero of them in focus area 1."),),
        ),
    )
    assert (
        late[0].plain_text == "By 30 June 2023, four deliverables were achieved, two of them in focus area 1."
    )


def test_numbers_follow_the_house_style():
    assert [number_text(n) for n in (0, 1, 9, 10, 1234)] == ["zero", "one", "nine", "10", "1,234"]


def test_every_named_figure_has_a_label_and_a_value(plan):
    review = assemble_review(plan, CUT_OFF)
    labels = figure_labels(area.number for area in review.focus_areas)
    assert set(labels) == set(figure_texts(review))
    assert {
        "due_by_midterm",
        "due_by_midterm_achieved",
        "deliverables_total",
        "achieved",
        "delayed",
        "at_risk",
        "examples_citable",
        "area1_achieved",
        "area4_examples",
    } <= set(labels)
    assert figure_texts(review)["deliverables_total"] == str(Deliverable.objects.count())


def test_written_text_is_one_query_with_the_review_and_parses_every_section(
    plan, users, django_assert_num_queries
):
    save(plan, users["hq"], "Intro with **strong**.", key="introduction")
    save(plan, users["hq"], "", key="strategy")  # emptied: absent
    review = assemble_review(plan, CUT_OFF)
    with django_assert_num_queries(1):
        written = written_text(plan, CUT_OFF, review=review)
    assert set(written.sections) == {"introduction"}
    assert written.blocks("introduction")[0].runs[1] == Run("strong", strong=True)


# The pages

URL = reverse("reporting:draft", args=[CUT_OFF])


def section_url(key=KEY, as_of=CUT_OFF):
    return reverse("reporting:draft_section", args=[as_of, key])


def test_the_drafting_page_lists_every_section_with_its_rendered_text_and_an_edit_link(client, plan, users):
    save(plan, users["hq"], "We **achieved** {achieved} things.\n\n- one <b>point</b>")
    client.force_login(users["manager"])
    page = client.get(URL).content.decode()
    for key in section_keys([1, 2, 3, 4]):
        assert f'href="{section_url(key)}"' in page
    assert "Focus area 1: achievements" in page and "Points for the Governing Body&#x27;s guidance" in page
    assert "We <strong>achieved</strong> zero things." in page
    assert '<ul class="written-list"><li>one &lt;b&gt;point&lt;/b&gt;</li></ul>' in page
    assert "1 of 21 sections written." in page
    assert "saved by hq" in page


def test_the_edit_page_shows_the_text_a_preview_and_the_history(client, plan, users):
    save(plan, users["hq"], "Old *text*.")
    save(plan, users["manager"], "New *text* [^A note.]", seen=1)
    client.force_login(users["hq"])
    page = client.get(section_url()).content.decode()
    assert '<input type="hidden" name="version" value="2"' in page
    assert "New *text* [^A note.]</textarea>" in page
    assert 'New <em>text</em> <span class="written-note">[Footnote: A note.]</span>' in page
    assert page.index("Version 2") < page.index("Version 1")
    assert "Old *text*." in page and "saved by manager" in page
    assert "{due_by_midterm_achieved}" in page  # the figures that may be cited


def test_saving_from_the_page_redirects_to_the_drafting_page(client, plan, users):
    client.force_login(users["hq"])
    response = client.post(section_url(), {"text": "Typed.\r\n\r\nTwo.", "version": "0"})
    assert response.status_code == 302 and response["Location"] == URL + f"#{KEY}"
    assert DraftSection.objects.get(key=KEY).text == "Typed.\n\nTwo."


def test_preview_without_saving_renders_the_typed_text_and_saves_nothing(client, plan, users):
    client.force_login(users["hq"])
    response = client.post(section_url(), {"text": "Only *shown*.", "version": "0", "preview": "1"})
    assert response.status_code == 200
    assert "Only <em>shown</em>." in response.content.decode()
    assert not DraftSection.objects.exists()


def test_a_save_from_an_outdated_page_is_refused_keeping_what_was_typed_and_showing_the_newer_text(
    client, plan, users
):
    save(plan, users["manager"], "The manager's newer text.")
    client.force_login(users["hq"])
    response = client.post(section_url(), {"text": "What hq typed on the old page.", "version": "0"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Not saved: someone else saved this section" in page
    assert "\nWhat hq typed on the old page.</textarea>" in page
    assert "The manager&#x27;s newer text." in page
    assert '<input type="hidden" name="version" value="1"' in page  # saving again is a decision
    assert DraftSection.objects.get(key=KEY).text == "The manager's newer text."
    again = client.post(section_url(), {"text": "What hq typed on the old page.", "version": "1"})
    assert again.status_code == 302
    assert DraftSection.objects.get(key=KEY).version == 2


def test_an_unknown_figure_is_a_form_error_listing_the_known_names(client, plan, users):
    client.force_login(users["hq"])
    response = client.post(section_url(), {"text": "{achieved} and {made_up}", "version": "0"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Unknown figure: {made_up}. The figures you may cite are: {cut_off}, {deliverables_total}" in page
    assert "{area4_examples}" in page
    assert not DraftSection.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/reports/midterm/draft/2022-02-30/",
        "/reports/midterm/draft/2019-12-31/",
        reverse("reporting:draft_section", args=[CUT_OFF, "area9_lessons"]),
        reverse("reporting:draft_section", args=[CUT_OFF, "nonsense"]),
    ],
)
def test_impossible_dates_and_unknown_sections_answer_404(client, plan, users, url):
    client.force_login(users["hq"])
    assert client.get(url).status_code == 404
    if "area" in url or "nonsense" in url:
        assert client.post(url, {"text": "x", "version": "0"}).status_code == 404
    assert not DraftSection.objects.exists()


def test_saving_needs_the_csrf_token(plan, users):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["hq"])
    assert client.post(section_url(), {"text": "x", "version": "0"}).status_code == 403
    assert not DraftSection.objects.exists()


# 6 for any page (session, user, permissions, profile; the session is saved at most every few
# minutes) + plan + 7 for the review (the figures) + the draft and its sections.
DRAFT_QUERIES = 6 + 1 + 7 + 2


def test_the_drafting_page_runs_a_fixed_number_of_queries(client, plan, users, django_assert_num_queries):
    client.force_login(users["hq"])
    make_example(users["focal_a"])
    save(plan, users["hq"], "Text {achieved}.")
    with django_assert_num_queries(DRAFT_QUERIES):
        small = client.get(URL)
    grow_plan(plan, users["hq"], factor=10)
    grow_examples(plan, users["focal_a"], count=50)
    for n, key in enumerate(section_keys([1, 2, 3, 4])):
        save(
            plan,
            users["manager" if n % 2 else "hq"],
            f"Section {n} with {{achieved}}.",
            key=key,
            seen=int(key == KEY),
        )
    with django_assert_num_queries(DRAFT_QUERIES):
        big = client.get(URL)
    assert small.status_code == big.status_code == 200
    assert all(f"Section {n} with" in big.content.decode() for n in range(21))


SECTION_QUERIES = 6 + 1 + 7 + 2 + 1  # ... + the history


def test_the_edit_page_runs_a_fixed_number_of_queries(client, plan, users, django_assert_num_queries):
    client.force_login(users["hq"])
    make_example(users["focal_a"])
    save(plan, users["hq"], "v1")
    with django_assert_num_queries(SECTION_QUERIES):
        client.get(section_url())
    for version in range(1, 15):
        save(plan, users["manager" if version % 2 else "hq"], f"v{version + 1}", seen=version)
    with django_assert_num_queries(SECTION_QUERIES):
        page = client.get(section_url()).content.decode()
    assert page.count("saved by manager") >= 7
