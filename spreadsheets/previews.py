"""Previews kept between an import's upload and its confirmation.

On the server, as a file per preview named by a random token: a preview can
hold 5 MB of text, too much for the session or a signed form field. A
preview belongs to the user who uploaded it and to one kind of import, and
is forgotten after an hour.
"""

import dataclasses
import json
import re
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser

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
    token: str = ""  # set once saved

    def as_json(self) -> dict:
        return {
            "filename": self.filename,
            "table": self.table.as_json(),
            "rows": self.rows,
            "versions": self.versions,
        }

    @classmethod
    def from_json(cls, content: dict, token: str) -> "SavedPreview":
        return cls(
            filename=content["filename"],
            table=Table.from_json(content["table"]),
            rows=content["rows"],
            versions=content.get("versions", {}),
            token=token,
        )


def _preview_dir() -> Path:
    return Path(settings.VAR_DIR) / "import-previews"


def preview_save(*, user: AbstractBaseUser, kind: str, preview: SavedPreview) -> SavedPreview:
    """Keep `preview` for `user`; the copy returned carries its token."""
    directory = _preview_dir()
    directory.mkdir(parents=True, exist_ok=True)
    _forget_old_previews(directory)
    token = secrets.token_urlsafe(24)
    content = {"user": user.pk, "kind": kind, "created": time.time(), **preview.as_json()}
    (directory / f"{token}.json").write_text(json.dumps(content, default=str), encoding="utf-8")
    return dataclasses.replace(preview, token=token)


def preview_load(*, user: AbstractBaseUser, kind: str, token: str) -> SavedPreview | None:
    """The preview saved under `token` by this user for this kind of import, if still fresh."""
    if not _TOKEN_RE.match(token or ""):
        return None
    path = _preview_dir() / f"{token}.json"
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if content.get("user") != user.pk or content.get("kind") != kind:
        return None
    if time.time() - content.get("created", 0) > PREVIEW_MAX_AGE:
        path.unlink(missing_ok=True)
        return None
    return SavedPreview.from_json(content, token)


def preview_discard(token: str) -> None:
    if _TOKEN_RE.match(token or ""):
        (_preview_dir() / f"{token}.json").unlink(missing_ok=True)


def _forget_old_previews(directory: Path) -> None:
    limit = time.time() - PREVIEW_MAX_AGE
    for path in directory.glob("*.json"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            pass
