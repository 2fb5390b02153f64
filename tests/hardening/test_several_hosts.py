"""Several application hosts: an import previewed through one host is
confirmed through another, and old previews go away on their own."""

import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from examples.models import ProgressExample
from spreadsheets.models import ImportPreview
from tests.hardening.test_double_submissions import upload_preview

pytestmark = pytest.mark.django_db


def test_a_preview_made_on_one_host_is_confirmed_on_another(plan, users, settings, tmp_path):
    first, second = Client(), Client()
    first.force_login(users["hq"])
    second.force_login(users["hq"])
    settings.VAR_DIR = tmp_path / "host-a"
    token = upload_preview(first, "spreadsheets:import_examples_preview")
    assert not (tmp_path / "host-a").exists()  # nothing kept on the host's disk

    settings.VAR_DIR = tmp_path / "host-b"
    assert second.get(reverse("spreadsheets:import_examples_preview", args=[token])).status_code == 200
    response = second.post(reverse("spreadsheets:import_examples_confirm"), {"token": token})

    assert response.status_code == 302 and response["Location"] == reverse("examples:queue")
    assert ProgressExample.objects.count() == 1
    assert not ImportPreview.objects.exists()  # confirmed: gone


def test_expired_previews_are_never_shown_and_are_purged(plan, users, capsys):
    client = Client()
    client.force_login(users["hq"])
    token = upload_preview(client, "spreadsheets:import_examples_preview")
    fresh = upload_preview(client, "spreadsheets:import_examples_preview")
    ImportPreview.objects.filter(token=token).update(created_at=timezone.now() - datetime.timedelta(hours=2))

    assert client.get(reverse("spreadsheets:import_examples_preview", args=[token])).status_code == 404
    call_command("purge_expired")

    assert "Purged 1 previews" in capsys.readouterr().out
    assert list(ImportPreview.objects.values_list("token", flat=True)) == [fresh]
