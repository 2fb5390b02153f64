"""Asking for a review PDF: an existing render of the same key, or a new job."""

import datetime
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Max

from deliverables.models import Deliverable, Plan, StatusUpdate
from examples.models import ProgressExample
from reporting.document import Cover

from .models import ReviewRender

# Files whose change changes the PDF without changing the data.
CODE_FILES = ("reporting", "templates/reporting")


def code_version() -> str:
    """A digest of the review's code and templates (file names and mtimes)."""
    base = Path(settings.BASE_DIR)
    stamp = hashlib.sha256()
    for folder in CODE_FILES:
        for path in sorted((base / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".html", ".css", ".txt"):
                stamp.update(f"{path.relative_to(base)}:{path.stat().st_mtime_ns}".encode())
    return stamp.hexdigest()[:16]


def data_fingerprint(plan: Plan) -> dict:
    """What can change in the tables the review reads: counts and latest changes."""
    updates = StatusUpdate.objects.filter(deliverable__plan=plan).aggregate(
        n=Count("id"), last=Max("recorded_at")
    )
    examples = ProgressExample.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    deliverables = Deliverable.objects.filter(plan=plan).aggregate(n=Count("id"), version=Max("version"))
    return {
        "updates": [updates["n"], str(updates["last"])],
        "examples": [examples["n"], str(examples["last"])],
        "deliverables": [deliverables["n"], deliverables["version"]],
    }


def render_key(*, plan: Plan, as_of: datetime.date, cover: Cover, language: str) -> str:
    parts = {
        "plan": plan.pk,
        "as_of": as_of.isoformat(),
        "language": language,
        "cover": cover.as_json(),
        "code": code_version(),
        "data": data_fingerprint(plan),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def review_render_request(
    *, plan: Plan, as_of: datetime.date, cover: Cover, language: str, user: AbstractBaseUser
) -> ReviewRender:
    """The render of this review as the data stand: a finished or running one
    of the same key, or a new one queued for a worker. A failed render is tried again."""
    from .tasks import render_review  # the task module imports this one

    key = render_key(plan=plan, as_of=as_of, cover=cover, language=language)
    with transaction.atomic():
        render, created = ReviewRender.objects.get_or_create(
            key=key,
            defaults={
                "plan": plan,
                "as_of": as_of,
                "language": language,
                "cover": cover.as_json(),
                "requested_by": user,
            },
        )
        if not created and render.state_choice == ReviewRender.State.FAILED:
            render.state, render.error = ReviewRender.State.QUEUED, ""
            render.save(update_fields=["state", "error"])
            created = True
        if created:
            transaction.on_commit(lambda: render_review.enqueue(render.pk))
    return render
