"""The coverage matrix counts what it says: approved and pending examples, each
once per focus area and once per row, and shows who has not contributed."""

import pytest
from django.urls import reverse

from deliverables.models import Office, Region
from examples import selectors as coverage
from examples.models import ProgressExample
from tests.examples.example_data import make_example, media  # noqa: F401
from tests.factories import make_user

State = ProgressExample.State
pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(users):
    """Abuja: approved (focus areas 1 and 2), submitted (1), draft and rejected (not counted).
    Dhaka: returned (3). Lima: approved with two deliverables of focus area 1 (counted once)."""
    lima = make_user("focal_lima", role="focal", office="DWT-LIMA")
    a, hq = users["focal_a"], users["hq"]
    make_example(a, state=State.APPROVED, reviewer=hq, deliverables=("1.1.1", "2.1.1"))
    make_example(a, state=State.SUBMITTED, deliverables=("1.1.1",))
    make_example(a, state=State.DRAFT, deliverables=("1.1.1",))
    make_example(users["focal_b"], state=State.REJECTED, reviewer=hq, deliverables=("1.1.1",))
    make_example(users["focal_b"], state=State.RETURNED, reviewer=hq, deliverables=("3.1.1",))
    make_example(lima, state=State.APPROVED, reviewer=hq, deliverables=("1.1.1", "1.2.1"))


def cells(row) -> list[tuple[int, int]]:
    return [(cell.approved, cell.pending) for cell in row.cells]


def test_the_region_matrix_counts_approved_and_pending_by_focus_area(plan, spread):
    matrix = coverage.region_matrix(plan)
    rows = {row.subject.code: row for row in matrix.rows}
    assert list(rows) == ["AFRICA", "AMERICAS", "ARAB", "ASIAPAC", "EUROPE"]  # all regions, even empty ones
    assert cells(rows["AFRICA"]) == [(1, 1), (1, 0), (0, 0), (0, 0)]
    assert (rows["AFRICA"].total.approved, rows["AFRICA"].total.pending) == (1, 1)  # not the sum of cells
    assert cells(rows["AMERICAS"]) == [(1, 0), (0, 0), (0, 0), (0, 0)]  # two deliverables, one example
    assert cells(rows["ASIAPAC"]) == [(0, 0), (0, 0), (0, 1), (0, 0)]
    assert cells(rows["ARAB"]) == [(0, 0)] * 4 and rows["ARAB"].total.is_empty
    assert [(c.approved, c.pending) for c in matrix.totals] == [(2, 1), (1, 0), (0, 1), (0, 0)]
    assert (matrix.grand_total.approved, matrix.grand_total.pending) == (2, 2)


def test_an_example_linked_to_no_deliverable_of_the_plan_counts_nowhere(plan, spread, users):
    make_example(users["focal_b"], state=State.SUBMITTED, deliverables=("3.1.1",)).deliverables.clear()
    matrix = coverage.region_matrix(plan)
    rows = {row.subject.code: row for row in matrix.rows}
    assert (rows["ASIAPAC"].total.pending, rows["ASIAPAC"].contributing) == (1, 1)  # the returned one only
    assert (matrix.grand_total.approved, matrix.grand_total.pending) == (2, 2)


def test_the_region_matrix_says_how_many_field_offices_contributed(plan, spread):
    rows = {row.subject.code: row for row in coverage.region_matrix(plan).rows}
    africa_offices = Office.objects.filter(region__code="AFRICA").count()
    assert (rows["AFRICA"].contributing, rows["AFRICA"].offices) == (1, africa_offices)
    assert (rows["ASIAPAC"].contributing, rows["EUROPE"].contributing) == (1, 0)


def test_the_drill_down_lists_every_field_office_of_the_region_including_silent_ones(plan, spread):
    africa = Region.objects.get(code="AFRICA")
    matrix = coverage.office_matrix(plan, africa)
    offices = [row.subject.code for row in matrix.rows]
    assert sorted(offices) == sorted(Office.objects.filter(region=africa).values_list("code", flat=True))
    abuja = next(row for row in matrix.rows if row.subject.code == "CO-ABUJA")
    assert cells(abuja) == [(1, 1), (1, 0), (0, 0), (0, 0)]
    assert [office.code for office in matrix.silent] == [code for code in offices if code != "CO-ABUJA"]


def test_the_coverage_page_shows_the_matrix_and_drills_down(client, users, plan, spread):
    client.force_login(users["manager"])
    page = client.get(reverse("examples:coverage")).content.decode()
    assert "Offices contributing" in page and 'href="?region=AFRICA"' in page
    drill = client.get(reverse("examples:coverage") + "?region=AFRICA").content.decode()
    assert "Coverage of progress examples: Africa" in drill
    assert "CO-LUSAKA" in drill and "No example yet" in drill
    assert "Offices that have not contributed yet" in drill


def test_an_unknown_region_answers_404(client, users, plan):
    client.force_login(users["hq"])
    assert client.get(reverse("examples:coverage") + "?region=MARS").status_code == 404


def test_the_review_queue_shows_submitted_examples_by_default_oldest_first(client, users, plan):
    make_example(users["focal_a"], title="Older", state=State.SUBMITTED)
    make_example(users["focal_b"], title="Newer", state=State.SUBMITTED)
    make_example(users["focal_a"], title="Still a draft")
    make_example(users["focal_a"], title="Already approved", state=State.APPROVED, reviewer=users["hq"])
    client.force_login(users["hq"])
    page = client.get(reverse("examples:queue")).content.decode()
    assert "Still a draft" not in page and "Already approved" not in page
    assert page.index("Older") < page.index("Newer")
    everything = client.get(reverse("examples:queue") + "?state=").content.decode()
    assert "Still a draft" in everything and "Already approved" in everything


@pytest.mark.parametrize(
    "query, shown",
    [
        ("region={africa}", {"Abuja SSC"}),
        ("office={dhaka}", {"Dhaka"}),
        ("focus_area={area3}", {"Dhaka"}),
        ("deliverable={d211}", {"Abuja SSC"}),
        ("south_south=on", {"Abuja SSC"}),
        ("q=dhaka", {"Dhaka"}),
        ("", {"Abuja SSC", "Dhaka"}),
    ],
)
def test_the_review_queue_filters(client, users, plan, query, shown):
    from deliverables.models import Deliverable, FocusArea

    make_example(
        users["focal_a"],
        title="Abuja SSC",
        state=State.SUBMITTED,
        south_south=True,
        deliverables=("1.1.1", "2.1.1"),
    )
    make_example(users["focal_b"], title="Dhaka", state=State.SUBMITTED, deliverables=("3.1.1",))
    values = {
        "africa": Region.objects.get(code="AFRICA").pk,
        "dhaka": "co-dhaka",  # a code, in any case
        "area3": FocusArea.objects.get(plan=plan, number=3).pk,
        "d211": Deliverable.objects.get(code="2.1.1").code,
    }
    client.force_login(users["hq"])
    page = client.get(reverse("examples:queue") + "?" + query.format(**values)).content.decode()
    assert {title for title in ("Abuja SSC", "Dhaka") if f">{title}</a>" in page} == shown


def test_the_review_queue_suggests_only_the_codes_that_occur_among_the_examples(client, users):
    make_example(users["focal_a"], title="Abuja", state=State.SUBMITTED, deliverables=("2.1.1",))
    client.force_login(users["hq"])
    page = client.get(reverse("examples:queue")).content.decode()
    offices = page.split('<datalist id="office-codes">', 1)[1].split("</datalist>", 1)[0]
    deliverables = page.split('<datalist id="deliverable-codes">', 1)[1].split("</datalist>", 1)[0]
    assert offices == '<option value="CO-ABUJA">'
    assert deliverables == '<option value="2.1.1">'
    assert page.count("<option") < 30  # states, regions, focus areas and the two codes


def test_an_example_linked_to_two_deliverables_of_a_focus_area_is_listed_once(client, users, plan):
    from deliverables.models import FocusArea

    make_example(
        users["focal_a"], title="Twice linked", state=State.SUBMITTED, deliverables=("1.1.1", "1.2.1")
    )
    client.force_login(users["hq"])
    area = FocusArea.objects.get(plan=plan, number=1)
    page = client.get(reverse("examples:queue") + f"?focus_area={area.pk}").content.decode()
    assert page.count(">Twice linked</a>") == 1 and "1 example" in page
