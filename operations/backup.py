"""Backup and restore of the whole site in one archive (`manage.py backup`,
`manage.py restore`).

The archive is a zip file holding:

- data.json: every row of every installed app's models, as Django's
  serializers write them (dumpdata), so that a model added later is
  included without changing this code. Foreign keys to users, groups,
  permissions and content types are written by natural key, so the data
  loads into a database whose content types got other ids.
- media/…: every file under MEDIA_ROOT (attachments of progress examples).
- manifest.json: the migrations the data belongs to, and per table the
  number of rows and a SHA-256 of their content; per file its size and
  SHA-256. Restore checks all of them before it commits.

Left out, because a fresh `migrate` recreates them or they are not data:
content types and permissions, sessions, and django-axes' sign-in
throttling records.
"""

import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from django import get_version
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "dcplan-backup"
FORMAT_VERSION = 1
EXCLUDED_APPS = {"contenttypes", "sessions", "axes"}
# Bookkeeping, not data: one-time claims, deletions waiting for their grace
# period, and import previews that expire within the hour.
EXCLUDED_MODELS = {
    "auth.permission",
    "operations.onetimeclaim",
    "operations.pendingfiledeletion",
    "spreadsheets.importpreview",
}
# Rows that `migrate` itself creates in an empty database: the roles. They are
# replaced by the archive's, so that the restored roles are exactly the saved ones.
SEEDED_BY_MIGRATIONS = {"auth.group"}
MEDIA_PREFIX = "media/"


class BackupError(Exception):
    """Restore refused; the message says why, for the person at the console."""


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete model of every installed app, but the excluded ones."""
    return [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.app_label not in EXCLUDED_APPS
        and model._meta.label_lower not in EXCLUDED_MODELS
    ]


def _excluded_labels() -> list[str]:
    return sorted(EXCLUDED_APPS | EXCLUDED_MODELS)


def table_digest(model: type[models.Model]) -> dict:
    """The number of rows of `model` and a SHA-256 of their content, in primary
    key order, independent of the database engine and of content type ids."""
    digest = hashlib.sha256()
    count = 0
    for obj in model._base_manager.order_by("pk").iterator(chunk_size=2000):
        (row,) = serializers.serialize("python", [obj], use_natural_foreign_keys=True)
        fields = row["fields"]
        for field in model._meta.many_to_many:
            if field.name in fields:
                fields[field.name] = sorted(fields[field.name], key=_json)
        line = _json([row["pk"], fields])
        digest.update(line.encode("utf-8") + b"\n")
        count += 1
    return {"count": count, "sha256": digest.hexdigest()}


def _json(value: object) -> str:
    return json.dumps(value, sort_keys=True, cls=DjangoJSONEncoder)


def table_digests() -> dict[str, dict]:
    return {model._meta.label_lower: table_digest(model) for model in backed_up_models()}


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _media_files() -> Iterator[tuple[str, Path]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path.relative_to(root).as_posix(), path


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def backup_write(path: Path) -> dict:
    """Write the archive to `path` and return its manifest.

    The rows are read in one transaction, so that the data, the counts and
    the checksums describe the same moment."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent) as work:
        data_file = Path(work) / "data.json"
        # A caller's transaction (a test's) has begun already: its isolation stays.
        outer = connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and not outer:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            call_command(
                "dumpdata",
                exclude=_excluded_labels(),
                natural_foreign=True,
                use_base_manager=True,
                output=str(data_file),
                verbosity=0,
            )
            tables = table_digests()
            migrations = applied_migrations()
        media = {
            name: {"size": file.stat().st_size, "sha256": _file_sha256(file)} for name, file in _media_files()
        }
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "django": get_version(),
            "database": connection.vendor,
            "migrations": migrations,
            "tables": tables,
            "media": media,
        }
        partial = Path(work) / "archive.zip"
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            archive.writestr("manifest.json", json.dumps(manifest, indent=2, sort_keys=True))
            archive.write(data_file, "data.json")
            for name, file in _media_files():
                if name in media:
                    archive.write(file, MEDIA_PREFIX + name)
        # Never leave a half-written archive under the final name.
        os.replace(partial, path)
    return manifest


def read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError):
        raise BackupError("This is not a dcplan backup: manifest.json is missing or unreadable.") from None
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError("This is not a dcplan backup of a format this version can restore.")
    return manifest


def non_empty_tables() -> list[str]:
    """The tables that hold data already (the role groups migrations create do not count)."""
    return [
        model._meta.label_lower
        for model in backed_up_models()
        if model._meta.label_lower not in SEEDED_BY_MIGRATIONS and model._base_manager.exists()
    ]


def _safe_media_name(name: str) -> str:
    relative = PurePosixPath(name[len(MEDIA_PREFIX) :])
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise BackupError(f"The archive holds a file with an unsafe name: {name!r}.")
    return relative.as_posix()


def backup_restore(path: Path) -> dict:
    """Load the archive at `path` into this (empty) database and MEDIA_ROOT, or change nothing.

    Refuses a database that already holds data, an archive made at other
    migrations, and an archive whose data or files do not match their
    checksums. Returns the manifest."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise BackupError(f"{path} is not a zip archive.") from None
    # Content types are looked up by natural key and cached per process: the
    # cache may describe another database than the one restored into.
    ContentType.objects.clear_cache()
    with archive, tempfile.TemporaryDirectory() as work:
        manifest = read_manifest(archive)
        here = applied_migrations()
        if manifest["migrations"] != here:
            raise BackupError(
                "The backup was made with other migrations than this database has. Restore it with the "
                "version of dcplan that made it (into a database migrated by that version), then upgrade."
            )
        media_names = {
            _safe_media_name(name): name for name in archive.namelist() if name.startswith(MEDIA_PREFIX)
        }
        if set(media_names) != set(manifest["media"]):
            raise BackupError("The archive's files do not match its manifest.")
        for relative, info in manifest["media"].items():
            if hashlib.sha256(archive.read(media_names[relative])).hexdigest() != info["sha256"]:
                raise BackupError(f"The file {relative} in the archive is damaged (checksum mismatch).")
        data_file = Path(work) / "data.json"
        with archive.open("data.json") as source, data_file.open("wb") as target:
            while chunk := source.read(1024 * 1024):
                target.write(chunk)

        written: list[Path] = []
        try:
            with transaction.atomic():
                occupied = non_empty_tables()
                if occupied:
                    raise BackupError(
                        "Restore needs an empty database (freshly migrated, nothing else), but these tables "
                        f"hold data: {', '.join(occupied)}. Create a new database, run `manage.py migrate`, "
                        "and restore into it."
                    )
                apps.get_model("auth", "Group")._base_manager.all().delete()
                call_command("loaddata", str(data_file), verbosity=0)
                restored = table_digests()
                if restored != manifest["tables"]:
                    wrong = sorted(
                        label
                        for label in manifest["tables"]
                        if restored.get(label) != manifest["tables"][label]
                    )
                    raise BackupError(
                        f"After loading, these tables differ from the backup: {', '.join(wrong)}."
                    )
                _write_media(archive, media_names, written)
        except BaseException:
            for file in written:
                file.unlink(missing_ok=True)
            raise
    return manifest


def _write_media(archive: zipfile.ZipFile, media_names: dict[str, str], written: list[Path]) -> None:
    """Write the archive's files under MEDIA_ROOT, noting each in `written`."""
    root = Path(settings.MEDIA_ROOT)
    for relative, name in sorted(media_names.items()):
        target = root / relative
        content = archive.read(name)
        if target.exists():
            if target.read_bytes() == content:
                continue
            raise BackupError(
                f"{target} already exists with other content; restore into an empty MEDIA_ROOT."
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written.append(target)
