"""Acting at most once on a one-time thing, whatever the timing.

A double click, two tabs or a retried request can post the same import
confirmation, form or decision twice at the same moment. The caller claims
a key naming the one-time thing inside the transaction that acts on it:
the claim is an INSERT under a unique constraint, so a second transaction
claiming the same key waits for the first and then fails (PostgreSQL), or
waits for the write lock and then finds the key (SQLite). If the first
transaction rolls back, its claim goes with it and the thing may be acted
on again.
"""

import datetime
import re
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from operations.models import OneTimeClaim

# Claims older than this are forgotten: long after any double click.
KEEP_CLAIMS = datetime.timedelta(days=30)
NONCE_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class AlreadyDone(Exception):
    """The one-time thing was acted on already (or is being acted on right now)."""


def claim_once(key: str) -> None:
    """Claim `key` in the current transaction, or raise AlreadyDone."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("claim_once() must run inside the transaction that acts.")
    try:
        with transaction.atomic():
            OneTimeClaim.objects.create(key=key[:120], claimed_at=timezone.now())
    except IntegrityError:
        raise AlreadyDone(key) from None
    OneTimeClaim.objects.filter(claimed_at__lt=timezone.now() - KEEP_CLAIMS).delete()


def release(key: str) -> None:
    """Give up a claim committed ahead of an action that then failed, so it may be tried again."""
    OneTimeClaim.objects.filter(key=key[:120]).delete()


def was_claimed(key: str) -> bool:
    return OneTimeClaim.objects.filter(key=key[:120]).exists()


def new_nonce() -> str:
    """A token for a form that must act once: put it in a hidden field, claim it on POST."""
    return secrets.token_urlsafe(24)


def valid_nonce(value: str | None) -> bool:
    return bool(value and NONCE_RE.match(value))
