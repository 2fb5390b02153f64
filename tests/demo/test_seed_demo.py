"""`seed_demo` builds the demo from an empty database and is idempotent."""

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command

from deliverables.models import Deliverable, Plan, StatusUpdate


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"auth", "deliverables", "reporting"}
    }


@pytest.mark.django_db
def test_seed_demo_loads_the_plan_users_and_a_history_and_running_it_twice_changes_nothing():
    call_command("seed_demo", verbosity=0)
    assert Plan.objects.filter(symbol="GB.341/POL/4").exists()
    assert set(User.objects.values_list("username", flat=True)) >= {"admin", "pardev", "manager", "focal"}
    assert User.objects.get(username="pardev").check_password("demo")
    assert User.objects.get(username="admin").is_superuser
    assert StatusUpdate.objects.count() > Deliverable.objects.count()
    assert Deliverable.objects.filter(status="achieved").exists()
    first = row_counts()
    statuses = list(Deliverable.objects.order_by("pk").values_list("status", "version"))

    call_command("seed_demo", verbosity=0)
    assert row_counts() == first
    assert list(Deliverable.objects.order_by("pk").values_list("status", "version")) == statuses


@pytest.mark.django_db
def test_demo_roles_can_do_what_their_role_says():
    call_command("seed_demo", verbosity=0)
    assert User.objects.get(username="pardev").has_perm("deliverables.add_statusupdate")
    assert not User.objects.get(username="manager").has_perm("deliverables.add_statusupdate")
    assert User.objects.get(username="manager").has_perm("deliverables.view_dashboard")
    focal = User.objects.get(username="focal")
    assert not focal.has_perm("deliverables.add_statusupdate")
    assert focal.profile.office.kind != "hq"
