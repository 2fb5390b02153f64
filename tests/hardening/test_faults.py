"""Faults: a full upload disk is a message, a database outage is a short page
and one log line."""

import errno
import logging
from unittest import mock

import pytest
from django.core.files.storage import FileSystemStorage
from django.db import OperationalError
from django.urls import reverse

from examples.models import ExampleAttachment, ProgressExample
from tests.examples.example_data import make_example, pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def files_under(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def full_disk(monkeypatch):
    """Storage that writes half of each file, then finds the disk full."""
    real_save = FileSystemStorage._save

    class HalfFile:
        def __init__(self, content):
            self.content = content

        def chunks(self, chunk_size=None):
            data = self.content.read()
            yield data[: len(data) // 2]
            raise OSError(errno.ENOSPC, "No space left on device")

    def save(storage, name, content):
        return real_save(storage, name, HalfFile(content))

    monkeypatch.setattr(FileSystemStorage, "_save", save)


def test_a_full_disk_keeps_the_typed_draft_says_so_and_leaves_no_file(client, users, media, full_disk):
    client.force_login(users["focal_a"])
    example = make_example(users["focal_a"])
    data = {
        "title": "Typed while the disk was full",
        "version": example.version,
        "action": "save",
        "deliverables": [d.pk for d in example.deliverables.all()],
        "new_attachments": [upload("evidence.pdf", pdf_bytes())],
    }

    response = client.post(reverse("examples:edit", args=[example.pk]), data)

    assert response.status_code == 503
    page = response.content.decode()
    assert "could not be stored" in page and "evidence.pdf" in page
    assert 'value="Typed while the disk was full"' in page  # the typed text is on the page again
    example.refresh_from_db()
    assert example.title != "Typed while the disk was full"  # nothing half-saved
    assert not ExampleAttachment.objects.exists()
    assert files_under(media) == []  # the partial file is gone


def test_a_new_example_on_a_full_disk_is_not_created_and_leaves_no_file(client, users, media, full_disk):
    client.force_login(users["focal_a"])
    before = ProgressExample.objects.count()
    data = {
        "title": "New on a full disk",
        "action": "save",
        "countries": ["NG"],
        "deliverables": [],
        "new_attachments": [upload("evidence.pdf", pdf_bytes())],
    }
    response = client.post(reverse("examples:new"), data)
    assert response.status_code == 503 and "could not be stored" in response.content.decode()
    assert 'value="New on a full disk"' in response.content.decode()
    assert ProgressExample.objects.count() == before and files_under(media) == []


def test_healthz_reports_uploads_that_cannot_be_written(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "not-a-directory"
    settings.MEDIA_ROOT.write_text("a file where the directory should be")
    response = client.get("/healthz")
    assert response.status_code == 200  # the site still reads: stay in the load balancer
    assert response.json()["uploads"] == "not writable"
    checked = client.get("/healthz", {"check": "uploads"})
    assert checked.status_code == 503 and checked.json()["uploads"] == "not writable"


def test_healthz_reports_a_disk_with_no_room_for_an_upload(client, monkeypatch):
    monkeypatch.setattr("dcplan.views.shutil.disk_usage", lambda path: mock.Mock(free=1024))
    assert client.get("/healthz", {"check": "uploads"}).status_code == 503


def test_a_database_outage_is_a_short_503_page_and_one_log_line(client, users, caplog):
    client.force_login(users["hq"])
    with (
        mock.patch(
            "deliverables.views.selectors.current_plan",
            side_effect=OperationalError(
                'connection to server at "db" failed: Connection refused\n\tIs it up?'
            ),
        ),
        caplog.at_level(logging.INFO),
    ):
        response = client.get(reverse("deliverables:list"))
    assert response.status_code == 503
    assert "database is not answering" in response.content.decode()
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info is None
    assert "Connection refused" in errors[0].getMessage() and "\n" not in errors[0].getMessage()


def test_a_database_error_outside_a_view_is_logged_in_one_line():
    from dcplan.logs import OneLineDatabaseErrors

    try:
        raise OperationalError("server closed the connection unexpectedly\nThis probably means …")
    except OperationalError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", ("/x",), None
        )
        import sys

        record.exc_info = sys.exc_info()
    assert OneLineDatabaseErrors().filter(record)
    assert record.exc_info is None
    assert record.getMessage() == (
        "Internal Server Error: /x (database unavailable: server closed the connection unexpectedly)"
    )
