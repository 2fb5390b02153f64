"""Demo users, a plausible status history, field examples and the written sections
of the 2022-12-31 review draft, for `make run`. Idempotent."""

import datetime

from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _

from dcplan import access
from dcplan.languages import in_command_language
from deliverables.models import Deliverable, Office, Plan, Profile, Status, StatusUpdate
from deliverables.services import StatusInput, status_update_record
from demo.drafting import seed_written_sections
from demo.examples import seed_examples
from demo.history import history_for
from demo.planning import seed_planning
from demo.translations import seed_translations

DEMO_PASSWORD = "demo"
DEMO_USERS = [
    # user name, role group, office code, superuser
    ("admin", None, "PARDEV", True),
    ("pardev", access.HQ_STAFF, "PARDEV", False),
    ("manager", access.MANAGERS, "PARDEV", False),
    ("focal", access.FOCAL_POINTS, "CO-ABUJA", False),
]


class Command(BaseCommand):
    help = (
        "Create the demo users (password 'demo'), a plausible history of status updates, field examples "
        "and the written sections of the 2022-12-31 review. Safe to run twice."
    )

    @in_command_language
    @transaction.atomic
    def handle(self, *args, **options) -> None:
        # Load the fixtures only once: reloading them would reset the current
        # status fields that the history has moved since.
        if not Plan.objects.filter(symbol="GB.341/POL/4").exists():
            call_command("loaddata", "gb341_pol4", verbosity=0)
        if not Office.objects.exists():
            call_command("loaddata", "offices", verbosity=0)
        try:
            plan = Plan.objects.current()
        except Plan.DoesNotExist as exc:
            raise CommandError(str(exc)) from None
        seed_translations(plan=plan)  # focus area 1 in French and Spanish, marked unofficial
        users = self._users()
        created = self._history(plan, users["pardev"])
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo users ready (%(users)s); %(count)d status updates created.")
                % {"users": ", ".join(users), "count": created}
            )
        )
        # The demo's workflow goes through the real services, which e-mail the
        # people concerned; nobody should get mail about made-up examples.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            seed_examples(plan=plan, users=users, stdout=self.stdout)
        seed_written_sections(plan=plan, user=users["pardev"], stdout=self.stdout)
        seed_planning(plan=plan, users=users, password=DEMO_PASSWORD, stdout=self.stdout)

    def _users(self) -> dict[str, User]:
        users = {}
        for username, group_name, office_code, superuser in DEMO_USERS:
            try:
                office = Office.objects.get(code=office_code)
            except Office.DoesNotExist:
                raise CommandError(
                    _("Office %(code)s is missing: run `manage.py loaddata offices`.") % {"code": office_code}
                ) from None
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "is_superuser": superuser,
                    "is_staff": superuser,
                    "email": f"{username}@example.org",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))
            Profile.objects.get_or_create(user=user, defaults={"office": office})
            users[username] = user
        return users

    def _history(self, plan: Plan, author: User) -> int:
        """The scripted history of demo/history.py, through the real service."""
        created = 0
        with_history = set(StatusUpdate.objects.values_list("deliverable_id", flat=True).distinct())
        for deliverable in Deliverable.objects.in_plan(plan).in_code_order().select_related("plan"):
            if deliverable.pk in with_history:
                continue  # already has a history: leave it alone
            for as_of, status, progress, narrative in history_for(deliverable.code):
                data = StatusInput(
                    status=status,
                    as_of=as_of,
                    progress_value=progress if deliverable.has_target else None,
                    narrative=narrative,
                    evidence_links=("https://www.ilo.org/pardev",) if status == Status.ACHIEVED else (),
                )
                update = status_update_record(
                    deliverable=deliverable, user=author, data=data, seen_version=deliverable.version
                )
                # Demo only: make the history look as if it had been recorded at the time.
                recorded_at = timezone.make_aware(datetime.datetime.combine(as_of, datetime.time(10, 30)))
                StatusUpdate.objects.filter(pk=update.pk).update(recorded_at=recorded_at)
                created += 1
        return created
