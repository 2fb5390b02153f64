"""send_reminders: who is told what and when; each reminder once, across
repeated runs and across concurrent runs (two threads, separate connections)."""

import datetime
import io
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import translation

from deliverables.models import Deliverable, Office
from planning.models import Reminder, ReportingRound
from planning.selectors import reminder_slot
from tests.factories import PASSWORD, make_user

D = datetime.date
DAYS = [14, 7, 1]
DEADLINE = D(2023, 1, 31)


@pytest.mark.parametrize(
    ("today", "slot"),
    [
        (D(2023, 1, 16), None),  # 15 days before: nothing yet
        (D(2023, 1, 17), "14d"),
        (D(2023, 1, 23), "14d"),  # between two reminders: still the 14-day one (sent once)
        (D(2023, 1, 24), "7d"),
        (D(2023, 1, 30), "1d"),
        (D(2023, 1, 31), "1d"),  # the deadline itself
        (D(2023, 2, 1), "late"),
        (D(2023, 6, 1), "late"),  # still the same single "late" reminder
    ],
)
def test_the_slot_due_on_each_day(today, slot):
    assert reminder_slot(DEADLINE, today, DAYS) == slot


@pytest.fixture
def round(plan, users, units):
    # Field-office focal points of CO-ABUJA (focal_a) and CO-DHAKA (focal_b) have no example yet.
    return ReportingRound.objects.create(
        plan=plan,
        name="Mid-term review 2023",
        opens_on=D(2022, 7, 1),
        cut_off=D(2022, 12, 31),
        updates_due=DEADLINE,
        examples_due=D(2023, 2, 5),
        opened_by=users["hq"],
    )


def run(*args) -> str:
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def sent_to() -> list[tuple[str, str]]:
    return sorted((m.to[0], m.subject.split(":")[0]) for m in mail.outbox)


def test_a_dry_run_lists_and_sends_nothing(round, users):
    out = run("--dry-run", "--today", "2023-01-24")
    assert "would send: Mid-term review 2023 | unit_a <unit_a@example.org> | updates 7d" in out
    assert "unit_b <unit_b@example.org> | updates 7d" in out
    assert "hq <hq@example.org> | summary 7d" in out
    assert "focal_a <focal_a@example.org> | examples 14d" in out
    assert "would send 5 reminder(s)" in out
    assert mail.outbox == [] and not Reminder.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reminders_are_sent_once_per_slot_and_again_at_the_next_one(round, users):
    out = run("--today", "2023-01-24")
    assert "sent 5 reminder(s)" in out
    assert len(mail.outbox) == 5
    unit_mail = next(m for m in mail.outbox if m.to == ["unit_a@example.org"])
    assert "1.4.1" in unit_mail.body and "2.2.1" in unit_mail.body and "3.1.1" not in unit_mail.body
    assert unit_mail.subject == "Reminder for Mid-term review 2023: due by 31 January 2023"
    summary = next(m for m in mail.outbox if m.to == ["hq@example.org"])
    assert "PROGRAM: 1" in summary.body and "ITCILO: 1" in summary.body
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 5

    assert "sent 0 reminder(s); 5 already sent before" in run("--today", "2023-01-24")
    assert "sent 0 reminder(s)" in run("--today", "2023-01-26")  # same slots, a later day
    assert len(mail.outbox) == 5

    run("--today", "2023-02-02")  # after the update deadline: "late", once
    late = [m for m in mail.outbox[5:] if m.to == ["unit_a@example.org"]]
    assert len(late) == 1 and late[0].subject.startswith("Overdue for Mid-term review 2023")
    run("--today", "2023-02-10")
    assert len([m for m in mail.outbox if m.to == ["unit_a@example.org"]]) == 2


def test_nobody_is_reminded_of_what_is_done_or_of_a_closed_round(round, users):
    from tests.factories import record

    for code in ["1.4.1", "2.2.1"]:
        record(Deliverable.objects.get(code=code), users["hq"], as_of=D(2022, 12, 1), progress=1)
    out = run("--dry-run", "--today", "2023-01-24")
    assert "unit_a" not in out and "unit_b" in out
    round.close(users["hq"])
    assert "would send 0 reminder(s)" in run("--dry-run", "--today", "2023-01-24")


def test_my_reminders_shows_what_i_was_reminded_of(client, round, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run("--today", "2023-01-24")
    client.login(username="unit_a", password=PASSWORD)
    page = client.get(reverse("planning:my_reminders")).content.decode()
    assert "Mid-term review 2023" in page and "1.4.1" in page and "7 days before" in page
    client.logout()
    make_user("nobody", role="unit", office="EVAL")
    client.login(username="nobody", password=PASSWORD)
    page = client.get(reverse("planning:my_reminders")).content.decode()
    assert "You have not been reminded of anything." in page and "1.4.1" not in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_the_same_time_send_each_reminder_once(round, users):
    # More recipients, so that the two runs overlap on many claims.
    program = Office.objects.get(code="PROGRAM")
    for n in range(8):
        make_user(f"program_{n}", role="unit", office="PROGRAM")
    assert Deliverable.objects.for_unit(program).count() == 2
    start = threading.Barrier(2)
    errors = []

    def one_run():
        try:
            start.wait(10)
            run("--today", "2023-01-24")
        except Exception as exc:  # noqa: BLE001 - the test reports it
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    expected = 2 + 8 + 1 + 2  # unit_a, unit_b, 8 more unit focal points, hq's summary, two field offices
    assert Reminder.objects.count() == expected
    assert len(mail.outbox) == expected
    assert len({tuple(m.to) for m in mail.outbox}) == expected


def test_reminders_reach_a_spanish_user_in_spanish_and_the_others_in_english(
    round, users, django_capture_on_commit_callbacks
):
    users["unit_a"].profile.language = "es"
    users["unit_a"].profile.save(update_fields=["language"])
    with translation.override("fr"):  # whatever the thread had active: the recipient's language wins
        with django_capture_on_commit_callbacks(execute=True):
            out = run("--today", "2023-01-24")
    assert "sent 5 reminder(s)" in out  # the command's own output stays in English
    spanish = next(m for m in mail.outbox if m.to == ["unit_a@example.org"])
    assert spanish.subject == "Recordatorio para Mid-term review 2023: plazo hasta el 31 de enero de 2023"
    assert spanish.body.startswith("Estimado/a unit_a:")
    assert "31 de enero de 2023" in spanish.body and "Dear" not in spanish.body
    english = next(m for m in mail.outbox if m.to == ["unit_b@example.org"])
    assert english.subject == "Reminder for Mid-term review 2023: due by 31 January 2023"
    assert english.body.startswith("Dear unit_b,")


def test_the_command_writes_in_the_language_of_dcplan_command_language(round, users, settings):
    settings.COMMAND_LANGUAGE = "fr"
    out = run("--dry-run", "--today", "2023-01-24")
    assert "2023-01-24\u00a0: 5 rappel(s) seraient envoyés\u00a0; 0 déjà envoyé(s) auparavant." in out
    assert "would send" not in out and mail.outbox == []
