"""Who may reach which page: every URL pattern of the site × every role, as data.

One row per URL pattern and method, or more where the answer depends on the
object (an example in another state, an export in another format). Adding a
URL means adding a row: `test_every_url_pattern_has_a_row` fails until it has one.

Besides the status code, every request is checked for what it wrote: a request
refused, or one that only reads, changes none of the watched tables; one that
succeeds (a signed-in role sent on with 302) adds exactly the rows in `WRITES`.
"""

import datetime
from typing import NamedTuple

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse

from deliverables.models import Deliverable, StatusUpdate
from examples.models import ExampleAttachment, ExampleTransition, ProgressExample
from planning.models import Milestone, ReportingRound
from renders.models import ReviewRender
from reporting.checks import review_checks
from reporting.models import IssuedReview, SectionRevision
from spreadsheets.plan_texts import text_checksum
from tests.examples.example_data import make_examples_with_attachments
from tests.factories import PASSWORD
from tests.reporting.helpers import make_issued_review
from tests.spreadsheets.spreadsheet_data import csv_upload

ROLES = ["anonymous", "focal_a", "focal_b", "manager", "hq", "superuser"]
LOGIN = "log-in"  # a 302 to the log-in page


class Row(NamedTuple):
    name: str
    method: str
    target: str | None  # what the URL points at: see `url_for`
    anonymous: int | str
    focal_a: int
    focal_b: int
    manager: int
    hq: int
    superuser: int


# Examples ("draft", "submitted", "approved") are office A's, focal_a's; another
# office's example answers 404, not 403, so that its existence is not revealed.
# A preview ("hq's preview") belongs to the hq user who uploaded the file.
# Columns: URL name, method, target, then the answer for each of ROLES in order.
# fmt: off
MATRIX = [
    Row("home",                                  "get", None,             LOGIN, 302, 302, 200, 200, 200),
    Row("deliverables:dashboard",                "get", None,             LOGIN, 403, 403, 200, 200, 200),
    Row("deliverables:list",                     "get", None,             LOGIN, 200, 200, 200, 200, 200),
    Row("deliverables:detail",                   "get", "1.4.1",          LOGIN, 200, 200, 200, 200, 200),
    Row("deliverables:update",                   "post", "1.4.1",          LOGIN, 403, 403, 403, 302, 302),
    Row("deliverables:update",                   "get", "1.4.1",          405,   405, 405, 405, 405, 405),
    Row("deliverables:units",                    "post", "1.4.1",          LOGIN, 403, 403, 403, 302, 302),

    Row("examples:list",                         "get", None,             LOGIN, 200, 200, 403, 403, 200),
    Row("examples:new",                          "get", None,             LOGIN, 200, 200, 403, 403, 200),
    Row("examples:new",                          "post", None,             LOGIN, 302, 302, 403, 403, 302),
    Row("examples:detail",                       "get", "submitted",      LOGIN, 200, 404, 200, 200, 200),
    Row("examples:detail",                       "get", "draft",          LOGIN, 200, 404, 200, 200, 200),
    Row("examples:edit",                         "get", "draft",          LOGIN, 200, 404, 403, 403, 200),
    Row("examples:edit",                         "post", "draft",          LOGIN, 302, 404, 403, 403, 302),
    Row("examples:edit",                         "post", "approved",       LOGIN, 409, 404, 403, 403, 302),
    Row("examples:submit",                       "post", "draft",          LOGIN, 302, 404, 403, 403, 302),
    Row("examples:submit",                       "get", "draft",          405,   405, 405, 405, 405, 405),
    Row("examples:review",                       "post", "submitted",      LOGIN, 403, 403, 403, 302, 302),
    Row("examples:review",                       "get", "submitted",      405,   405, 405, 405, 405, 405),
    Row("examples:attachment",                   "get", "submitted",      LOGIN, 200, 404, 200, 200, 200),
    Row("examples:attachment",                   "get", "draft",          LOGIN, 200, 404, 200, 200, 200),
    Row("examples:queue",                        "get", None,             LOGIN, 403, 403, 200, 200, 200),
    Row("examples:coverage",                     "get", None,             LOGIN, 403, 403, 200, 200, 200),
    Row("examples:coverage",                     "get", "?region=AFRICA", LOGIN, 403, 403, 200, 200, 200),

    Row("spreadsheets:export_deliverables",      "get", "?format=csv",    LOGIN, 200, 200, 200, 200, 200),
    Row("spreadsheets:export_deliverables",      "get", "?format=xlsx",   LOGIN, 200, 200, 200, 200, 200),
    Row("spreadsheets:export_history",           "get", "?format=csv",    LOGIN, 200, 200, 200, 200, 200),
    Row("spreadsheets:export_history",           "get", "?format=xlsx",   LOGIN, 200, 200, 200, 200, 200),
    Row("spreadsheets:export_examples",          "get", "?format=csv",    LOGIN, 200, 200, 200, 200, 200),
    Row("spreadsheets:export_examples",          "get", "?format=xlsx",   LOGIN, 200, 200, 200, 200, 200),
    Row("spreadsheets:import_status",            "get", None,             LOGIN, 403, 403, 403, 200, 200),
    Row("spreadsheets:import_status",            "post", None,             LOGIN, 403, 403, 403, 400, 400),
    Row("spreadsheets:import_status_preview",    "get", "hq's preview",   LOGIN, 403, 403, 403, 200, 404),
    Row("spreadsheets:import_status_confirm",    "post", None,             LOGIN, 403, 403, 403, 302, 302),
    Row("spreadsheets:import_status_confirm",    "get", None,             405,   405, 405, 405, 405, 405),
    Row("spreadsheets:import_template",          "get", None,             LOGIN, 403, 403, 403, 200, 200),
    Row("spreadsheets:import_examples",          "get", None,             LOGIN, 403, 403, 403, 200, 200),
    Row("spreadsheets:import_examples",          "post", None,             LOGIN, 403, 403, 403, 400, 400),
    Row("spreadsheets:import_examples_preview",  "get", "hq's preview",   LOGIN, 403, 403, 403, 200, 404),
    Row("spreadsheets:import_examples_confirm",  "post", None,             LOGIN, 403, 403, 403, 302, 302),
    Row("spreadsheets:import_examples_confirm",  "get", None,             405,   405, 405, 405, 405, 405),
    Row("spreadsheets:import_examples_template", "get", None,             LOGIN, 403, 403, 403, 200, 200),
    Row("spreadsheets:export_plan_texts",        "get", "?format=xlsx",   LOGIN, 403, 403, 403, 200, 200),
    Row("spreadsheets:export_plan_texts",        "get", "?format=csv",    LOGIN, 403, 403, 403, 200, 200),
    Row("spreadsheets:import_plan_texts",        "get", None,             LOGIN, 403, 403, 403, 200, 200),
    Row("spreadsheets:import_plan_texts",        "post", None,             LOGIN, 403, 403, 403, 400, 400),
    Row("spreadsheets:import_plan_texts_preview", "get", "hq's preview",  LOGIN, 403, 403, 403, 200, 404),
    Row("spreadsheets:import_plan_texts_confirm", "post", None,            LOGIN, 403, 403, 403, 302, 302),
    Row("spreadsheets:import_plan_texts_confirm", "get", None,             405,   405, 405, 405, 405, 405),

    # Unit focal points (their row-level rule) have their own matrix: tests/planning/test_access.py.
    Row("planning:timeline",                     "get", None,             LOGIN, 200, 200, 200, 200, 200),
    Row("planning:timeline_pdf",                 "get", None,             LOGIN, 200, 200, 200, 200, 200),
    Row("planning:rounds",                       "get", None,             LOGIN, 403, 403, 200, 200, 200),
    Row("planning:round_open",                   "post", None,             LOGIN, 403, 403, 403, 302, 302),
    Row("planning:round",                        "get", "round",          LOGIN, 403, 403, 200, 200, 200),
    Row("planning:round_close",                  "post", "round",          LOGIN, 403, 403, 403, 302, 302),
    Row("planning:milestone_new",                "post", "1.4.1",          LOGIN, 403, 403, 403, 302, 302),
    Row("planning:milestone_edit",               "get", "milestone",      LOGIN, 403, 403, 403, 200, 200),
    Row("planning:milestone_edit",               "post", "milestone",      LOGIN, 403, 403, 403, 302, 302),
    Row("planning:milestone_remove",             "post", "milestone",      LOGIN, 403, 403, 403, 302, 302),
    Row("planning:my_reminders",                 "get", None,             LOGIN, 200, 200, 200, 200, 200),

    Row("reporting:index",                       "get", None,             302,   302, 302, 302, 302, 302),
    Row("reporting:preview",                     "get", None,             LOGIN, 403, 403, 200, 200, 200),
    Row("reporting:download",                    "get", None,             LOGIN, 403, 403, 200, 200, 200),
    Row("reporting:issue",                       "post", None,             LOGIN, 403, 403, 302, 403, 302),
    Row("reporting:issue",                       "get", None,             405,   405, 405, 405, 405, 405),
    Row("reporting:issued",                      "get", None,             LOGIN, 403, 403, 200, 200, 200),
    Row("reporting:issued_download",             "get", "issued",         LOGIN, 403, 403, 200, 200, 200),
    Row("reporting:draft",                       "get", "cut-off",        LOGIN, 403, 403, 200, 200, 200),
    Row("reporting:draft",                       "post", "cut-off",        405,   405, 405, 405, 405, 405),
    Row("reporting:draft_section",               "get", "section",        LOGIN, 403, 403, 200, 200, 200),
    Row("reporting:draft_section",               "post", "section",        LOGIN, 403, 403, 302, 302, 302),
    Row("reporting:draft_translation",           "get", "cut-off fr",     LOGIN, 403, 403, 200, 200, 200),
    Row("reporting:draft_translation",           "post", "cut-off fr",     405,   405, 405, 405, 405, 405),
    Row("reporting:draft_section_translation",   "get", "section es",     LOGIN, 403, 403, 200, 200, 200),
    Row("reporting:draft_section_translation",   "post", "section es",     LOGIN, 403, 403, 302, 302, 302),
    Row("renders:start",                         "post", None,             LOGIN, 403, 403, 302, 302, 302),
    Row("renders:start",                         "get", None,             405,   405, 405, 405, 405, 405),
    Row("renders:detail",                        "get", "render",         LOGIN, 403, 403, 200, 200, 200),
    Row("renders:download",                      "get", "render",         LOGIN, 403, 403, 200, 200, 200),
]
# fmt: on

# What a successful POST adds, one row per model, by URL name or by (name, target);
# a preview-confirm with a token that names no preview is sent back to the upload
# page having added nothing.
WRITES = {
    "deliverables:update": [StatusUpdate],
    "examples:new": [ProgressExample, ExampleTransition],
    ("examples:edit", "approved"): [ExampleTransition],  # a superuser's edit after review is logged
    "examples:submit": [ExampleTransition],
    "examples:review": [ExampleTransition],
    "reporting:issue": [IssuedReview],
    "reporting:draft_section": [SectionRevision],
    "reporting:draft_section_translation": [SectionRevision],
    "planning:round_open": [ReportingRound],
    "planning:milestone_new": [Milestone],
}
# Milestones are watched through their versions, not their number: removing one is a success too.
WATCHED = [
    StatusUpdate,
    ProgressExample,
    ExampleTransition,
    ExampleAttachment,
    IssuedReview,
    SectionRevision,
    ReportingRound,
]
CUT_OFF = datetime.date(2022, 12, 31)  # the default cut-off of the review pages
SECTION = "area2_challenges"

# Each preview page: its upload page, and the one good row (column: value) of a
# file to upload there.
PREVIEWS = {
    "spreadsheets:import_status_preview": (
        "spreadsheets:import_status",
        {
            "deliverable_code": "1.4.1",
            "status": "at_risk",
            "progress": "3",
            "narrative": "Late",
            "evidence_links": "",
            "as_of": "2022-06-30",
        },
    ),
    "spreadsheets:import_examples_preview": (
        "spreadsheets:import_examples",
        {
            "office_code": "CO-ABUJA",
            "title": "Social dialogue on the minimum wage",
            "countries": "NG",
            "started_on": "2022-03-01",
            "ended_on": "",
            "what_was_done": "Three tripartite meetings.",
            "results": "A minimum wage agreement.",
            "government": "yes",
            "employers": "no",
            "workers": "no",
            "partners": "",
            "south_south": "no",
            "deliverable_codes": "1.1.1",
            "may_be_cited": "no",
        },
    ),
    "spreadsheets:import_plan_texts_preview": (
        "spreadsheets:import_plan_texts",
        {
            "kind": "region",
            "code": "AFRICA",
            "field": "name",
            "english": "Africa",
            "french": "Afrique",
            "spanish": "",
            "translation_note": "",
            "checksum": text_checksum("Africa", "", "", ""),
        },
    ),
}

# Plumbing with tests of its own, and what Django itself serves.
NOT_IN_THE_MATRIX = {"login", "logout", "healthz", "livez"}
NOT_IN_THE_MATRIX_PREFIXES = ("admin/", "i18n/", settings.STATIC_URL.lstrip("/"))


@pytest.fixture(autouse=True)
def files_in_tmp(settings, tmp_path):
    """Uploads and import previews go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path


class Objects:
    """What the rows' URLs point at, made when a row first needs it."""

    def __init__(self, plan, users):
        self.plan, self.users = plan, users
        self._made = {}

    def get(self, what: str):
        if what not in self._made:
            self._made[what] = getattr(self, "_make_" + what)()
        return self._made[what]

    def _make_examples(self) -> dict[str, ProgressExample]:
        return make_examples_with_attachments(self.users["focal_a"], reviewer=self.users["hq"])

    def _make_round(self) -> ReportingRound:
        return ReportingRound.objects.create(
            plan=self.plan,
            name="Annual 2022",
            opens_on="2022-01-01",
            cut_off="2022-12-31",
            updates_due="2023-01-31",
            examples_due="2023-01-31",
            opened_by=self.users["hq"],
        )

    def _make_milestone(self) -> Milestone:
        return Milestone.objects.create(
            deliverable=Deliverable.objects.get(code="1.4.1"),
            title="Draft",
            due_on="2023-01-01",
            updated_by=self.users["hq"],
        )

    def _make_issued(self) -> IssuedReview:
        return make_issued_review(self.plan, self.users["manager"])

    def _make_render(self) -> ReviewRender:
        return ReviewRender.objects.create(
            key="0" * 64,
            plan=self.plan,
            as_of="2022-12-31",
            language="en",
            cover={"symbol": "GB.347/POL/3"},
            state=ReviewRender.State.READY,
            pdf=b"%PDF-1.7",
            requested_by=self.users["manager"],
        )

    def preview_token(self, name: str) -> str:
        """hq uploads a file of one good row; the token of the preview it is sent to."""
        upload_page, row = PREVIEWS[name]
        hq = Client()
        hq.force_login(self.users["hq"])
        response = hq.post(reverse(upload_page), {"file": csv_upload([list(row), list(row.values())])})
        assert response.status_code == 302, response.content.decode()
        return resolve(response["Location"]).kwargs["token"]


def url_for(row: Row, objects: Objects) -> str:
    target = row.target
    if target is None:
        return reverse(row.name)
    if target.startswith("?"):
        return reverse(row.name) + target
    if target in ("issued", "render"):
        return reverse(row.name, args=[objects.get(target).pk])
    if target == "cut-off":
        return reverse(row.name, args=[CUT_OFF])
    if target == "section":
        return reverse(row.name, args=[CUT_OFF, SECTION])
    if target.startswith("cut-off "):
        return reverse(row.name, args=[CUT_OFF, target.removeprefix("cut-off ")])
    if target.startswith("section "):
        return reverse(row.name, args=[CUT_OFF, target.removeprefix("section "), SECTION])
    if target == "hq's preview":
        return reverse(row.name, args=[objects.preview_token(row.name)])
    if row.name.startswith("deliverables:") or row.name == "planning:milestone_new":
        return reverse(row.name, args=[target])
    if target in ("round", "milestone"):
        return reverse(row.name, args=[objects.get(target).pk])
    example = objects.get("examples")[target]
    if row.name == "examples:attachment":
        return reverse(row.name, args=[example.pk, example.attachments.get().pk])
    return reverse(row.name, args=[example.pk])


def post_data(row: Row, role: str, objects: Objects) -> dict:
    if row.name == "deliverables:update":
        return {
            "version": "0",
            "status": "on_track",
            "progress_value": "3",
            "as_of": "2022-05-01",
            "narrative": "",
            "evidence_links": "",
        }
    if row.name == "examples:review":
        return {"decision": "approve"}
    if row.name == "planning:round_open":
        return {
            "name": "Mid-term review 2023",
            "opens_on": "2022-01-01",
            "cut_off": "2022-12-31",
            "updates_due": "2023-01-31",
            "examples_due": "2023-01-31",
        }
    if row.name == "planning:milestone_new":
        return {"new-title": "Draft", "new-due_on": "2023-03-01"}
    if row.name == "planning:milestone_edit":
        return {"version": "0", "title": "Draft v2", "due_on": "2023-04-01"}
    if row.name == "planning:milestone_remove":
        return {"version": "0"}
    if row.name == "deliverables:units":
        return {"lead_unit": "", "contributing_units": []}
    if row.name.startswith("examples:"):
        data = {
            "title": "Posted title",
            "action": "save",
            "countries": ["NG"],
            "started_on": "2022-01-01",
            "what_was_done": "Done",
            "results": "Achieved",
            "involves_workers": "on",
            "deliverables": [Deliverable.objects.get(code="1.1.1").pk],
        }
        if row.target is not None:
            data["version"] = objects.get("examples")[row.target].version
        if role == "superuser" and row.name == "examples:new":
            data["office"] = objects.users["focal_a"].profile.office_id
        return data
    if row.name == "reporting:issue":
        # Issuing needs every warning of the checks acknowledged, and the preview page's one-time token.
        return {
            "as_of": CUT_OFF.isoformat(),
            "acknowledge": [c.key for c in review_checks(objects.plan, CUT_OFF)],
            "once": "access-matrix-issue-form",
        }
    if row.name == "reporting:draft_section":
        return {"text": "Written.", "version": "0"}
    if row.name == "reporting:draft_section_translation":
        return {"text": "Escrito.", "version": "0", "source_version": "0"}
    return {"token": "x"}


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in WATCHED}


def case_id(row: Row) -> str:
    return f"{row.method} {row.name}" + (f" {row.target}" if row.target else "")


@pytest.mark.parametrize("row", MATRIX, ids=case_id)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer(client, plan, users, row, role):
    objects = Objects(plan, users)
    url = url_for(row, objects)
    before = counts()
    if role != "anonymous":
        assert client.login(username=users[role].username, password=PASSWORD)
    if row.method == "post":
        response = client.post(url, post_data(row, role, objects))
    else:
        response = client.get(url)

    expected = getattr(row, role)
    if expected == LOGIN:
        assert response.status_code == 302, (role, url, response.status_code)
        assert response["Location"].startswith(reverse("login")), response["Location"]
    else:
        assert response.status_code == expected, (role, url, response.status_code)
    succeeded = role != "anonymous" and row.method == "post" and response.status_code == 302
    added = WRITES.get((row.name, row.target), WRITES.get(row.name, [])) if succeeded else []
    assert counts() == {name: n + (name in {m.__name__ for m in added}) for name, n in before.items()}


def url_patterns(patterns=None, namespace: str = "", prefix: str = ""):
    """(route, name) of every URL pattern, includes followed, Django's own left out."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(NOT_IN_THE_MATRIX_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, inner, route)
        elif pattern.name not in NOT_IN_THE_MATRIX:
            yield route, f"{namespace}{pattern.name}" if pattern.name else None


def test_every_url_pattern_has_a_row():
    found = dict(url_patterns())
    assert "deliverables/<str:code>/update/" in found  # the walk reaches into includes
    assert found["reports/midterm/issued/<int:pk>/pdf/"] == "reporting:issued_download"
    in_matrix = {row.name for row in MATRIX}
    assert [route for route, name in found.items() if name not in in_matrix] == []
    assert in_matrix - set(found.values()) == set()
