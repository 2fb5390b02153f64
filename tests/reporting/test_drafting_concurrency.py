"""Two people saving the same section from the same version: one wins, the other
is told. Real transactions and one database connection per thread, on SQLite
and on PostgreSQL alike."""

import datetime
import threading
import time

import pytest
from django.db import connection, transaction

from reporting.drafting import StaleSection, section_save
from reporting.models import DraftSection, ReviewDraft, SectionRevision

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
KEY = "way_forward"


def in_thread(target, results, key):
    def run():
        try:
            results[key] = target()
        except Exception as exc:  # noqa: BLE001 - the test inspects what happened
            results[key] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


# A translation is a row of its own with the same rule (reporting.drafting.section_save).
@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_writer_waiting_for_the_lock_finds_the_version_changed_and_writes_nothing(plan, users, language):
    draft = ReviewDraft.objects.for_cut_off(plan, datetime.date(2022, 12, 31))
    if language != "en":
        section_save(draft=draft, key=KEY, text="English.", user=users["hq"], seen_version=0)
    section_save(draft=draft, key=KEY, text="Start.", user=users["hq"], seen_version=0, language=language)
    claimed, release = threading.Event(), threading.Event()
    results = {}

    def first():
        with transaction.atomic():
            revision = section_save(
                draft=draft, key=KEY, text="First.", user=users["hq"], seen_version=1, language=language
            )
            claimed.set()
            release.wait(10)  # hold the transaction open while the second writer tries
        return revision

    def second():
        claimed.wait(10)
        return section_save(
            draft=draft, key=KEY, text="Second.", user=users["manager"], seen_version=1, language=language
        )

    threads = [in_thread(first, results, "first"), in_thread(second, results, "second")]
    claimed.wait(10)
    time.sleep(0.5)  # let the second writer reach the lock
    release.set()
    for thread in threads:
        thread.join(30)

    assert isinstance(results["first"], SectionRevision), results
    assert isinstance(results["second"], StaleSection), results
    section = DraftSection.objects.get(draft=draft, key=KEY, language=language)
    assert (section.text, section.version) == ("First.", 2)
    assert list(SectionRevision.objects.filter(section=section).values_list("text", flat=True)) == [
        "First.",
        "Start.",
    ]
