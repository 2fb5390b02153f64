"""Who may reach which planning page, and the unit focal points' row-level rule:
every new URL × every role, as data (one row per URL)."""

import datetime

import pytest
from django.urls import reverse

from dcplan.access import may_update_deliverable
from deliverables.models import Deliverable, StatusUpdate
from planning.models import Milestone, ReportingRound
from tests.factories import PASSWORD

ROLES = ["anonymous", "focal_a", "unit_a", "manager", "hq", "superuser"]
ALL = dict.fromkeys(ROLES[1:], 200) | {"anonymous": 302}
HQ_ONLY_POST = {"anonymous": 302, "focal_a": 403, "unit_a": 403, "manager": 403, "hq": 302, "superuser": 302}
HQ_ONLY = {"anonymous": 302, "focal_a": 403, "unit_a": 403, "manager": 403, "hq": 200, "superuser": 200}
READERS = {"anonymous": 302, "focal_a": 403, "unit_a": 403, "manager": 200, "hq": 200, "superuser": 200}

# url name, kwargs (strings resolved in the test), method, expected status per role.
MATRIX = [
    ("planning:timeline", {}, "get", ALL),
    ("planning:rounds", {}, "get", READERS),
    ("planning:round", {"pk": "round"}, "get", READERS),
    ("planning:round_open", {}, "post", HQ_ONLY_POST),
    ("planning:round_close", {"pk": "round"}, "post", HQ_ONLY_POST),
    ("planning:my_reminders", {}, "get", ALL),
    ("planning:milestone_new", {"code": "1.4.1"}, "post", HQ_ONLY_POST),
    ("planning:milestone_edit", {"pk": "milestone"}, "get", READERS | {"manager": 403}),
    ("planning:milestone_remove", {"pk": "milestone"}, "post", HQ_ONLY_POST),
    ("deliverables:units", {"code": "1.4.1"}, "post", HQ_ONLY_POST),
    # The row-level rule: unit_a's unit leads 1.4.1 and contributes to 2.2.1, not 3.1.1.
    ("deliverables:update", {"code": "1.4.1"}, "post", HQ_ONLY_POST | {"unit_a": 302}),
    ("deliverables:update", {"code": "2.2.1"}, "post", HQ_ONLY_POST | {"unit_a": 302}),
    ("deliverables:update", {"code": "3.1.1"}, "post", HQ_ONLY_POST),
    ("deliverables:detail", {"code": "3.1.1"}, "get", ALL),
    ("deliverables:list", {}, "get", ALL),
    ("deliverables:dashboard", {}, "get", READERS),
    # The status import assigns units in bulk too: unit focal points cannot reach it.
    ("spreadsheets:import_status", {}, "get", HQ_ONLY),
    ("spreadsheets:import_status_confirm", {}, "post", HQ_ONLY_POST),
    ("spreadsheets:import_template", {}, "get", HQ_ONLY),
]

POST_DATA = {
    "deliverables:update": {
        "version": "0",
        "status": "on_track",
        "as_of": "2022-05-01",
        "narrative": "",
        "evidence_links": "",
        "progress_value": "1",
    },
    "planning:round_open": {
        "name": "Mid-term review 2023",
        "opens_on": "2022-01-01",
        "cut_off": "2022-12-31",
        "updates_due": "2023-01-31",
        "examples_due": "2023-01-31",
    },
    "planning:milestone_new": {"new-title": "Draft", "new-due_on": "2023-03-01"},
    "planning:milestone_remove": {"version": "0"},
    "deliverables:units": {"lead_unit": "", "contributing_units": []},
}


@pytest.fixture
def objects(units, users):
    round = ReportingRound.objects.create(
        plan_id=Deliverable.objects.get(code="1.4.1").plan_id,
        name="Annual 2022",
        opens_on=datetime.date(2022, 1, 1),
        cut_off=datetime.date(2022, 12, 31),
        updates_due=datetime.date(2023, 1, 31),
        examples_due=datetime.date(2023, 1, 31),
        opened_by=users["hq"],
    )
    milestone = Milestone.objects.create(
        deliverable=Deliverable.objects.get(code="1.4.1"),
        title="Draft",
        due_on=datetime.date(2023, 1, 1),
        updated_by=users["hq"],
    )
    return {"round": round.pk, "milestone": milestone.pk}


@pytest.mark.parametrize(("name", "kwargs", "method", "expected"), MATRIX)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer(client, users, objects, name, kwargs, method, expected, role):
    if role != "anonymous":
        client.login(username=users[role].username, password=PASSWORD)
    kwargs = {key: objects.get(value, value) for key, value in kwargs.items()}
    url = reverse(name, kwargs=kwargs)
    response = client.post(url, POST_DATA.get(name, {})) if method == "post" else client.get(url)
    assert response.status_code == expected[role], (role, url, response.status_code)
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_a_unit_focal_point_records_an_update_of_its_own_deliverable(client, users, units):
    client.login(username="unit_a", password=PASSWORD)
    response = client.post(reverse("deliverables:update", args=["1.4.1"]), POST_DATA["deliverables:update"])
    assert response.status_code == 302
    update = StatusUpdate.objects.get(deliverable__code="1.4.1")
    assert (update.author, update.progress_value) == (users["unit_a"], 1)


def test_a_refused_update_of_another_units_deliverable_writes_nothing(client, users, units):
    client.login(username="unit_a", password=PASSWORD)
    data = POST_DATA["deliverables:update"] | {"progress_value": ""}
    assert client.post(reverse("deliverables:update", args=["3.1.1"]), data).status_code == 403
    assert not StatusUpdate.objects.filter(deliverable__code="3.1.1").exists()
    assert Deliverable.objects.get(code="3.1.1").version == 0


def test_the_update_form_shows_only_on_the_units_own_deliverables(client, users, units):
    client.login(username="unit_a", password=PASSWORD)
    own = client.get(reverse("deliverables:detail", args=["1.4.1"])).content.decode()
    other = client.get(reverse("deliverables:detail", args=["3.1.1"])).content.decode()
    assert "Record a status update" in own
    assert "Record a status update" not in other
    assert "Programming" in own  # the lead unit is shown


def test_the_rule_needs_a_headquarters_unit_and_the_role(users, units):
    from deliverables.models import Office, Profile

    d = Deliverable.objects.get(code="1.4.1")
    assert may_update_deliverable(users["unit_a"], d)
    assert not may_update_deliverable(users["unit_b"], d)
    assert may_update_deliverable(users["hq"], Deliverable.objects.get(code="3.1.1"))
    # A field office named as the lead does not make its field focal point a unit focal point.
    d.assign_units(lead_unit=Office.objects.get(code="CO-ABUJA"), contributing_units=[])
    assert not may_update_deliverable(users["focal_a"], d)
    # Nor does the role help a user whose profile is a field office.
    Profile.objects.filter(user=users["unit_a"]).update(office=Office.objects.get(code="CO-ABUJA"))
    users["unit_a"].refresh_from_db()
    assert not may_update_deliverable(users["unit_a"], d)


def test_a_unit_focal_point_lands_on_its_units_deliverables(client, users, units):
    client.login(username="unit_a", password=PASSWORD)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "1.4.1" in page and "2.2.1" in page and "3.1.1" not in page
