"""Inputs the database would refuse, sent everywhere: never a server error.

Every URL pattern of the site (the admin's included) is requested by every
role with a NUL character in its path, in its query string and in posted
form values, and with over-long query and form values. PostgreSQL refuses a
NUL in text with DataError and over-long values in bounded columns; the
answer must be a 400 (or the usual 302/403/404/405), never ≥ 500."""

import re
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dcplan.middleware import MAX_QUERY_STRING_LENGTH, MAX_QUERY_VALUE_LENGTH
from deliverables.models import StatusUpdate
from examples.models import ProgressExample
from reporting.forms import CoverForm
from reporting.models import IssuedReview
from tests.examples.example_data import make_examples_with_attachments
from tests.reporting.helpers import make_issued_review

ROLES = ["anonymous", "focal_a", "focal_b", "manager", "hq", "superuser"]
NUL = "\x00"
LONG = "x" * 10_000
# Field names the site's forms use: each posted with a NUL, then over-long.
FORM_FIELDS = [
    "username", "password", "token", "once", "version", "status", "progress_value", "as_of", "narrative",
    "evidence_links", "title", "countries", "started_on", "ended_on", "what_was_done", "results",
    "partners", "decision", "comment", "symbol", "cover_title", "office", "deliverables", "action",
    "q", "language", "next",
]  # fmt: skip


@pytest.fixture(autouse=True)
def files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _sample(group: str, body: str) -> str:
    """A value for a regex pattern's named group: the first literal choice, or a number."""
    choices = re.fullmatch(r"[\w.-]+(\|[\w.-]+)*", body)
    if choices:
        return body.split("|")[0]
    return "1"


def _regex_route(regex: str) -> str:
    route = regex.lstrip("^").rstrip("$").replace("\\Z", "")

    def named(match):
        return _sample(match.group(1), match.group(2))

    route = re.sub(r"\(\?P<(\w+)>((?:[^()]|\([^()]*\))*)\)", named, route)
    return route.replace("\\", "")


def concrete_routes(patterns=None, prefix: str = "") -> list[str]:
    """One concrete path for every URL pattern of the site; <str> and similar
    parts are filled with "1.4.1", <int> with 1."""
    paths = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        raw = str(pattern.pattern)
        if hasattr(pattern.pattern, "converters"):
            part = re.sub(r"<int:\w+>", "1", raw)
            part = re.sub(r"<(?:\w+:)?\w+>", "1.4.1", part)
        else:
            part = _regex_route(raw)
        if isinstance(pattern, URLResolver):
            paths += concrete_routes(pattern.url_patterns, prefix + part)
        elif isinstance(pattern, URLPattern):
            paths.append("/" + prefix + part)
    return sorted(set(paths))


def with_nul_in_path(path: str) -> str:
    parts = path.rstrip("/").split("/")
    parts[-1] = (parts[-1] or "x") + "%00"
    return "/".join(parts) + "/"


def test_the_walk_reaches_every_kind_of_url():
    routes = concrete_routes()
    assert "/deliverables/1.4.1/update/" in routes
    assert "/reports/midterm/issued/1/pdf/" in routes
    assert "/admin/deliverables/deliverable/1.4.1/change/" in routes
    assert len(routes) > 100


def signed_in(users, role: str) -> Client:
    client = Client(raise_request_exception=False)  # a server error is an answer to count
    if role != "anonymous":
        client.force_login(users[role])
    return client


def writes() -> tuple[int, ...]:
    return (StatusUpdate.objects.count(), ProgressExample.objects.count(), IssuedReview.objects.count())


@pytest.mark.parametrize("role", ROLES)
def test_nul_bytes_and_over_long_values_never_answer_a_server_error(plan, users, role):
    make_examples_with_attachments(users["focal_a"], reviewer=users["hq"])
    make_issued_review(plan, users["manager"])
    before = writes()
    failures = []
    for route in concrete_routes():
        client = signed_in(users, role)
        requests = [
            ("get", with_nul_in_path(route), None),
            ("get", route + "?q=%00&page=1%00&region=1%00&format=csv%00", None),
            ("get", route + "?q=" + "x" * (MAX_QUERY_VALUE_LENGTH + 1), None),
            ("post", route, {name: f"a{NUL}b" for name in FORM_FIELDS}),
            ("post", with_nul_in_path(route), {"token": "x"}),
            ("post", route, {name: LONG for name in FORM_FIELDS}),
        ]
        for method, url, data in requests:
            response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
            if response.status_code >= 500:
                failures.append((role, method, url[:120], response.status_code))
    assert failures == []
    assert writes() == before  # nothing hostile was stored


@pytest.mark.parametrize(
    "url",
    ["/deliverables/1.4.1%00/", "/coverage/?region=1%00", "/review/?q=%00", "/deliverables/?status=%00"],
)
def test_a_nul_byte_in_the_address_is_a_bad_request_with_a_reason(client, users, url):
    client.force_login(users["hq"])
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_a_status_update_posted_with_a_nul_byte_is_refused_and_not_recorded(client, users):
    client.force_login(users["hq"])
    response = client.post(
        reverse("deliverables:update", args=["1.4.1"]),
        {"version": "0", "status": "on_track", "as_of": "2022-05-01", "narrative": f"late{NUL}"},
    )
    assert response.status_code == 400 and "NUL character" in response.content.decode()
    assert not StatusUpdate.objects.exists()


def test_an_over_long_query_value_is_a_bad_request_naming_the_parameter(client, users):
    client.force_login(users["hq"])
    response = client.get(reverse("deliverables:list"), {"narrative": "x" * (MAX_QUERY_VALUE_LENGTH + 1)})
    assert response.status_code == 400
    assert "“narrative”" in response.content.decode() and "2,000" in response.content.decode()
    assert client.get(reverse("deliverables:list"), {"q": "x" * MAX_QUERY_VALUE_LENGTH}).status_code == 200


def test_a_sign_in_with_a_256_character_user_name_is_an_ordinary_counted_failure(client, users, settings):
    settings.AXES_ENABLED = True
    name = "u" * 256
    response = client.post(reverse("login"), {"username": name, "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.failures_since_start) == (name[:255], 1)


def test_the_longest_review_cover_in_three_byte_characters_passes_and_a_longer_address_is_refused(
    client, users
):
    client.force_login(users["manager"])
    longest = {
        name: "€" * field.max_length
        for name, field in CoverForm.base_fields.items()
        if getattr(field, "max_length", None)
    }
    query = urlencode(longest)
    assert len(query) <= MAX_QUERY_STRING_LENGTH
    response = client.get(reverse("reporting:preview") + "?" + query)
    assert response.status_code in (200, 400) and "longer than" not in response.content.decode()
    too_long = client.get(reverse("reporting:preview") + "?" + query + "&x=" + "%E2%82%AC" * 2000)
    assert too_long.status_code == 400 and "longer than" in too_long.content.decode()
