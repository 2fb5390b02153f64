"""`manage.py restore archive.zip`: load a backup into an empty database (see operations.backup)."""

from django.core.management.base import BaseCommand, CommandError

from dcplan.logs import DATABASE_DOWN, one_line
from operations.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup` into an empty, freshly migrated database and "
        "MEDIA_ROOT. Everything is loaded in one transaction and checked against the archive's "
        "checksums; on any problem nothing is changed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", help="The archive written by `manage.py backup`.")

    def handle(self, *args, archive: str, **options) -> None:
        try:
            manifest = backup_restore(archive)
        except BackupError as refused:
            raise CommandError(f"Nothing was restored. {refused}") from None
        except DATABASE_DOWN as error:
            raise CommandError(
                f"Nothing was restored: the database is not reachable ({one_line(error)})."
            ) from None
        rows = sum(table["count"] for table in manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {rows} rows in {len(manifest['tables'])} tables "
                f"and {len(manifest['media'])} files from the backup of {manifest['created_at']}; "
                "every table matches its checksum and every attachment has its file."
            )
        )
