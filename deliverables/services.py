"""Actions that span several models. One code path per action: the web form,
the spreadsheet import and the shell all call these."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
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


@dataclass(frozen=True)
class StatusItem:
    """One update to record: what the writer says of a deliverable, and the
    deliverable's version they saw before saying it."""

    deliverable: Deliverable
    data: StatusInput
    seen_version: int


# Each deliverable costs 11 bind parameters in the claiming UPDATE; SQLite
# allows 999 a statement (Django's limit), so larger batches take more statements.
CLAIM_CHUNK = 90


def status_update_record(
    *, deliverable: Deliverable, user: AbstractBaseUser, data: StatusInput, seen_version: int
) -> StatusUpdate:
    """Append a status update and move the deliverable's current fields: the
    one-row case of status_updates_record(), so the form, the import and the
    shell share one code path. Refuses with StaleVersion when the deliverable's
    version is no longer `seen_version`."""
    items = [StatusItem(deliverable=deliverable, data=data, seen_version=seen_version)]
    return status_updates_record(items=items, user=user)[0]


@transaction.atomic
def status_updates_record(*, items: Sequence[StatusItem], user: AbstractBaseUser) -> list[StatusUpdate]:
    """Append status updates, several per deliverable if need be, and move
    each deliverable's current fields, in a fixed number of queries whatever
    the number of items: lock, insert, claim.

    A deliverable's items are recorded in the order given and must all carry
    the version seen before this call; they become versions seen + 1, seen + 2, ….
    Refuses everything with StaleVersion when any deliverable's version is no
    longer the one seen.

    The lock is a SELECT … FOR UPDATE of the deliverables in id order (the same
    order for every writer, so two batches cannot deadlock): on PostgreSQL a
    concurrent writer waits there and then reads the committed version; on
    SQLite transactions are IMMEDIATE, so writers queue. The claim is one
    conditional UPDATE … WHERE (id, version) = (…, seen) OR …, which also
    writes the current fields; the unique (deliverable, version) constraint
    backs both up.
    """
    if not items:
        return []
    seen: dict[int, int] = {}
    by_deliverable: dict[int, list[StatusItem]] = {}
    for item in items:
        pk = item.deliverable.pk
        if seen.setdefault(pk, item.seen_version) != item.seen_version:
            raise ValueError(f"Deliverable {item.deliverable.code}: items disagree on the version seen.")
        by_deliverable.setdefault(pk, []).append(item)

    # Each deliverable's version and when its current update speaks for, as
    # plain values: no model instance per deliverable.
    locked = {
        pk: (version, (as_of, recorded_at, last_version) if as_of is not None else None)
        for pk, version, as_of, recorded_at, last_version in Deliverable.objects.filter(pk__in=seen)
        .select_for_update(of=("self",))
        .order_by("pk")
        .values_list(
            "pk", "version", "last_update__as_of", "last_update__recorded_at", "last_update__version"
        )
    }
    for item in items:
        row = locked.get(item.deliverable.pk)
        if row is None or row[0] != item.seen_version:
            raise StaleVersion(item.deliverable, item.seen_version)

    recorded_at = timezone.now()
    updates = [
        StatusUpdate(
            deliverable_id=pk,
            version=seen[pk] + position,
            status=item.data.status,
            progress_value=item.data.progress_value,
            narrative=item.data.narrative,
            evidence_links=list(item.data.evidence_links),
            author=user,
            as_of=item.data.as_of,
            recorded_at=recorded_at,
        )
        for pk, group in by_deliverable.items()
        for position, item in enumerate(group, start=1)
    ]
    try:
        with transaction.atomic():
            StatusUpdate.objects.bulk_create(updates)
    except IntegrityError:
        first = items[0]
        raise StaleVersion(first.deliverable, first.seen_version) from None

    latest = _new_latest(locked, updates)
    _claim(seen, {pk: len(group) for pk, group in by_deliverable.items()}, latest)

    for pk, group in by_deliverable.items():
        for item in group:
            deliverable = item.deliverable
            deliverable.version = seen[pk] + len(group)
            if pk in latest:
                deliverable.status = latest[pk].status
                deliverable.progress_value = latest[pk].progress_value
                deliverable.last_update = latest[pk]
    return updates


def _new_latest(locked: dict[int, tuple], updates: list[StatusUpdate]) -> dict[int, StatusUpdate]:
    """Each deliverable's new current update, for those whose current update
    changes. The current status is the update with the latest "as of" date:
    a back-dated update joins the history without overriding a newer statement.
    `locked`: deliverable id → (version, (as_of, recorded_at, version) of its
    current update or None)."""
    best = {pk: when for pk, (_version, when) in locked.items() if when is not None}
    latest: dict[int, StatusUpdate] = {}
    for update in updates:
        when = (update.as_of, update.recorded_at, update.version)
        pk = update.deliverable_id
        if pk not in best or when >= best[pk]:
            latest[pk], best[pk] = update, when
    return latest


def _claim(seen: dict[int, int], counts: dict[int, int], latest: dict[int, StatusUpdate]) -> None:
    """Move every deliverable from the version seen to seen + its number of
    updates, and its current fields to its new latest update, with one
    conditional UPDATE per CLAIM_CHUNK deliverables.

    The statement is written as SQL text with one CASE branch per deliverable
    (`CASE id WHEN %s THEN %s … ELSE column END`), the same on SQLite and
    PostgreSQL: building it costs a few string joins, where one Django
    expression per deliverable and field cost seconds for a 5,000-row file.
    Each CASE ends with the column itself, which gives PostgreSQL its type."""
    quote = connection.ops.quote_name
    meta = Deliverable._meta
    table, pk_column = quote(meta.db_table), quote(meta.pk.column)
    column = {
        name: quote(meta.get_field(name).column)
        for name in ("version", "status", "progress_value", "last_update")
    }
    pks = sorted(seen)
    for start in range(0, len(pks), CLAIM_CHUNK):
        chunk = pks[start : start + CLAIM_CHUNK]
        values = {"version": {pk: seen[pk] + counts[pk] for pk in chunk}}
        moved = {pk: latest[pk] for pk in chunk if pk in latest}
        if moved:
            values["status"] = {pk: u.status for pk, u in moved.items()}
            values["progress_value"] = {pk: u.progress_value for pk, u in moved.items()}
            values["last_update"] = {pk: u.pk for pk, u in moved.items()}
        assignments, params = [], []
        for name, by_pk in values.items():
            sql, case_params = _case(pk_column, by_pk, column[name])
            assignments.append(f"{column[name]} = {sql}")
            params += case_params
        seen_sql, seen_params = _case(pk_column, {pk: seen[pk] for pk in chunk}, "NULL")
        placeholders = ", ".join(["%s"] * len(chunk))
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {', '.join(assignments)} "
                f"WHERE {pk_column} IN ({placeholders}) AND {column['version']} = {seen_sql}",
                [*params, *chunk, *seen_params],
            )
            claimed = cursor.rowcount
        if claimed != len(chunk):
            # Only a writer that skipped the lock could get here; raising rolls
            # back everything this call wrote.
            versions = dict(Deliverable.objects.filter(pk__in=chunk).values_list("pk", "version"))
            stale = next(pk for pk in chunk if versions.get(pk) != seen[pk])
            raise StaleVersion(Deliverable.objects.get(pk=stale), seen[stale])


def _case(pk_column: str, values: dict[int, object], default: str) -> tuple[str, list]:
    """CASE id WHEN … THEN value … ELSE default END, as SQL text and its parameters."""
    params: list = []
    for pk, value in values.items():
        params += [pk, value]
    return f"CASE {pk_column}{' WHEN %s THEN %s' * len(values)} ELSE {default} END", params
