"""Actions that span several models. One code path per action: the web form,
the spreadsheet import and the shell all call these."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Deliverable, StatusUpdate


class StaleVersion(Exception):
    """Someone recorded an update after the version the user saw."""

    def __init__(self, deliverable: Deliverable, seen_version: int):
        self.deliverable = deliverable
        self.seen_version = seen_version
        super().__init__(
            _("Deliverable %(code)s changed since version %(version)s.")
            % {"code": deliverable.code, "version": seen_version}
        )

    def newer_updates(self) -> list[StatusUpdate]:
        return list(
            StatusUpdate.objects.filter(deliverable=self.deliverable, version__gt=self.seen_version)
            .select_related("author")
            .order_by("-version")
        )


@dataclass(frozen=True)
class StatusInput:
    status: str
    as_of: datetime.date
    progress_value: int | None = None
    narrative: str = ""
    evidence_links: tuple[str, ...] = ()


@transaction.atomic
def status_update_record(
    *, deliverable: Deliverable, user: AbstractBaseUser, data: StatusInput, seen_version: int
) -> StatusUpdate:
    """Append a status update and move the deliverable's current fields.

    Refuses with StaleVersion when the deliverable's version is no longer
    `seen_version`. The conditional UPDATE is the lock: on PostgreSQL a
    concurrent writer waits for the row and then finds the version changed;
    on SQLite transactions are IMMEDIATE, so writers queue. The unique
    (deliverable, version) constraint backs this up.
    """
    claimed = Deliverable.objects.filter(pk=deliverable.pk, version=seen_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise StaleVersion(deliverable, seen_version)
    try:
        with transaction.atomic():
            update = StatusUpdate.objects.create(
                deliverable=deliverable,
                version=seen_version + 1,
                status=data.status,
                progress_value=data.progress_value,
                narrative=data.narrative,
                evidence_links=list(data.evidence_links),
                author=user,
                as_of=data.as_of,
                recorded_at=timezone.now(),
            )
    except IntegrityError:
        raise StaleVersion(deliverable, seen_version) from None

    # The current status is the update with the latest "as of" date: a
    # back-dated update joins the history without overriding a newer statement.
    deliverable.refresh_from_db(fields=["last_update"])
    current = deliverable.last_update
    if current is None or (update.as_of, update.recorded_at) >= (current.as_of, current.recorded_at):
        Deliverable.objects.filter(pk=deliverable.pk).update(
            status=update.status, progress_value=update.progress_value, last_update=update
        )
        deliverable.status = update.status
        deliverable.progress_value = update.progress_value
        deliverable.last_update = update
    deliverable.version = seen_version + 1
    return update
