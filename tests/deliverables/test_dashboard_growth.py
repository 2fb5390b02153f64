"""The dashboard shows what a reader can take in — the targets furthest behind,
the figures counted in SQL — so its page stays the same size as the plan grows."""

import re

import pytest
from django.urls import reverse

from deliverables.models import Deliverable, Status
from deliverables.selectors import DASHBOARD_TARGETS
from tests.factories import PASSWORD, grow_plan, record

pytestmark = pytest.mark.django_db


def target_rows(page: str) -> list[str]:
    section = page.split('id="targets"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<td class="code"><a href="/deliverables/([^/]+)/">', section)


def test_the_dashboard_lists_the_targets_furthest_behind_and_counts_all_of_them(client, plan, users):
    record(Deliverable.objects.get(code="1.4.1"), users["hq"], Status.ACHIEVED, progress=10)
    record(Deliverable.objects.get(code="1.4.3"), users["hq"], Status.ON_TRACK, progress=15)
    record(Deliverable.objects.get(code="2.2.1"), users["hq"], Status.ON_TRACK, progress=1)
    client.login(username="hq", password=PASSWORD)
    page = client.get(reverse("home")).content.decode()
    # 1.4.1 reached its target; the others by share reached, untouched ones first.
    assert target_rows(page) == ["3.1.1", "3.1.2", "3.3.1", "2.2.1", "1.4.3"]
    assert "1 of 6 reached" in page


def test_the_dashboard_page_does_not_grow_with_100_times_the_targets(client, plan, users):
    client.login(username="hq", password=PASSWORD)
    small = client.get(reverse("home")).content
    grow_plan(plan, users["hq"], factor=100, updates_per_deliverable=3)
    large = client.get(reverse("home")).content.decode()
    total = Deliverable.objects.filter(target_value__isnull=False).count()
    assert total > 600
    assert len(target_rows(large)) == DASHBOARD_TARGETS
    assert f"of {total} reached" in large
    assert len(large) < len(small) * 1.5
