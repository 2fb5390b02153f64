"""Build the plan at N times its size: deliverables, update histories, offices and
examples in every state. Bulk inserts: this measures the pages, not the generator.

Call `generate(factor)` on an empty, migrated database with Django set up."""

import datetime
import random

from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.utils import timezone

from dcplan import access
from deliverables.models import (
    Deliverable,
    FocusArea,
    Office,
    Plan,
    Profile,
    ProposedAction,
    Region,
    Status,
    StatusUpdate,
)
from examples.models import ExampleTransition, ProgressExample

UPDATES_PER_DELIVERABLE = 3
EXAMPLES_PER_OFFICE = 1  # the real offices each send about one example per review
STATES = list(ProgressExample.State)
COUNTRIES = ["NG", "GH", "TZ", "KE", "BR", "AR", "JO", "LB", "BD", "ID", "VN", "TR", "RS", "UZ"]


def generate(factor: int) -> dict[str, int]:
    rng = random.Random(factor)
    call_command("loaddata", "gb341_pol4", "offices", verbosity=0)
    plan = Plan.objects.current()
    hq = _user("pardev", access.HQ_STAFF, Office.objects.get(code="PARDEV"))
    _user("manager", access.MANAGERS, Office.objects.get(code="PARDEV"))
    _grow_plan(plan, factor)
    _histories(plan, hq, rng)
    offices = _grow_offices(factor)
    focal = _user("focal", access.FOCAL_POINTS, offices[0])
    _examples(plan, offices, focal, hq, rng)
    return {
        "deliverables": Deliverable.objects.count(),
        "status_updates": StatusUpdate.objects.count(),
        "offices": Office.objects.count(),
        "examples": ProgressExample.objects.count(),
    }


def _user(username: str, group: str, office: Office) -> User:
    user = User.objects.create_user(username, f"{username}@example.org", "bench-password-123")
    user.groups.add(Group.objects.get(name=group))
    Profile.objects.create(user=user, office=office)
    return user


def _grow_plan(plan: Plan, factor: int) -> None:
    base = Deliverable.objects.filter(plan=plan).count()
    wanted = base * (factor - 1)
    areas = list(FocusArea.objects.filter(plan=plan).order_by("number"))
    per_action = 8
    actions = [
        ProposedAction(
            plan=plan,
            focus_area=areas[i % 4],
            position=100 + i // 4,
            code=f"{areas[i % 4].number}.{100 + i // 4}",
            text=f"Generated proposed action {i}",
        )
        for i in range((wanted + per_action - 1) // per_action)
    ]
    ProposedAction.objects.bulk_create(actions)
    deliverables = []
    for n in range(wanted):
        action, position = actions[n // per_action], n % per_action + 1
        target = 10 * (1 + n % 3) if n % 5 == 0 else None
        deliverables.append(
            Deliverable(
                plan=plan,
                action=action,
                position=position,
                code=f"{action.code}.{position}",
                text=f"Generated deliverable {n}: capacity-development tools are produced and rolled out.",
                start_year=2021,
                end_year=2023 if n % 2 else 2025,
                target_value=target,
                target_unit="initiatives" if target else "",
            )
        )
    Deliverable.objects.bulk_create(deliverables, batch_size=1000)


def _histories(plan: Plan, author: User, rng: random.Random) -> None:
    everything = list(Deliverable.objects.filter(plan=plan).order_by("pk"))
    path = [Status.ON_TRACK, Status.AT_RISK, Status.ACHIEVED]
    updates = []
    for d in everything:
        for k in range(UPDATES_PER_DELIVERABLE):
            status = path[k] if rng.random() < 0.7 else rng.choice(list(Status))
            updates.append(
                StatusUpdate(
                    deliverable=d,
                    version=k + 1,
                    status=status,
                    author=author,
                    as_of=datetime.date(2021 + k, rng.randint(1, 12), rng.randint(1, 28)),
                    progress_value=(k + 1) * d.target_value // 3 if d.has_target else None,
                    narrative="Consultations held; the products are under review with the departments concerned.",
                    recorded_at=timezone.now(),
                )
            )
    StatusUpdate.objects.bulk_create(updates, batch_size=1000)
    latest = {u.deliverable_id: u for u in StatusUpdate.objects.filter(version=UPDATES_PER_DELIVERABLE)}
    for d in everything:
        u = latest[d.pk]
        d.status, d.progress_value, d.last_update, d.version = u.status, u.progress_value, u, u.version
    Deliverable.objects.bulk_update(
        everything, ["status", "progress_value", "last_update", "version"], batch_size=1000
    )


def _grow_offices(factor: int) -> list[Office]:
    regions = list(Region.objects.order_by("pk"))
    field = list(Office.objects.exclude(kind=Office.Kind.HEADQUARTERS).order_by("pk"))
    extra = [
        Office(
            name=f"ILO Generated Country Office {i}",
            code=f"GEN-{i}",
            kind=Office.Kind.COUNTRY,
            region=regions[i % len(regions)],
            city=f"City {i}",
        )
        for i in range(len(field) * (factor - 1))
    ]
    Office.objects.bulk_create(extra, batch_size=1000)
    return list(Office.objects.exclude(kind=Office.Kind.HEADQUARTERS).order_by("pk"))


def _examples(plan: Plan, offices: list[Office], focal: User, hq: User, rng: random.Random) -> None:
    deliverable_ids = list(Deliverable.objects.filter(plan=plan).values_list("pk", flat=True))
    now = timezone.now()
    examples = []
    for i, office in enumerate(offices):
        for _ in range(EXAMPLES_PER_OFFICE):
            state = STATES[i % len(STATES)]
            examples.append(
                ProgressExample(
                    office=office,
                    countries=[rng.choice(COUNTRIES)],
                    title=f"Example {i} from {office.code}",
                    started_on=datetime.date(2022, 1 + i % 12, 1),
                    what_was_done="Tripartite training delivered.",
                    results="Two national action plans adopted.",
                    involves_government=True,
                    involves_workers=i % 2 == 0,
                    involves_employers=i % 3 == 0,
                    partners="ITC-ILO",
                    south_south=i % 4 == 0,
                    may_be_cited=i % 2 == 0,
                    state=state,
                    created_by=focal,
                    submitted_at=None if state == ProgressExample.State.DRAFT else now,
                    approved_at=now if state == ProgressExample.State.APPROVED else None,
                )
            )
    ProgressExample.objects.bulk_create(examples, batch_size=1000)
    links, transitions = [], []
    through = ProgressExample.deliverables.through
    for example in ProgressExample.objects.order_by("pk"):
        for pk in rng.sample(deliverable_ids, 2):
            links.append(through(progressexample_id=example.pk, deliverable_id=pk))
        if example.state != ProgressExample.State.DRAFT:
            transitions.append(
                ExampleTransition(
                    example=example,
                    from_state=ProgressExample.State.DRAFT,
                    to_state=ProgressExample.State.SUBMITTED,
                    actor=focal,
                    at=now,
                )
            )
        if example.state in (
            ProgressExample.State.APPROVED,
            ProgressExample.State.REJECTED,
            ProgressExample.State.RETURNED,
        ):
            transitions.append(
                ExampleTransition(
                    example=example,
                    from_state=ProgressExample.State.SUBMITTED,
                    to_state=example.state,
                    actor=hq,
                    at=now,
                    comment="Reviewed.",
                )
            )
    through.objects.bulk_create(links, batch_size=1000)
    ExampleTransition.objects.bulk_create(transitions, batch_size=1000)
