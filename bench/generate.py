"""The bench's two data shapes, built in bulk (this measures the pages, not the generator).

- "realistic": the real plan (GB.341/POL/4: 32 deliverables) and the real offices
  (39 with headquarters), a status update every quarter for five years for every
  deliverable (20 each), and 2,000 field examples in every state, half of the
  approved ones cleared for citation.
- "stress" (100×): the same plan and offices, with 100 times the updates per
  deliverable (2,000 each) and 100 times the examples (200,000). The plan and the
  offices do not grow: the real growth is in the history and the examples. Of the
  120,000 approved examples 1,000 are citable: the review's length is measured on
  its own axis ("the plan × N citable examples", bench/report.py), and a review
  of 60,000 examples is no document anyone would issue.

Call `generate(shape)` on an empty, migrated database with Django set up."""

import datetime
import random

from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from dcplan import access
from deliverables.models import Deliverable, Office, Plan, Profile, Status, StatusUpdate
from examples.models import ExampleTransition, ProgressExample
from planning.models import ReportingRound

SHAPES = {
    "realistic": {"updates_per_deliverable": 20, "examples": 2_000},
    "stress": {"updates_per_deliverable": 2_000, "examples": 200_000, "citable": 1_000},
}
# Shares of the examples by state, roughly as a review round leaves them.
STATE_MIX = [
    (ProgressExample.State.APPROVED, 60),
    (ProgressExample.State.SUBMITTED, 10),
    (ProgressExample.State.DRAFT, 10),
    (ProgressExample.State.RETURNED, 10),
    (ProgressExample.State.REJECTED, 10),
]
COUNTRIES = ["NG", "GH", "TZ", "KE", "BR", "AR", "JO", "LB", "BD", "ID", "VN", "TR", "RS", "UZ"]
BATCH = 2_000


def generate(shape: str) -> dict[str, int]:
    sizes = SHAPES[shape]
    rng = random.Random(shape)
    call_command("loaddata", "gb341_pol4", "offices", verbosity=0)
    plan = Plan.objects.current()
    hq_office = Office.objects.get(code="PARDEV")
    hq = _user("pardev", access.HQ_STAFF, hq_office)
    _user("manager", access.MANAGERS, hq_office)
    offices = list(Office.objects.exclude(kind=Office.Kind.HEADQUARTERS).order_by("pk"))
    focal = _user("focal", access.FOCAL_POINTS, offices[0])
    _histories(plan, hq, rng, sizes["updates_per_deliverable"])
    _examples(plan, offices, focal, hq, rng, sizes["examples"])
    if "citable" in sizes:
        cite_only(sizes["citable"])
    ReportingRound.objects.create(
        plan=plan,
        name="Mid-term review 2024",
        opens_on=datetime.date(2024, 1, 1),
        cut_off=datetime.date(2024, 12, 31),
        updates_due=datetime.date(2025, 1, 31),
        examples_due=datetime.date(2025, 1, 31),
        opened_by=hq,
    )
    return data_counts()


def data_counts() -> dict[str, int]:
    return {
        "deliverables": Deliverable.objects.count(),
        "status_updates": StatusUpdate.objects.count(),
        "offices": Office.objects.count(),
        "examples": ProgressExample.objects.count(),
        "citable_examples": ProgressExample.objects.filter(
            state=ProgressExample.State.APPROVED, may_be_cited=True
        ).count(),
    }


def _user(username: str, group: str, office: Office) -> User:
    user = User.objects.create_user(username, f"{username}@example.org", "bench-password-123")
    user.groups.add(Group.objects.get(name=group))
    Profile.objects.create(user=user, office=office)
    return user


def _histories(plan: Plan, author: User, rng: random.Random, per_deliverable: int) -> None:
    """`per_deliverable` updates spread evenly over 2021-2025 (quarterly at 20)."""
    everything = list(Deliverable.objects.filter(plan=plan).order_by("pk"))
    start, days = datetime.date(2021, 3, 31), 5 * 365
    now = timezone.now()
    statuses = list(Status)
    for d in everything:
        updates = [
            StatusUpdate(
                deliverable=d,
                version=k + 1,
                status=Status.ON_TRACK if rng.random() < 0.6 else rng.choice(statuses),
                author=author,
                as_of=start + datetime.timedelta(days=k * days // per_deliverable),
                progress_value=(k + 1) * d.target_value // per_deliverable if d.has_target else None,
                narrative="Consultations held; the products are under review with the departments concerned.",
                recorded_at=now - datetime.timedelta(minutes=per_deliverable - k),
            )
            for k in range(per_deliverable)
        ]
        StatusUpdate.objects.bulk_create(updates, batch_size=BATCH)
    latest = {
        u.deliverable_id: u
        for u in StatusUpdate.objects.filter(deliverable__plan=plan, version=per_deliverable)
    }
    for d in everything:
        u = latest[d.pk]
        d.status, d.progress_value, d.last_update, d.version = u.status, u.progress_value, u, u.version
    Deliverable.objects.bulk_update(everything, ["status", "progress_value", "last_update", "version"])


def _examples(
    plan: Plan, offices: list[Office], focal: User, hq: User, rng: random.Random, count: int
) -> None:
    """The realistic count built as objects; the stress shape's copies, the links to
    deliverables (two per example) and the transitions written set-wise in SQL."""
    base = min(count, SHAPES["realistic"]["examples"])
    states = [state for state, share in STATE_MIX for _ in range(share)]
    now = timezone.now()
    examples = []
    for i in range(base):
        state = states[i % len(states)]
        office = offices[i % len(offices)]
        examples.append(
            ProgressExample(
                office=office,
                countries=[rng.choice(COUNTRIES)],
                title=f"Example {i} from {office.code}: national action plan on decent work",
                started_on=datetime.date(2021 + i % 5, 1 + i % 12, 1 + i % 28),
                what_was_done="Tripartite training delivered to labour inspectors and social partners.",
                results="Two national action plans adopted; the ministry budgeted the follow-up.",
                involves_government=True,
                involves_workers=i % 2 == 0,
                involves_employers=i % 3 == 0,
                partners="ITC-ILO",
                south_south=i % 4 == 0,
                may_be_cited=state == ProgressExample.State.APPROVED and i % 2 == 0,
                state=state,
                created_by=focal,
                created_at=now,
                updated_at=now - datetime.timedelta(seconds=i),
                submitted_at=None if state == ProgressExample.State.DRAFT else now,
                approved_at=now if state == ProgressExample.State.APPROVED else None,
            )
        )
    ProgressExample.objects.bulk_create(examples, batch_size=BATCH)
    example = ProgressExample._meta.db_table
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in ProgressExample._meta.concrete_fields if not f.primary_key)
    links = ProgressExample.deliverables.through._meta.db_table
    transitions = ExampleTransition._meta.db_table
    ids = list(Deliverable.objects.filter(plan=plan).order_by("pk").values_list("pk", flat=True))
    State = ProgressExample.State
    at = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        if count > base:
            cursor.execute(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %s) "
                f"INSERT INTO {example} ({columns}) SELECT {columns} FROM {example} CROSS JOIN n",
                [count // base - 1],
            )
        # Two deliverables per example, picked by the example's id among the plan's.
        for offset in (0, len(ids) // 2):
            cursor.execute(
                f"INSERT INTO {links} (progressexample_id, deliverable_id) "
                f"SELECT e.id, d.id FROM {example} e JOIN deliverables_deliverable d "
                "ON d.plan_id = %s AND d.id = %s + ((e.id + %s) %% %s)",
                [plan.pk, ids[0], offset, len(ids)],
            )
        cursor.execute(
            f"INSERT INTO {transitions} (example_id, from_state, to_state, actor_id, at, comment) "
            f"SELECT id, %s, %s, %s, %s, '' FROM {example} WHERE state <> %s",
            [State.DRAFT, State.SUBMITTED, focal.pk, at, State.DRAFT],
        )
        cursor.execute(
            f"INSERT INTO {transitions} (example_id, from_state, to_state, actor_id, at, comment) "
            f"SELECT id, %s, state, %s, %s, 'Reviewed.' FROM {example} WHERE state IN (%s, %s, %s)",
            [State.SUBMITTED, hq.pk, at, State.APPROVED, State.REJECTED, State.RETURNED],
        )


def cite_only(count: int) -> int:
    """Leave exactly `count` examples citable (the first approved ones), for the
    review as "the plan × N citable examples". Returns how many are."""
    approved = ProgressExample.objects.filter(state=ProgressExample.State.APPROVED)
    # updated_at moves as the application's own edits move it: the review's
    # render key must see the change.
    now = timezone.now()
    approved.update(may_be_cited=False, updated_at=now)
    keep = list(approved.order_by("pk").values_list("pk", flat=True)[:count])
    return ProgressExample.objects.filter(pk__in=keep).update(may_be_cited=True, updated_at=now)
