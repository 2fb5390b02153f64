"""Stored files are deleted late: a backup copies the files its snapshot's rows
name, after reading the rows, so a file must outlive its row for a while."""

import datetime

from django.core.files.storage import default_storage
from django.utils import timezone

from .models import PendingFileDeletion

# A removed attachment's file stays this long after its row: far longer than a backup takes.
FILE_DELETION_GRACE = datetime.timedelta(days=1)


def file_delete_later(name: str) -> None:
    """Delete the stored file `name` once no running backup can still be copying it.

    Call it in the transaction that deletes the row naming the file."""
    PendingFileDeletion.objects.create(name=name, due_at=timezone.now() + FILE_DELETION_GRACE)


def purge_deleted_files() -> int:
    """Delete the files whose grace period is over; how many."""
    due = list(PendingFileDeletion.objects.filter(due_at__lte=timezone.now()))
    for pending in due:
        default_storage.delete(pending.name)
    PendingFileDeletion.objects.filter(pk__in=[pending.pk for pending in due]).delete()
    return len(due)
