"""Test data for the review: field examples approved at a chosen moment, and a
plan grown with examples for the query-count tests."""

import datetime

from django.utils import timezone

from deliverables.models import Deliverable, Office
from examples.models import ProgressExample
from reporting.models import IssuedReview

State = ProgressExample.State
CUT_OFF = datetime.date(2022, 12, 31)


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def make_example(
    user,
    *,
    title: str = "Tripartite validation of the national employment policy",
    office: str = "CO-ABUJA",
    codes=("1.1.1",),
    state: str = State.APPROVED,
    approved_on: datetime.date | None = datetime.date(2022, 10, 3),
    may_be_cited: bool = True,
    **values,
) -> ProgressExample:
    """An example in `state`, approved on `approved_on` (the review reads approved_at, so
    the test sets it rather than waiting for the clock)."""
    approved = state == State.APPROVED
    example = ProgressExample.objects.create(
        office=Office.objects.get(code=office),
        countries=values.pop("countries", ["NG"]),
        title=title,
        started_on=values.pop("started_on", datetime.date(2022, 3, 1)),
        ended_on=values.pop("ended_on", datetime.date(2022, 11, 30)),
        what_was_done=values.pop("what_was_done", "Two tripartite validation workshops were held."),
        results=values.pop("results", "The revised policy was adopted by the Council of Ministers."),
        involves_government=values.pop("involves_government", True),
        involves_employers=values.pop("involves_employers", True),
        involves_workers=values.pop("involves_workers", False),
        partners=values.pop("partners", "ITC-ILO"),
        south_south=values.pop("south_south", False),
        may_be_cited=may_be_cited,
        state=state,
        created_by=user,
        submitted_at=None if state == State.DRAFT else at(datetime.date(2022, 9, 1)),
        approved_at=at(approved_on) if approved and approved_on else None,
        **values,
    )
    example.deliverables.set(Deliverable.objects.filter(code__in=codes))
    return example


def grow_examples(plan, user, *, count: int) -> None:
    """`count` approved, citable examples across the field offices, two deliverables each."""
    offices = list(Office.objects.exclude(kind=Office.Kind.HEADQUARTERS).order_by("pk"))
    deliverables = list(Deliverable.objects.in_plan(plan).order_by("pk").values_list("pk", flat=True))
    ProgressExample.objects.bulk_create(
        [
            ProgressExample(
                office=offices[n % len(offices)],
                countries=["NG", "GH"],
                title=f"Generated example {n}",
                started_on=datetime.date(2022, 1 + n % 12, 1),
                what_was_done="Workshops held.",
                results="A plan adopted.",
                involves_government=True,
                may_be_cited=True,
                state=State.APPROVED,
                created_by=user,
                submitted_at=at(datetime.date(2022, 6, 1)),
                approved_at=at(datetime.date(2022, 6, 2)),
            )
            for n in range(count)
        ]
    )
    through = ProgressExample.deliverables.through
    links = []
    for n, pk in enumerate(
        ProgressExample.objects.filter(title__startswith="Generated").values_list("pk", flat=True)
    ):
        links.append(through(progressexample_id=pk, deliverable_id=deliverables[n % len(deliverables)]))
        links.append(
            through(progressexample_id=pk, deliverable_id=deliverables[(n * 7 + 3) % len(deliverables)])
        )
    through.objects.bulk_create(links, ignore_conflicts=True)


def make_issued_review(plan, user) -> IssuedReview:
    """An issued review with stand-in bytes: no rendering needed to test access to it."""
    review = IssuedReview.build(
        plan=plan,
        as_of=CUT_OFF,
        cover={"symbol": "GB.347/POL/3"},
        pdf=b"%PDF-1.7 stored bytes",
        issued_by=user,
    )
    review.save()
    return review
