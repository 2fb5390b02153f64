"""A backup is one moment that restores: date-times keep every microsecond,
the files are those the snapshot's rows name, and `backup` reads back what
it wrote before saying so."""

import datetime
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from examples import attachments
from examples.models import ExampleAttachment, ExampleTransition
from examples.services import ExampleInput, example_update
from operations import backup
from tests.examples.example_data import make_example, pdf_bytes, png_bytes, upload
from tests.operations.test_backup import counts, empty_the_site, media_files, rewrite

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
SHAPES = [0, 1, 5, 999, 1000, 1001, 123456, 999000, 999999]  # microseconds


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def with_microseconds(users) -> list[datetime.datetime]:
    example = make_example(users["focal_a"])
    moments = [datetime.datetime(2024, 3, 1, 10, 0, 0, micro, tzinfo=UTC) for micro in SHAPES]
    for moment in moments:
        ExampleTransition.objects.create(
            example=example, from_state="draft", to_state="draft", actor=users["focal_a"], at=moment
        )
    return moments


def test_date_times_with_microseconds_of_every_shape_restore_exactly(plan, users, media, tmp_path, capsys):
    moments = with_microseconds(users)
    before = backup.table_digests()
    archive = tmp_path / "backup.zip"

    call_command("backup", str(archive))
    assert "written to" in capsys.readouterr().out
    empty_the_site(media)
    call_command("restore", str(archive))

    assert backup.table_digests() == before
    restored = set(ExampleTransition.objects.filter(at__year=2024).values_list("at", flat=True))
    assert restored == set(moments)


def test_a_backup_that_does_not_read_back_as_the_database_holds_it_is_not_written(
    plan, users, tmp_path, monkeypatch
):
    with_microseconds(users)
    # Django's own JSON cuts date-times to milliseconds: the read-back check must see it.
    monkeypatch.setattr(backup, "SERIALIZER", "json")
    archive = tmp_path / "backup.zip"
    with pytest.raises(CommandError, match="No backup was written.*examples.exampletransition"):
        call_command("backup", str(archive))
    assert not archive.exists() and list(tmp_path.glob("*")) in ([], [tmp_path / "media"])


def example_with(users, *names: str):
    example = make_example(users["focal_a"])
    checked = [attachments.check_upload(upload(name, pdf_bytes())) for name in names]
    example_update(
        example=example,
        user=users["focal_a"],
        data=ExampleInput(values={}, deliverables=list(example.deliverables.all()), new_files=checked),
        seen_version=example.version,
    )
    return example


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_taken_while_attachments_come_and_go_restores_every_rows_file_and_no_orphan(
    plan, users, media, tmp_path, monkeypatch
):
    example = example_with(users, "kept.pdf", "removed.pdf")
    removed = ExampleAttachment.objects.get(original_name="removed.pdf")
    copying = backup._file_sha256

    def meanwhile(path):
        # Once the rows are read and before the files are copied, the office
        # removes one attachment and adds another (each committed at once).
        if not ExampleAttachment.objects.filter(original_name="added.png").exists():
            example.refresh_from_db()
            example_update(
                example=example,
                user=users["focal_a"],
                data=ExampleInput(
                    values={},
                    deliverables=list(example.deliverables.all()),
                    new_files=[attachments.check_upload(upload("added.png", png_bytes()))],
                    remove=[removed],
                ),
                seen_version=example.version,
            )
        return copying(path)

    monkeypatch.setattr(backup, "_file_sha256", meanwhile)
    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive), verbosity=0)
    monkeypatch.undo()

    with zipfile.ZipFile(archive) as written:
        in_archive = sorted(name for name in written.namelist() if name.startswith("media/"))
    assert len(in_archive) == 2  # kept and removed: the snapshot's rows; not the one added meanwhile
    empty_the_site(media)
    call_command("restore", str(archive), verbosity=0)
    names = sorted(ExampleAttachment.objects.values_list("original_name", flat=True))
    assert names == ["kept.pdf", "removed.pdf"]
    assert sorted(media_files(media)) == sorted(a.file.name for a in ExampleAttachment.objects.all())
    assert counts()["examples.exampleattachment"] == 2


def test_restore_refuses_an_archive_whose_rows_name_files_it_does_not_hold(plan, users, media, tmp_path):
    example_with(users, "evidence.pdf")
    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive), verbosity=0)
    name = ExampleAttachment.objects.get().file.name

    def without_file(manifest: dict) -> dict:
        del manifest["media"][name]
        return manifest

    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(tmp_path / "stripped.zip", "w") as copy:
        for member in source.namelist():
            if member != "media/" + name:
                copy.writestr(member, source.read(member))
    stripped = rewrite(tmp_path / "stripped.zip", tmp_path / "doubtful.zip", manifest=without_file)
    empty_the_site(media)
    with pytest.raises(CommandError, match="Rows name files that the archive does not hold"):
        call_command("restore", str(stripped))
    assert counts()["examples.exampleattachment"] == 0 and media_files(media) == {}


def test_a_backup_refuses_to_say_written_when_a_row_names_a_missing_file(plan, users, media, tmp_path):
    example_with(users, "evidence.pdf")
    (media / ExampleAttachment.objects.get().file.name).unlink()
    archive = tmp_path / "backup.zip"
    with pytest.raises(CommandError, match="missing from MEDIA_ROOT"):
        call_command("backup", str(archive))
    assert not archive.exists()
