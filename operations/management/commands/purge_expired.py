"""`manage.py purge_expired`: forget what has expired (run it hourly from cron)."""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext

from dcplan.languages import in_command_language
from dcplan.once import KEEP_CLAIMS
from operations.models import OneTimeClaim
from operations.storage import purge_deleted_files
from spreadsheets.previews import preview_purge


class Command(BaseCommand):
    help = (
        "Delete import previews older than an hour, the files of removed attachments whose grace period "
        "is over, and one-time claims older than 30 days."
    )

    @in_command_language
    def handle(self, *args, **options) -> None:
        previews = preview_purge()
        files = purge_deleted_files()
        claims, _by_model = OneTimeClaim.objects.filter(claimed_at__lt=timezone.now() - KEEP_CLAIMS).delete()
        self.stdout.write(
            gettext("Purged %(previews)d previews, %(files)d files and %(claims)d claims.")
            % {"previews": previews, "files": files, "claims": claims}
        )
