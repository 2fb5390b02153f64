"""The review renders in the background: the request only queues a job, the
job page follows it, and an unchanged review is never rendered twice."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from deliverables.models import Deliverable, Status
from renders import tasks
from renders.models import ReviewRender
from reporting.rendering import RenderResult
from tests.factories import record

pytestmark = pytest.mark.django_db

VALUES = {"as_of": "2022-12-31"}


@pytest.fixture
def renders(monkeypatch):
    """Every render the job made; the PDF is a stand-in so that the test is quick."""
    made = []

    def fake_render(*, plan, as_of, cover, timeout=None, language="en"):
        made.append((as_of, cover.symbol, timeout))
        return RenderResult(pdf=b"%PDF-1.7 review", fetched=(), refused=(), seconds=0.1, peak_rss_kb=1)

    monkeypatch.setattr(tasks, "review_render", fake_render)
    return made


def start(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("renders:start"), VALUES)
    assert response.status_code == 302
    return ReviewRender.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])


def run_queued_jobs():
    for job in DBTaskResult.objects.ready():
        tasks.render_review.call(*job.args_kwargs["args"])
        job.delete()


def test_a_render_is_queued_by_the_request_and_made_by_the_worker(
    client, users, renders, django_capture_on_commit_callbacks
):
    client.force_login(users["manager"])
    job = start(client, django_capture_on_commit_callbacks)
    assert renders == []  # the request did not render
    assert DBTaskResult.objects.count() == 1
    page = client.get(reverse("renders:detail", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' in page and "Waiting" in page

    run_queued_jobs()
    assert renders == [(job.as_of, "GB.347/POL/3", tasks.JOB_TIMEOUT)]
    page = client.get(reverse("renders:detail", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' not in page
    download = client.get(reverse("renders:download", args=[job.pk]))
    assert download.content == b"%PDF-1.7 review"
    assert download["Content-Disposition"] == 'attachment; filename="GB.347-POL-3_as-of_2022-12-31.pdf"'


def test_asking_again_for_an_unchanged_review_serves_the_same_render_without_a_new_job(
    client, users, renders, django_capture_on_commit_callbacks
):
    client.force_login(users["manager"])
    first = start(client, django_capture_on_commit_callbacks)
    run_queued_jobs()
    again = start(client, django_capture_on_commit_callbacks)
    assert again.pk == first.pk and again.state == ReviewRender.State.READY
    assert DBTaskResult.objects.count() == 0 and len(renders) == 1


def test_a_new_status_update_makes_a_new_render(client, users, renders, django_capture_on_commit_callbacks):
    client.force_login(users["manager"])
    first = start(client, django_capture_on_commit_callbacks)
    record(Deliverable.objects.get(code="1.4.1"), users["hq"], Status.ON_TRACK, progress=2)
    second = start(client, django_capture_on_commit_callbacks)
    assert second.pk != first.pk and second.key != first.key


def test_a_focal_point_cannot_start_or_see_a_render(
    client, users, renders, django_capture_on_commit_callbacks
):
    client.force_login(users["manager"])
    job = start(client, django_capture_on_commit_callbacks)
    client.force_login(users["focal_a"])
    assert client.post(reverse("renders:start"), VALUES).status_code == 403
    assert client.get(reverse("renders:detail", args=[job.pk])).status_code == 403
