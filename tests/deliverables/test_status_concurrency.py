"""Two writers who saw the same version of a deliverable: one wins, the other is told.

These run with real transactions and separate database connections (one per
thread), on SQLite and on PostgreSQL alike."""

import datetime
import threading
import time

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from deliverables.models import Deliverable, Status, StatusUpdate
from deliverables.services import StaleVersion, StatusInput, status_update_record
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


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


def test_a_writer_waiting_for_the_lock_finds_the_version_changed_and_writes_nothing(plan, users):
    code = "1.4.1"
    claimed, release = threading.Event(), threading.Event()
    data = StatusInput(status=Status.ON_TRACK, as_of=datetime.date(2022, 1, 1), progress_value=1)
    results = {}

    def first():
        with transaction.atomic():
            d = Deliverable.objects.get(code=code)
            update = status_update_record(deliverable=d, user=users["hq"], data=data, seen_version=0)
            claimed.set()
            release.wait(10)  # hold the transaction open while the second writer tries
        return update

    def second():
        claimed.wait(10)
        d = Deliverable.objects.get(code=code)  # read before the first commits: still version 0
        return status_update_record(
            deliverable=d,
            user=users["superuser"],
            data=StatusInput(status=Status.DELAYED, as_of=datetime.date(2022, 2, 1), narrative="late"),
            seen_version=0,
        )

    threads = [in_thread(first, results, "first"), in_thread(second, results, "second")]
    claimed.wait(10)
    time.sleep(0.5)  # let the second writer reach the lock
    release.set()
    for thread in threads:
        thread.join(30)

    assert isinstance(results["first"], StatusUpdate), results
    assert isinstance(results["second"], StaleVersion), results
    d = Deliverable.objects.get(code=code)
    assert (d.status, d.version, d.progress_value) == (Status.ON_TRACK, 1, 1)
    assert StatusUpdate.objects.filter(deliverable=d).count() == 1


def test_two_simultaneous_form_posts_record_one_update_and_refuse_the_other(plan, users):
    url = reverse("deliverables:update", args=["2.2.1"])
    start = threading.Barrier(2)
    results = {}

    def post(narrative):
        def run():
            client = Client()
            client.login(username="hq", password=PASSWORD)
            start.wait(10)
            return client.post(
                url,
                {
                    "version": "0",
                    "status": "delayed",
                    "progress_value": "1",
                    "as_of": "2022-03-01",
                    "narrative": narrative,
                    "evidence_links": "",
                },
            )

        return run

    threads = [in_thread(post("from A"), results, "a"), in_thread(post("from B"), results, "b")]
    for thread in threads:
        thread.join(60)

    codes = sorted(results[k].status_code for k in "ab")
    assert codes == [302, 409], results
    loser = results["a"] if results["a"].status_code == 409 else results["b"]
    winner_text = "from B" if loser is results["a"] else "from A"
    assert winner_text in loser.content.decode()  # the refused writer sees the other update
    assert StatusUpdate.objects.filter(deliverable__code="2.2.1").count() == 1
    assert Deliverable.objects.get(code="2.2.1").version == 1
