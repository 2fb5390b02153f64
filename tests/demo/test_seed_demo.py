"""`seed_demo` builds the demo from an empty database and is idempotent."""

import io

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


@pytest.mark.django_db
def test_seed_demo_gives_focus_area_1_unofficial_french_and_spanish_texts_and_no_other():
    from deliverables.models import Deliverable, FocusArea
    from demo.translations import DEMO_NOTE
    from reporting.house_style import languages_available

    call_command("seed_demo", stdout=io.StringIO())
    area = FocusArea.objects.get(number=1)
    assert area.text_in("title", "fr") == ("Services aux mandants", "fr")
    translated = Deliverable.objects.exclude(text_fr="")
    assert set(translated.values_list("code", flat=True)) == {
        d.code for d in Deliverable.objects.filter(action__focus_area=area)
    }
    assert all(d.translation_note == DEMO_NOTE and d.text_es for d in translated)
    assert Deliverable.objects.get(code="1.4.1").text_in("target_unit", "es") == ("alianzas", "es")
    # Focus area 2 stays English: the French review is refused, naming what is missing.
    assert Deliverable.objects.get(code="2.1.1").text_in("text", "fr")[1] == "en"
    missing = languages_available(area.plan)["fr"]
    assert "Focus area 2: title" in missing and "Deliverable 1.4.1: text" not in missing


@pytest.mark.django_db
def test_the_demo_milestones_of_achieved_deliverables_are_done_and_others_have_some_overdue():
    from django.utils import timezone

    from planning.models import Milestone

    call_command("seed_demo", verbosity=0)
    today = timezone.localdate()
    assert Deliverable.objects.get(code="1.4.1").status == "achieved"
    achieved = Milestone.objects.filter(deliverable__status="achieved")
    assert achieved.exists()
    assert not achieved.filter(done_on__isnull=True).exists()
    assert not achieved.filter(done_on__gt=today).exists()
    overdue = Milestone.objects.overdue(today)
    assert not overdue.filter(deliverable__code="1.4.1").exists()
    assert overdue.exclude(deliverable__status="achieved").count() >= 3
