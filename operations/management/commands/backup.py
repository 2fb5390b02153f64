"""`manage.py backup [archive.zip]`: the whole site in one archive (see operations.backup)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from dcplan.languages import in_command_language
from dcplan.logs import DATABASE_DOWN, one_line
from operations.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Write the whole database (plan, offices, users, groups, status updates, progress examples, "
        "issued reviews, …) and every file under MEDIA_ROOT to one zip archive. Restore it with "
        "`manage.py restore`."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "archive",
            nargs="?",
            help="Where to write the archive (default: var/backups/dcplan-<date>-<time>.zip).",
        )

    @in_command_language
    def handle(self, *args, archive: str | None = None, **options) -> None:
        path = (
            Path(archive)
            if archive
            else (Path(settings.VAR_DIR) / "backups" / f"dcplan-{timezone.localtime():%Y%m%d-%H%M%S}.zip")
        )
        try:
            manifest = backup_write(path)
        except BackupError as error:
            raise CommandError(_("No backup was written. %(error)s") % {"error": error}) from None
        except DATABASE_DOWN as error:
            raise CommandError(
                _("No backup was written: the database is not reachable (%(error)s).")
                % {"error": one_line(error)}
            ) from None
        rows = sum(table["count"] for table in manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Backup written to %(path)s and read back: %(rows)d rows in %(tables)d tables, "
                    "%(files)d files."
                )
                % {
                    "path": path,
                    "rows": rows,
                    "tables": len(manifest["tables"]),
                    "files": len(manifest["media"]),
                }
            )
        )
