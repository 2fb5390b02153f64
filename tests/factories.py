"""Small helpers that build test data; no hand-edited JSON."""

import datetime
import itertools

from django.contrib.auth.models import Group, User

from dcplan import access
from deliverables.models import (
    Deliverable,
    FocusArea,
    Office,
    Plan,
    Profile,
    ProposedAction,
    Status,
    StatusUpdate,
)
from deliverables.services import StatusInput, status_update_record

ROLE_GROUPS = {
    "hq": access.HQ_STAFF,
    "manager": access.MANAGERS,
    "focal": access.FOCAL_POINTS,
    "unit": access.UNIT_FOCAL_POINTS,
}
PASSWORD = "a-long-test-password"
_counter = itertools.count(1)


def make_user(username: str, *, role: str, office: str | None = None) -> User:
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD)
    if role == "superuser":
        user.is_superuser = user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
    else:
        user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    if office:
        Profile.objects.create(user=user, office=Office.objects.get(code=office))
    return user


def record(
    deliverable: Deliverable,
    user: User,
    status: str = Status.ON_TRACK,
    *,
    as_of: datetime.date | None = None,
    progress: int | None = None,
    narrative: str = "",
) -> None:
    deliverable.refresh_from_db()
    status_update_record(
        deliverable=deliverable,
        user=user,
        data=StatusInput(
            status=status,
            as_of=as_of or datetime.date(2022, 6, 30),
            progress_value=progress,
            narrative=narrative,
        ),
        seen_version=deliverable.version,
    )


def grow_plan(plan: Plan, user: User, *, factor: int = 100, updates_per_deliverable: int = 3) -> None:
    """Add deliverables (and their histories) until the plan is `factor` times its size."""
    base = list(Deliverable.objects.filter(plan=plan).select_related("action"))
    area = FocusArea.objects.filter(plan=plan).order_by("number").first()
    wanted = len(base) * (factor - 1)
    per_action = 20
    actions = []
    for i in range((wanted + per_action - 1) // per_action):
        actions.append(
            ProposedAction(
                plan=plan,
                focus_area=area,
                position=100 + i,
                code=f"{area.number}.{100 + i}",
                text=f"Generated action {i}",
            )
        )
    ProposedAction.objects.bulk_create(actions)
    new = []
    for n in range(wanted):
        action = actions[n // per_action]
        position = n % per_action + 1
        target = 10 if n % 4 == 0 else None
        new.append(
            Deliverable(
                plan=plan,
                action=action,
                position=position,
                code=f"{action.code}.{position}",
                text=f"Generated deliverable {n}",
                start_year=2021,
                end_year=2023 + 2 * (n % 2),
                target_value=target,
                target_unit="things" if target else "",
            )
        )
    Deliverable.objects.bulk_create(new)
    # Histories in bulk: going through the service for thousands of rows
    # would make the test slow without testing anything more.
    statuses = [Status.ON_TRACK, Status.AT_RISK, Status.ACHIEVED]
    everything = list(Deliverable.objects.filter(plan=plan, version=0).order_by("pk"))
    updates = [
        StatusUpdate(
            deliverable=d,
            version=k + 1,
            status=statuses[k % 3],
            author=user,
            as_of=datetime.date(2021 + k, 6, 1),
            progress_value=k if d.has_target else None,
            narrative="Generated",
        )
        for d in everything
        for k in range(updates_per_deliverable)
    ]
    StatusUpdate.objects.bulk_create(updates, batch_size=500)
    latest = {
        u.deliverable_id: u
        for u in StatusUpdate.objects.filter(deliverable__plan=plan, version=updates_per_deliverable)
    }
    for d in everything:
        u = latest[d.pk]
        d.status, d.progress_value, d.last_update, d.version = u.status, u.progress_value, u, u.version
    Deliverable.objects.bulk_update(
        everything, ["status", "progress_value", "last_update", "version"], batch_size=500
    )
