"""Issued reviews are a record: the admin shows them and changes nothing;
the roles get the reporting permissions from a migration."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from dcplan import access
from reporting.models import IssuedReview
from tests.factories import PASSWORD

STORED = b"%PDF-1.7 the issued bytes"


@pytest.fixture
def issued(plan, users):
    review = IssuedReview.build(
        plan=plan,
        as_of=datetime.date(2022, 12, 31),
        cover={"symbol": "GB.347/POL/3"},
        pdf=STORED,
        issued_by=users["manager"],
    )
    review.save()
    return review


@pytest.fixture
def admin_client(client, users):
    client.login(username=users["superuser"].username, password=PASSWORD)
    return client


def test_the_admin_lists_issued_reviews(admin_client, issued):
    page = admin_client.get(reverse("admin:reporting_issuedreview_changelist")).content.decode()
    assert issued.sha256 in page
    assert "Add issued review" not in page


def test_the_admin_shows_an_issued_review_read_only(admin_client, issued):
    page = admin_client.get(reverse("admin:reporting_issuedreview_change", args=[issued.pk])).content.decode()
    assert issued.sha256 in page
    assert 'name="_save"' not in page
    assert "Delete" not in page


def test_the_admin_cannot_change_add_or_delete_an_issued_review(admin_client, issued):
    change = reverse("admin:reporting_issuedreview_change", args=[issued.pk])
    assert admin_client.post(change, {"symbol": "GB.999/POL/9", "as_of": "2021-01-01"}).status_code == 403
    assert (
        admin_client.post(
            reverse("admin:reporting_issuedreview_delete", args=[issued.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert admin_client.get(reverse("admin:reporting_issuedreview_add")).status_code == 403
    bulk = admin_client.post(
        reverse("admin:reporting_issuedreview_changelist"),
        {"action": "delete_selected", "_selected_action": [issued.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    issued.refresh_from_db()
    assert (issued.symbol, bytes(issued.pdf)) == ("GB.347/POL/3", STORED)


def test_only_view_permissions_exist_for_issued_reviews_and_drafts(db):
    from django.contrib.auth.models import Permission

    codenames = set(
        Permission.objects.filter(content_type__app_label="reporting").values_list("codename", flat=True)
    )
    assert codenames == {
        "view_issuedreview",
        "view_review",
        "issue_review",
        "draft_review",
        "view_reviewdraft",
        "view_draftsection",
        "view_sectionrevision",
    }


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        (access.HQ_STAFF, {"view_review", "view_issuedreview", "draft_review"}),
        (access.MANAGERS, {"view_review", "view_issuedreview", "issue_review", "draft_review"}),
        (access.FOCAL_POINTS, set()),
    ],
)
def test_the_roles_get_the_reporting_permissions(db, group, expected):
    granted = set(
        Group.objects.get(name=group)
        .permissions.filter(content_type__app_label="reporting")
        .values_list("codename", flat=True)
    )
    assert granted == expected
