"""Demo responsibilities, milestones and reporting rounds for `seed_demo`: lead
units for most deliverables, two unit focal points, an open round whose
deadlines count from the day the demo is seeded (so reminders are due on a
fresh demo), a closed round, milestones with some overdue (never those of an
achieved deliverable: its milestones are done). Idempotent."""

import datetime

from django.contrib.auth.models import Group, User
from django.utils import timezone
from django.utils.translation import gettext

from dcplan import access
from deliverables.models import Deliverable, Office, Plan, Profile
from planning.models import Milestone, ReportingRound

UNIT_USERS = [("unit_program", "PROGRAM"), ("unit_itcilo", "ITCILO")]
# Lead units in turn; every seventh deliverable is left without one (a gap to see).
LEADS = ["PARDEV", "PROGRAM", "MULTILATERALS", "ITCILO", "EVAL", "ACTEMP"]
CONTRIBUTORS = {"PROGRAM": ["PARDEV"], "ITCILO": ["ACTRAV", "RO-ABIDJAN"], "MULTILATERALS": ["PROGRAM"]}
MILESTONES = [
    # (days from today for the due date, done days from today or None, title)
    (-400, -390, "Concept note cleared by the Deputy Director-General"),
    (-120, None, "Draft circulated to the regions for comment"),
    (-20, None, "Consultation with the Employers' and Workers' groups"),
    (45, None, "Final version submitted to PARDEV"),
]


def seed_planning(*, plan: Plan, users: dict[str, User], password: str, stdout) -> None:
    today = timezone.localdate()
    offices = {o.code: o for o in Office.objects.all()}
    for username, code in UNIT_USERS:
        users[username] = _unit_user(username, offices[code], password)
    deliverables = list(Deliverable.objects.in_plan(plan).in_code_order().select_related("last_update"))
    assigned = 0
    for n, d in enumerate(deliverables):
        if d.lead_unit_id or n % 7 == 6:
            continue
        lead = offices[LEADS[n % len(LEADS)]]
        contributing = [offices[c] for c in CONTRIBUTORS.get(lead.code, []) if c in offices]
        d.assign_units(lead_unit=lead, contributing_units=contributing)
        assigned += 1
    milestones = 0
    if not Milestone.objects.filter(deliverable__plan=plan).exists():
        for d in deliverables[::3]:
            for due, done, title in MILESTONES[: 2 + d.position % 3]:
                due_on = today + datetime.timedelta(days=due)
                done_on = today + datetime.timedelta(days=done) if done is not None else None
                if d.status_choice.is_achieved:
                    # Achieved: every step was done, by its due date or by the achievement.
                    done_on = min(due_on, d.last_update.as_of if d.last_update else today)
                Milestone.objects.create(
                    deliverable=d,
                    title=title,
                    due_on=due_on,
                    done_on=done_on,
                    responsible_unit=d.lead_unit,
                    updated_by=users["pardev"],
                )
                milestones += 1
    _rounds(plan, users["pardev"], today)
    stdout.write(
        gettext(
            "Planning: %(assigned)d lead units assigned, %(milestones)d milestones, "
            "unit focal points %(users)s; an open round due in 7 and 14 days."
        )
        % {"assigned": assigned, "milestones": milestones, "users": ", ".join(u for u, _code in UNIT_USERS)}
    )


def _unit_user(username: str, office: Office, password: str) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.org"}
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=access.UNIT_FOCAL_POINTS))
    Profile.objects.get_or_create(user=user, defaults={"office": office})
    return user


def _rounds(plan: Plan, pardev: User, today: datetime.date) -> None:
    closed, created = ReportingRound.objects.get_or_create(
        plan=plan,
        name="Annual update 2022",
        defaults=dict(
            opens_on=datetime.date(2022, 1, 1),
            cut_off=datetime.date(2022, 12, 31),
            updates_due=datetime.date(2023, 1, 31),
            examples_due=datetime.date(2023, 1, 31),
            opened_by=pardev,
        ),
    )
    if created:
        closed.close(pardev)
        ReportingRound.objects.filter(pk=closed.pk).update(
            closed_at=timezone.make_aware(datetime.datetime(2023, 2, 1, 9, 0))
        )
    # Due in 7 and 14 days from the day of seeding: the 7-day and 14-day reminders are due now.
    ReportingRound.objects.get_or_create(
        plan=plan,
        name=f"Progress update {today.year}",
        defaults=dict(
            opens_on=today - datetime.timedelta(days=30),
            cut_off=today,
            updates_due=today + datetime.timedelta(days=7),
            examples_due=today + datetime.timedelta(days=14),
            opened_by=pardev,
        ),
    )
