"""`manage.py restore archive.zip`: load a backup into an empty database (see operations.backup)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dcplan.languages import in_command_language
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

    @in_command_language
    def handle(self, *args, archive: str, **options) -> None:
        try:
            manifest = backup_restore(archive)
        except BackupError as refused:
            raise CommandError(_("Nothing was restored. %(error)s") % {"error": refused}) from None
        except DATABASE_DOWN as error:
            raise CommandError(
                _("Nothing was restored: the database is not reachable (%(error)s).")
                % {"error": one_line(error)}
            ) from None
        rows = sum(table["count"] for table in manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Restored %(rows)d rows in %(tables)d tables and %(files)d files from the backup of "
                    "%(created)s; every table matches its checksum and every attachment has its file."
                )
                % {
                    "created": manifest["created_at"],
                    "rows": rows,
                    "tables": len(manifest["tables"]),
                    "files": len(manifest["media"]),
                }
            )
        )
