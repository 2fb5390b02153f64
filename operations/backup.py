"""Backup and restore of the whole site in one archive (`manage.py backup`,
`manage.py restore`).

The archive is a zip file holding:

- data.json: every row of every installed app's models, as Django's
  serializers write them (dumpdata), so that a model added later is
  included without changing this code. Foreign keys to users, groups,
  permissions and content types are written by natural key, so the data
  loads into a database whose content types got other ids.
- media/…: every file the rows name (attachments of progress examples), read
  in the same transaction as the rows: a file added meanwhile is not taken, a
  file removed meanwhile is still there, because removed attachments' files
  are deleted only after a grace period (operations.storage.FILE_DELETION_GRACE, by
  `manage.py purge_expired` and at the start of each backup).
- manifest.json: the migrations the data belongs to, and per table the
  number of rows and a SHA-256 of their content; per file its size and
  SHA-256. Restore checks all of them before it commits, and that every
  row naming a file has it.

Values are written with full precision (operations.exact_json: date-times
keep their microseconds), and the checksums are taken on that text, so
they compare values as the database holds them. Before `backup` says
"written" it reads the archive back and checks every table's checksum
against the data file and every file's against its bytes.

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
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from .exact_json import ExactJSONEncoder
from .storage import purge_deleted_files

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
SERIALIZER = "dcplan-json"
serializers.register_serializer(SERIALIZER, "operations.exact_json")


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


class _Digest:
    """The number of rows of one table and a SHA-256 of their content, row by row
    in primary key order: the same whether the rows come from the database or
    from an archive's data file."""

    def __init__(self, model: type[models.Model]):
        self.m2m = [field.name for field in model._meta.many_to_many]
        self.sha256 = hashlib.sha256()
        self.count = 0

    def add(self, pk: object, fields: dict) -> None:
        fields = dict(fields)
        for name in self.m2m:
            if name in fields:
                fields[name] = sorted(fields[name], key=_json)
        self.sha256.update(_json([pk, fields]).encode("utf-8") + b"\n")
        self.count += 1

    def result(self) -> dict:
        return {"count": self.count, "sha256": self.sha256.hexdigest()}


def table_digest(model: type[models.Model]) -> dict:
    """The number of rows of `model` and a SHA-256 of their content, in primary
    key order, independent of the database engine and of content type ids."""
    digest = _Digest(model)
    for obj in model._base_manager.order_by("pk").iterator(chunk_size=2000):
        (row,) = serializers.serialize("python", [obj], use_natural_foreign_keys=True)
        digest.add(row["pk"], row["fields"])
    return digest.result()


def file_digests(data_file: Path) -> dict[str, dict]:
    """table_digest() of every backed-up model, computed from a data file instead of the database."""
    digests = {model._meta.label_lower: _Digest(model) for model in backed_up_models()}
    with data_file.open(encoding="utf-8") as handle:
        records = json.load(handle)
    for record in records:
        digest = digests.get(record["model"])
        if digest is None:
            raise BackupError(
                _("The data file holds rows of %(model)s, which is not backed up.")
                % {"model": record["model"]}
            )
        digest.add(record["pk"], record["fields"])
    return {label: digest.result() for label, digest in digests.items()}


def _json(value: object) -> str:
    return json.dumps(value, sort_keys=True, cls=ExactJSONEncoder)


def _file_fields(model: type[models.Model]) -> list[str]:
    return [field.name for field in model._meta.concrete_fields if isinstance(field, models.FileField)]


def named_files() -> set[str]:
    """The storage names of every file a backed-up row names (attachments)."""
    names: set[str] = set()
    for model in backed_up_models():
        for field in _file_fields(model):
            names.update(model._base_manager.exclude(**{field: ""}).values_list(field, flat=True))
    return names


def table_digests() -> dict[str, dict]:
    return {model._meta.label_lower: table_digest(model) for model in backed_up_models()}


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _media_files(names: set[str]) -> Iterator[tuple[str, Path]]:
    """The files under MEDIA_ROOT that `names` name, each with its path."""
    root = Path(settings.MEDIA_ROOT).resolve()
    missing = []
    for name in sorted(names):
        path = (root / name).resolve()
        if root not in path.parents or not path.is_file() or path.is_symlink():
            missing.append(name)
            continue
        yield PurePosixPath(name).as_posix(), path
    if missing:
        raise BackupError(
            _(
                "Rows name files that are missing from MEDIA_ROOT: %(names)s. "
                "Restore them from an earlier backup (or remove the rows) before backing up."
            )
            % {"names": ", ".join(missing[:10])}
        )


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
    purge_deleted_files()
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
                format=SERIALIZER,
                exclude=_excluded_labels(),
                natural_foreign=True,
                use_base_manager=True,
                output=str(data_file),
                verbosity=0,
            )
            tables = table_digests()
            migrations = applied_migrations()
            files = dict(_media_files(named_files()))
        # Files are never changed in place and removed ones stay for a grace
        # period, so what the rows named is still there, unchanged.
        media = {
            name: {"size": file.stat().st_size, "sha256": _file_sha256(file)} for name, file in files.items()
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
            for name, file in files.items():
                archive.write(file, MEDIA_PREFIX + name)
        backup_verify(partial, manifest)
        # Never leave a half-written archive under the final name.
        os.replace(partial, path)
    return manifest


def backup_verify(path: Path, manifest: dict) -> None:
    """Read the archive at `path` back and check it against `manifest`, or raise BackupError.

    Every member must read without error (zip CRCs), the data file must hold
    exactly the rows whose checksums the manifest took from the database,
    and every file must match its checksum."""
    try:
        with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as work:
            damaged = archive.testzip()
            if damaged:
                raise BackupError(_("%(name)s did not read back as written.") % {"name": damaged})
            if read_manifest(archive) != json.loads(json.dumps(manifest)):
                raise BackupError(_("The manifest did not read back as written."))
            for name, info in manifest["media"].items():
                if hashlib.sha256(archive.read(MEDIA_PREFIX + name)).hexdigest() != info["sha256"]:
                    raise BackupError(_("The file %(name)s did not read back as written.") % {"name": name})
            data_file = Path(work) / "data.json"
            data_file.write_bytes(archive.read("data.json"))
            written = file_digests(data_file)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise BackupError(_("The archive did not read back: %(error)s") % {"error": error}) from None
    wrong = sorted(label for label, digest in manifest["tables"].items() if written.get(label) != digest)
    if wrong:
        raise BackupError(
            _("The written data of these tables does not match the database: %(tables)s.")
            % {"tables": ", ".join(wrong)}
        )


def read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError):
        raise BackupError(_("This is not a dcplan backup: manifest.json is missing or unreadable.")) from None
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(_("This is not a dcplan backup of a format this version can restore."))
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
        raise BackupError(_("The archive holds a file with an unsafe name: %(name)s.") % {"name": repr(name)})
    return relative.as_posix()


def backup_restore(path: Path) -> dict:
    """Load the archive at `path` into this (empty) database and MEDIA_ROOT, or change nothing.

    Refuses a database that already holds data, an archive made at other
    migrations, and an archive whose data or files do not match their
    checksums. Returns the manifest."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("%(path)s does not exist.") % {"path": path})
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise BackupError(_("%(path)s is not a zip archive.") % {"path": path}) from None
    # Content types are looked up by natural key and cached per process: the
    # cache may describe another database than the one restored into.
    ContentType.objects.clear_cache()
    with archive, tempfile.TemporaryDirectory() as work:
        manifest = read_manifest(archive)
        here = applied_migrations()
        if manifest["migrations"] != here:
            raise BackupError(
                _(
                    "The backup was made with other migrations than this database has. Restore it with the "
                    "version of dcplan that made it (into a database migrated by that version), then upgrade."
                )
            )
        media_names = {
            _safe_media_name(name): name for name in archive.namelist() if name.startswith(MEDIA_PREFIX)
        }
        if set(media_names) != set(manifest["media"]):
            raise BackupError(_("The archive's files do not match its manifest."))
        for relative, info in manifest["media"].items():
            if hashlib.sha256(archive.read(media_names[relative])).hexdigest() != info["sha256"]:
                raise BackupError(
                    _("The file %(name)s in the archive is damaged (checksum mismatch).") % {"name": relative}
                )
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
                        _(
                            "Restore needs an empty database (freshly migrated, nothing else), but these "
                            "tables hold data: %(tables)s. Create a new database, run `manage.py migrate`, "
                            "and restore into it."
                        )
                        % {"tables": ", ".join(occupied)}
                    )
                apps.get_model("auth", "Group")._base_manager.all().delete()
                call_command("loaddata", str(data_file), verbosity=0)
                restored = table_digests()
                _check_named_files(set(manifest["media"]))
                if restored != manifest["tables"]:
                    wrong = sorted(
                        label
                        for label in manifest["tables"]
                        if restored.get(label) != manifest["tables"][label]
                    )
                    raise BackupError(
                        _("After loading, these tables differ from the backup: %(tables)s.")
                        % {"tables": ", ".join(wrong)}
                    )
                _write_media(archive, media_names, written)
        except BaseException:
            for file in written:
                file.unlink(missing_ok=True)
            raise
    return manifest


def _check_named_files(in_archive: set[str]) -> None:
    missing = sorted(named_files() - in_archive)
    if missing:
        raise BackupError(
            _("Rows name files that the archive does not hold: %(names)s.")
            % {"names": ", ".join(missing[:10])}
        )


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
                _("%(path)s already exists with other content; restore into an empty MEDIA_ROOT.")
                % {"path": target}
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written.append(target)
