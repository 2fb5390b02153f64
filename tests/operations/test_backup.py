"""Backup and restore: a round trip loses nothing (counts and a content hash
per table, every file byte for byte), and restore refuses what it must."""

import datetime
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from deliverables.models import Deliverable, Office, Status, StatusUpdate
from examples import attachments
from examples.models import ExampleAttachment, ProgressExample
from examples.services import ExampleInput, example_create
from operations import backup
from reporting.models import IssuedReview
from tests.examples.example_data import make_example, pdf_bytes, upload
from tests.factories import PASSWORD, record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    """Attachments go to a temporary MEDIA_ROOT, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def site(plan, users):
    """A bit of everything: status history, examples in several states with
    their transitions and an attachment, an issued review, an admin log entry,
    a user with a permission of their own."""
    hq = users["hq"]
    record(
        Deliverable.objects.get(code="1.4.1"),
        hq,
        Status.ON_TRACK,
        as_of=datetime.date(2021, 6, 1),
        progress=2,
    )
    record(
        Deliverable.objects.get(code="1.4.1"),
        hq,
        Status.AT_RISK,
        as_of=datetime.date(2022, 6, 1),
        progress=3,
        narrative="Funding “late” – ünïcödé",
    )
    record(Deliverable.objects.get(code="2.3.1"), hq, Status.ACHIEVED, as_of=datetime.date(2023, 1, 1))
    make_example(users["focal_a"], state=ProgressExample.State.APPROVED, reviewer=hq)
    make_example(users["focal_b"], state=ProgressExample.State.RETURNED, reviewer=hq, countries=["BD"])
    checked = attachments.check_upload(upload("evidence.pdf", pdf_bytes(), "application/pdf"))
    example_create(
        office=Office.objects.get(code="CO-ABUJA"),
        user=users["focal_a"],
        data=ExampleInput(values={"title": "With a file"}, new_files=[checked]),
    )
    IssuedReview.build(
        plan=plan,
        as_of=datetime.date(2023, 12, 31),
        cover={"symbol": "GB.350/POL/1"},
        pdf=b"%PDF-1.7 issued \x00\xff bytes",
        issued_by=users["manager"],
    ).save()
    LogEntry.objects.create(
        user=users["superuser"],
        content_type=ContentType.objects.get_for_model(Office),
        object_id="1",
        object_repr="Office",
        action_flag=CHANGE,
        change_message="[]",
    )
    users["manager"].user_permissions.add(Permission.objects.get(codename="add_statusupdate"))
    return users


def counts() -> dict[str, int]:
    return {model._meta.label_lower: model._base_manager.count() for model in backup.backed_up_models()}


def media_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def empty_the_site(media_root: Path) -> None:
    """What a new server looks like: a migrated database, nothing else."""
    if connection.vendor == "postgresql":
        # Inside the test's transaction, PostgreSQL truncates only once the
        # deferred foreign-key checks of earlier writes have run.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    ContentType.objects.clear_cache()
    shutil.rmtree(media_root, ignore_errors=True)


def test_a_backup_restored_into_an_empty_database_loses_nothing(site, media, tmp_path, capsys):
    before_counts, before_digests = counts(), backup.table_digests()
    before_files = media_files(media)
    assert before_counts["deliverables.statusupdate"] == 3
    assert before_counts["examples.exampletransition"] >= 5
    assert before_counts["examples.exampleattachment"] == 1 and len(before_files) == 1
    assert before_counts["reporting.issuedreview"] == 1
    assert before_counts["auth.group"] == 4 and before_counts["admin.logentry"] == 1  # the four roles
    archive = tmp_path / "backup.zip"

    call_command("backup", str(archive))
    assert "Backup written to" in capsys.readouterr().out
    empty_the_site(media)
    assert counts()["deliverables.plan"] == counts()["auth.user"] == 0

    call_command("restore", str(archive))
    assert "every table matches its checksum" in capsys.readouterr().out
    assert counts() == before_counts
    assert backup.table_digests() == before_digests
    assert media_files(media) == before_files
    # Spot checks of what the checksums cover.
    restored = User.objects.get(username="hq")
    assert restored.check_password(PASSWORD)
    assert [g.name for g in restored.groups.all()] == ["Headquarters staff"]
    assert restored.has_perm("deliverables.add_statusupdate")
    assert User.objects.get(username="manager").has_perm("deliverables.add_statusupdate")
    d = Deliverable.objects.select_related("last_update").get(code="1.4.1")
    assert (d.status, d.version, d.last_update.narrative) == ("at_risk", 2, "Funding “late” – ünïcödé")
    assert bytes(IssuedReview.objects.get().pdf) == b"%PDF-1.7 issued \x00\xff bytes"
    attachment = ExampleAttachment.objects.get()
    with attachment.file.open("rb") as stored:
        assert stored.read() == pdf_bytes()
    assert LogEntry.objects.get().content_type == ContentType.objects.get_for_model(Office)


def test_the_content_hash_sees_a_changed_row(site):
    before = backup.table_digest(StatusUpdate)
    StatusUpdate.objects.filter(version=2).update(narrative="Changed")
    after = backup.table_digest(StatusUpdate)
    assert after["count"] == before["count"]
    assert after["sha256"] != before["sha256"]


def test_restore_refuses_a_database_that_holds_data(site, tmp_path):
    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive))
    before = backup.table_digests()
    with pytest.raises(CommandError, match="Restore needs an empty database.*auth.user"):
        call_command("restore", str(archive))
    assert backup.table_digests() == before


def rewrite(archive: Path, target: Path, *, manifest=None, data=None, extra: dict | None = None) -> Path:
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(target, "w") as copy:
        for name in source.namelist():
            content = source.read(name)
            if name == "manifest.json" and manifest:
                content = json.dumps(manifest(json.loads(content))).encode()
            if name == "data.json" and data:
                content = data(content)
            copy.writestr(name, content)
        for name, content in (extra or {}).items():
            copy.writestr(name, content)
    return target


def other_migrations(manifest: dict) -> dict:
    manifest["migrations"]["deliverables"].append("9999_from_the_future")
    return manifest


def tampered_data(content: bytes) -> bytes:
    return content.replace("Funding “late”".encode(), b"Funding early")


def unsafe_media(manifest: dict) -> dict:
    manifest["media"]["../../escape.txt"] = {"size": 1, "sha256": "0" * 64}
    return manifest


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"manifest": other_migrations}, "made with other migrations"),
        ({"data": tampered_data}, "these tables differ from the backup: deliverables.statusupdate"),
        ({"manifest": unsafe_media, "extra": {"media/../../escape.txt": "x"}}, "unsafe name"),
        ({"extra": {"media/attachments/stowaway": "x"}}, "files do not match its manifest"),
    ],
    ids=["other migrations", "tampered data", "unsafe file name", "file not in the manifest"],
)
def test_restore_refuses_a_doubtful_archive_and_changes_nothing(site, media, tmp_path, change, message):
    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive))
    doubtful = rewrite(archive, tmp_path / "doubtful.zip", **change)
    empty_the_site(media)
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(doubtful))
    assert counts()["deliverables.plan"] == counts()["auth.user"] == 0
    assert not media.exists() or media_files(media) == {}
    assert not (tmp_path.parent / "escape.txt").exists()


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, plan):
    not_zip = tmp_path / "notes.zip"
    not_zip.write_text("hello")
    with pytest.raises(CommandError, match="not a zip archive"):
        call_command("restore", str(not_zip))
    other_zip = tmp_path / "other.zip"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(CommandError, match="not a dcplan backup"):
        call_command("restore", str(other_zip))


def test_the_role_groups_a_fresh_migrate_creates_are_replaced_by_the_backups(site, media, tmp_path):
    Group.objects.get(name="Managers").permissions.clear()
    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive))
    empty_the_site(media)
    Group.objects.create(name="Managers")  # as the roles migration would
    call_command("restore", str(archive))
    assert Group.objects.get(name="Managers").permissions.count() == 0
    assert Group.objects.count() == 4  # the four roles, as backed up


def test_restore_refuses_in_the_command_language(tmp_path, settings, db):
    settings.COMMAND_LANGUAGE = "es"
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(tmp_path / "missing.zip"))
    assert str(refused.value) == f"No se ha restaurado nada. {tmp_path / 'missing.zip'} no existe."
