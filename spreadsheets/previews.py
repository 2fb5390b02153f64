"""Previews kept between an import's upload and its confirmation.

In the database (ImportPreview), as JSON text under a random token, so that
a confirmation served by another application host finds the preview the
first one made: a preview can hold 5 MB of text, too much for the session
or a signed form field. A preview belongs to the user who uploaded it and
to one kind of import, and expires after an hour: expired previews are
never returned, and are deleted whenever a preview is saved and by
`manage.py purge_expired`.

A preview is a one-time thing: confirming it claims `claim_key(token)`
inside the import's transaction (dcplan.once), so two confirmations at the
same moment import once.
"""

import dataclasses
import datetime
import json
import re
import secrets
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from .models import ImportPreview
from .reading import Table

PREVIEW_MAX_AGE = 60 * 60  # seconds
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32}$")


@dataclass(frozen=True)
class SavedPreview:
    """A checked file: what the confirmation applies, and what the preview page shows."""

    filename: str
    table: Table
    rows: list[dict]  # each planned row, for display
    versions: dict[str, int] = field(default_factory=dict)  # deliverable code → version checked against
    units: dict[str, list] = field(default_factory=dict)  # deliverable code → units checked against
    planned: dict | None = None  # what the confirmation records, as checked (the status import's)
    token: str = ""  # set once saved

    def as_json(self) -> dict:
        return {
            "filename": self.filename,
            "table": self.table.as_json(),
            "rows": self.rows,
            "versions": self.versions,
            "units": self.units,
            "planned": self.planned,
        }

    @classmethod
    def from_json(cls, content: dict, token: str) -> "SavedPreview":
        return cls(
            filename=content["filename"],
            table=Table.from_json(content["table"]),
            rows=content["rows"],
            versions=content.get("versions", {}),
            units=content.get("units", {}),
            planned=content.get("planned"),
            token=token,
        )


def claim_key(token: str) -> str:
    """The dcplan.once key that confirming the preview `token` claims."""
    return f"import-preview:{token}"


def preview_save(*, user: AbstractBaseUser, kind: str, preview: SavedPreview) -> SavedPreview:
    """Keep `preview` for `user`; the copy returned carries its token."""
    preview_purge()
    token = secrets.token_urlsafe(24)
    ImportPreview.objects.create(
        token=token,
        kind=kind,
        user=user,
        content=json.dumps(preview.as_json(), default=str),
        created_at=timezone.now(),
    )
    return dataclasses.replace(preview, token=token)


def preview_load(*, user: AbstractBaseUser, kind: str, token: str) -> SavedPreview | None:
    """The preview saved under `token` by this user for this kind of import, if still fresh."""
    if not _TOKEN_RE.match(token or ""):
        return None
    saved = ImportPreview.objects.filter(
        token=token, kind=kind, user_id=user.pk, created_at__gt=_oldest_fresh()
    ).first()
    if saved is None:
        return None
    return SavedPreview.from_json(json.loads(saved.content), token)


def preview_discard(token: str) -> None:
    ImportPreview.objects.filter(token=token).delete()


def preview_purge() -> int:
    """Delete expired previews; how many there were."""
    deleted, _ = ImportPreview.objects.filter(created_at__lte=_oldest_fresh()).delete()
    return deleted


def _oldest_fresh() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=PREVIEW_MAX_AGE)
